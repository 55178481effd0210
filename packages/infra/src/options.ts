import { defineOptions } from '@auditline/core/internal';
import { z } from 'zod';
import {
  CLOUDWATCH_RETENTION_DAYS,
  DEFAULT_ARCHIVE_RETENTION_DAYS,
  DEFAULT_DELETES_THRESHOLD,
  DEFAULT_FAILED_ACTIONS_THRESHOLD,
  DEFAULT_FAILED_LOGINS_THRESHOLD,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SILENT_STREAM_MINUTES,
  MAX_ARCHIVE_RETENTION_DAYS,
  MAX_LOG_GROUP_NAME_LENGTH,
  MAX_SILENT_STREAM_MINUTES,
} from './constants.js';
import { defaultNamespace, NAMESPACE_PATTERN, RESERVED_NAMESPACE_PREFIX } from './emf-names.js';
import { InfraConfigError } from './errors.js';

/** Letters, digits, `.`, `_`, `-`: safe in log group, alarm, dashboard and query names. */
const SERVICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** CreateLogGroup: `[\.\-_/#A-Za-z0-9]+`, 1–512 chars. */
const LOG_GROUP_NAME_PATTERN = /^[.\-_/#A-Za-z0-9]+$/;
const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
/**
 * SNS `KmsMasterKeyId` takes a key id, a key ARN, an alias name or an alias ARN
 * (AWS::SNS::Topic KmsMasterKeyId).
 */
const SNS_KMS_KEY_PATTERN =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)\/[A-Za-z0-9/_-]+)$/;
/**
 * `MetricTransformation.metricNamespace` must match `[^:*$]*` (PutMetricFilter API
 * reference), stricter than the EMF namespace rule, which allows `:` (issue #17).
 */
const METRIC_FILTER_NAMESPACE_FORBIDDEN = /[:*$]/;
/** Cluster and service names: up to 255 letters, digits, `-`, `_` (ECS CreateService). */
const ECS_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

const threshold = (fallback: number) => z.number().int().nonnegative().default(fallback);

/**
 * zod schema of {@link AuditInfrastructureOptions}. Unknown keys are refused so a
 * typo (`alertemail`) fails instead of silently dropping the alarm topic.
 *
 * @example
 * ```ts
 * auditInfrastructureOptionsSchema.safeParse({ service: 'orders', alertEmail: 'ops@example.com' }).success; // true
 * ```
 */
