import { AUDIT_FIELDS } from '@auditline/core';
import { LOGICAL_IDS } from './constants.js';
import { EMF_DIMENSIONS, EMF_METRICS } from './emf-names.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import type { CfnResource } from './types.js';

/** A Hive/Athena column of the archive table and the JSON member it reads. */
export interface ArchiveColumn {
  /** Column name: lower case, as Glue stores it. */
  readonly name: string;
  readonly type: 'string' | 'boolean' | 'bigint' | 'double';
  /** The top-level JSON member, case as written. */
  readonly key: string;
}

const column = (key: string, type: ArchiveColumn['type'], name = key.toLowerCase()) =>
  Object.freeze({ name, type, key });

/**
 * Columns of the archive table: every top-level member an audit line may carry
 * (SPEC §3, §4.5, §4.7, §8). `details`, `ecs` and `_aws` are objects, read as
 * their JSON text (`json_extract(details, '$.statusCode')` in Athena). EMF lines
 * carry both `action` and `Action`; the EMF members get `emf_` columns.
 *
 * @example
 * ```ts
 * ARCHIVE_TABLE_COLUMNS.find((c) => c.key === 'Action')?.name; // 'emf_action'
 * ```
 */
export const ARCHIVE_TABLE_COLUMNS: readonly ArchiveColumn[] = Object.freeze([
  column(AUDIT_FIELDS.level, 'string'),
  column(AUDIT_FIELDS.audit, 'boolean'),
  column(AUDIT_FIELDS.timestamp, 'string'),
  column(AUDIT_FIELDS.service, 'string'),
  column(AUDIT_FIELDS.serviceVersion, 'string'),
  column(AUDIT_FIELDS.instance, 'string'),
  column(AUDIT_FIELDS.seq, 'bigint'),
  column(AUDIT_FIELDS.traceId, 'string'),
  column(AUDIT_FIELDS.spanId, 'string'),
  column(AUDIT_FIELDS.userId, 'string'),
  column(AUDIT_FIELDS.action, 'string'),
  column(AUDIT_FIELDS.resource, 'string'),
  column(AUDIT_FIELDS.status, 'string'),
  column(AUDIT_FIELDS.method, 'string'),
  column(AUDIT_FIELDS.path, 'string'),
  column(AUDIT_FIELDS.route, 'string'),
  column(AUDIT_FIELDS.ipAddress, 'string'),
  column(AUDIT_FIELDS.userAgent, 'string'),
  column(AUDIT_FIELDS.details, 'string'),
  column(AUDIT_FIELDS.ecs, 'string'),
  column(AUDIT_FIELDS.truncated, 'boolean'),
  column(AUDIT_FIELDS.originalBytes, 'bigint'),
  column(AUDIT_FIELDS.originalSha256, 'string'),
  column(AUDIT_FIELDS.keyId, 'string'),
  column(AUDIT_FIELDS.prev, 'string'),
  column(AUDIT_FIELDS.hash, 'string'),
  column('_aws', 'string', 'emf_aws'),
  column(EMF_DIMENSIONS.action, 'string', 'emf_action'),
  column(EMF_DIMENSIONS.status, 'string', 'emf_status'),
  column(EMF_METRICS.auditEventCount, 'double', 'emf_audit_event_count'),
  column(EMF_METRICS.actionDuration, 'double', 'emf_action_duration'),
]);

/** First day partition projection offers; earlier archives can widen it in Glue. */
export const ARCHIVE_PROJECTION_START = '2024/01/01';

/** Glue database names: lower-case letters, digits and `_`. */
export function archiveDatabaseName(options: ResolvedInfrastructureOptions): string {
  return `auditline_${options.service.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

/** Name of the archive table in the template's Glue database (`auditline_<service>`). */
export const ARCHIVE_TABLE_NAME = 'audit_lines';

/**
 * A Glue database and table over the archive's NDJSON (issue #17), for Athena.
 * The OpenX JSON SerDe is case-insensitive by default, so an EMF line's `action`
 * and `Action` collide ("Duplicate key"); `case.insensitive=false` plus a
 * `mapping.<column>` for every column whose name is not its member makes them
 * two columns. Partitions are projected from the delivery prefix
 * `audit/<service>/yyyy/MM/dd/`, so no crawler or `MSCK REPAIR` is needed.
 */
export function archiveTableResources(
  options: ResolvedInfrastructureOptions,
): Record<string, CfnResource> {
  const prefix = `audit/${options.service}/`;
  const mappings: Record<string, string> = {};
  for (const c of ARCHIVE_TABLE_COLUMNS)
    if (c.name !== c.key) mappings[`mapping.${c.name}`] = c.key;
  return {
    [LOGICAL_IDS.archiveDatabase]: {
      Type: 'AWS::Glue::Database',
      Properties: {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseInput: {
          Name: archiveDatabaseName(options),
          Description: `auditline audit archive of ${options.service}`,
        },
      },
    },
    [LOGICAL_IDS.archiveTable]: {
      Type: 'AWS::Glue::Table',
      Properties: {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseName: { Ref: LOGICAL_IDS.archiveDatabase },
        TableInput: {
          Name: ARCHIVE_TABLE_NAME,
          Description: `Audit lines of ${options.service} archived by Firehose (NDJSON, gzip)`,
          TableType: 'EXTERNAL_TABLE',
          Parameters: {
            classification: 'json',
            compressionType: 'gzip',
            'projection.enabled': 'true',
            'projection.day.type': 'date',
            'projection.day.format': 'yyyy/MM/dd',
            'projection.day.range': `${ARCHIVE_PROJECTION_START},NOW`,
            'projection.day.interval': '1',
            'projection.day.interval.unit': 'DAYS',
            // `${!day}` is Fn::Sub's escape for a literal `${day}`, Athena's placeholder.
            'storage.location.template': {
              'Fn::Sub': `s3://\${${LOGICAL_IDS.archiveBucket}}/${prefix}\${!day}/`,
            },
          },
          PartitionKeys: [{ Name: 'day', Type: 'string' }],
          StorageDescriptor: {
            Location: { 'Fn::Sub': `s3://\${${LOGICAL_IDS.archiveBucket}}/${prefix}` },
            InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            SerdeInfo: {
              SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
              Parameters: { 'case.insensitive': 'false', ...mappings },
            },
            Columns: ARCHIVE_TABLE_COLUMNS.map((c) => ({ Name: c.name, Type: c.type })),
          },
        },
      },
    },
  };
}