export const auditInfrastructureOptionsSchema = z.strictObject({
  /** Service name, as in `AUDIT_SERVICE_NAME`. Names the log group, namespace, alarms and dashboard. */
  service: z
    .string()
    .regex(SERVICE_PATTERN, 'use 1-100 letters, digits, ".", "_" or "-", starting alphanumeric'),
  /** Address subscribed to the alarm topic. AWS sends a confirmation mail first. */
  alertEmail: z.email('use an e-mail address such as ops@example.com'),
  /**
   * Log group the awslogs driver writes to.
   * @default `/ecs/<service>`
   */
  logGroupName: z
    .string()
    .min(1)
    .max(MAX_LOG_GROUP_NAME_LENGTH)
    .regex(LOG_GROUP_NAME_PATTERN, 'use letters, digits and . - _ / # only')
    .optional(),
  /**
   * Log retention in days; must be one of {@link CLOUDWATCH_RETENTION_DAYS}.
   * @default 365
   */
  retentionInDays: z
    .number()
    .int()
    .refine((d) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `CloudWatch accepts only ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`,
    })
    .default(DEFAULT_RETENTION_DAYS),
  /** KMS key ARN that encrypts the log group (and the archive bucket). The key policy must allow `logs.<region>.amazonaws.com`. */
  kmsKeyArn: z
    .string()
    .regex(KMS_KEY_ARN_PATTERN, 'use a key ARN: arn:aws:kms:<region>:<account>:key/<id>')
    .optional(),
  /**
   * Namespace of the metric-filter metrics. Shared with EMF so one namespace holds every audit metric.
   * @default `AUDIT_EMF_NAMESPACE`'s default, `<service>/Audit`
   */
  // The EMF namespace rules (SPEC §8.3), so filter and EMF metrics can share one, plus
  // the metric-filter rule `[^:*$]*`: this namespace feeds the metric filters, and a
  // `:` passed validation but made the template undeployable (issue #17).
  metricNamespace: z
    .string()
    .regex(NAMESPACE_PATTERN, 'use 1-255 of [0-9A-Za-z.-_/# ]')
    .refine((ns) => !METRIC_FILTER_NAMESPACE_FORBIDDEN.test(ns), {
      message:
        'metric filters refuse ":", "*" and "$" in a namespace (PutMetricFilter: [^:*$]*); use "/" or "-" instead',
    })
    .refine((ns) => !ns.startsWith(RESERVED_NAMESPACE_PREFIX), {
      message: `namespaces starting with ${RESERVED_NAMESPACE_PREFIX} are reserved`,
    })
    .optional(),
  /**
   * The service writes EMF (`AUDIT_LOG_FORMAT=emf`): add alarms on `AWS/Logs` `EMFValidationErrors`
   * and `EMFParsingErrors`, and the EMF metrics to the dashboard.
   * @default false
   */
  emf: z.boolean().default(false),
  /**
   * Archive audit lines to S3 through Firehose, with Object Lock in COMPLIANCE mode.
   * @default false
   */
  archive: z.boolean().default(false),
  /**
   * Object Lock default retention of archived objects, in days. COMPLIANCE mode cannot be shortened.
   * @default 365
   */
  archiveRetentionDays: z
    .number()
    .int()
    .min(1)
    .max(MAX_ARCHIVE_RETENTION_DAYS)
    .default(DEFAULT_ARCHIVE_RETENTION_DAYS),
  /**
   * With `archive`: a Glue database and table over the archived NDJSON, with
   * partition projection on the delivery prefix, so Athena can query it.
   * @default false
   */
  archiveTable: z.boolean().default(false),
  /**
   * Contributor Insights rules (`AWS::CloudWatch::InsightRule`) for the top
   * failed-login sources by IP and by user and the top users denied access, drawn
   * on the dashboard. Rules are billed per rule and per matched log event.
   * @default false
   */
  contributorInsights: z.boolean().default(false),
  /**
   * `FieldIndexPolicies` on the log group for the fields the saved queries filter
   * on, so a query on one user or one trace scans less.
   * @default false
   */
  fieldIndexes: z.boolean().default(false),
  /**
   * Add the "audit stream silent" alarm: no audit line for `silentStreamMinutes`.
   * @default false
   */
  silentStreamAlarm: z.boolean().default(false),
  /**
   * Window of the silent-stream alarm, a multiple of 5 between 5 and 1440.
   * @default 60
   */
  silentStreamMinutes: z
    .number()
    .int()
    .min(5)
    .max(MAX_SILENT_STREAM_MINUTES)
    .refine((m) => m % 5 === 0, { message: 'use a multiple of 5 (the alarm period is 5 minutes)' })
    .default(DEFAULT_SILENT_STREAM_MINUTES),
  /**
   * Put the `auditline:service` tag on the dashboard too. Off by default: `Tags` on
   * `AWS::CloudWatch::Dashboard` is new, and cfn-lint and some partitions' schemas
   * still reject it (E3002, issue #17).
   * @default false
   */
  dashboardTags: z.boolean().default(false),
  /**
   * KMS key that encrypts the alarm topic (`KmsMasterKeyId`): a key id, key ARN, alias
   * name or alias ARN. The key policy must let `cloudwatch.amazonaws.com` use the key
   * (`kms:Decrypt`, `kms:GenerateDataKey*`), so the AWS managed `alias/aws/sns` will not
   * do for alarms.
   * @default none (the topic is not encrypted)
   */
  alarmTopicKmsKeyId: z
    .string()
    .regex(SNS_KMS_KEY_PATTERN, 'use a key id, key ARN, alias/<name> or alias ARN')
    .optional(),
  /**
   * ECS cluster shown in the dashboard's CPU/memory widget.
   * @default the service name
   */
  ecsClusterName: z
    .string()
    .regex(ECS_NAME_PATTERN, 'use 1-255 letters, digits, "-" or "_"')
    .optional(),
  /**
   * ECS service shown in the dashboard's CPU/memory widget.
   * @default the service name
   */
  ecsServiceName: z
    .string()
    .regex(ECS_NAME_PATTERN, 'use 1-255 letters, digits, "-" or "_"')
    .optional(),
  /**
   * Alarm thresholds per 5 minutes; the alarm fires when the count is greater than the threshold.
   * @default { failedLogins: 20, failedActions: 50, deletes: 30 }
   */
  thresholds: z
    .strictObject({
      failedLogins: threshold(DEFAULT_FAILED_LOGINS_THRESHOLD),
      failedActions: threshold(DEFAULT_FAILED_ACTIONS_THRESHOLD),
      deletes: threshold(DEFAULT_DELETES_THRESHOLD),
    })
    .prefault({}),
});

/**
 * Options of {@link auditInfrastructure}. Only `service` and `alertEmail` are required.
 *
 * @example
 * ```ts
 * const options: AuditInfrastructureOptions = { service: 'orders', alertEmail: 'ops@example.com', emf: true };
 * ```
 */
export type AuditInfrastructureOptions = z.input<typeof auditInfrastructureOptionsSchema>;

type Parsed = z.output<typeof auditInfrastructureOptionsSchema>;

/**
 * Options with every default filled in, frozen. What the resource builders read.
 *
 * @example
 * ```ts
 * resolveInfrastructureOptions({ service: 'orders', alertEmail: 'ops@example.com' }).logGroupName; // '/ecs/orders'
 * ```
 */
export interface ResolvedInfrastructureOptions
  extends Readonly<
    Omit<
      Parsed,
      | 'logGroupName'
      | 'metricNamespace'
      | 'ecsClusterName'
      | 'ecsServiceName'
      | 'kmsKeyArn'
      | 'alarmTopicKmsKeyId'
      | 'thresholds'
    >
  > {
  readonly logGroupName: string;
  readonly metricNamespace: string;
  readonly ecsClusterName: string;
  readonly ecsServiceName: string;
  readonly kmsKeyArn: string | undefined;
  readonly alarmTopicKmsKeyId: string | undefined;
  readonly thresholds: Readonly<Parsed['thresholds']>;
}

/**
 * The zod issue messages carry each option's fix ("use a key ARN: …"), so the
 * per-option fixes only point at the table; the CLI restates issue messages
 * with the flag (template-command.ts).
 */
const parseInfrastructureOptions = defineOptions({
  where: 'auditInfrastructure',
  schema: auditInfrastructureOptionsSchema,
  fixes: {},
  docs: 'see the option table in the @auditline/infra README',
  pathStyle: 'dots',
  error: (facts) => new InfraConfigError(facts.option, facts.message, facts),
});

/**
 * Validates options once, fills defaults and freezes the result. Throws
 * {@link InfraConfigError} naming the first bad option, its value and the fix.
 *
 * @example
 * ```ts
 * const o = resolveInfrastructureOptions({ service: 'orders', alertEmail: 'ops@example.com' });
 * o.retentionInDays; // 365
 * ```
 */
export function resolveInfrastructureOptions(
  options: AuditInfrastructureOptions,
): ResolvedInfrastructureOptions {
  const o = parseInfrastructureOptions(options);
  // A cross-option rule, checked here rather than with .refine() so the grafana
  // options can still .pick() from the schema.
  if (o.archiveTable && !o.archive) {
    throw new InfraConfigError(
      'archiveTable',
      'auditInfrastructure: invalid option "archiveTable" (got true): the Glue table reads the archive; add archive: true (--archive) too',
    );
  }
  return Object.freeze({
    ...o,
    logGroupName: o.logGroupName ?? `/ecs/${o.service}`,
    metricNamespace: o.metricNamespace ?? defaultNamespace(o.service),
    ecsClusterName: o.ecsClusterName ?? o.service,
    ecsServiceName: o.ecsServiceName ?? o.service,
    kmsKeyArn: o.kmsKeyArn,
    alarmTopicKmsKeyId: o.alarmTopicKmsKeyId,
    thresholds: Object.freeze({ ...o.thresholds }),
  });
}
