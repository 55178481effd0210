import { parseArgs } from 'node:util';
import { AuditlineError } from '@auditline/core';
import type { AuditInfrastructureOptions } from './options.js';
import { renderTemplate } from './template.js';
import type { TemplateFormat } from './types.js';

const USAGE = `usage: auditline template --service NAME --alert-email ADDR [options]

  --service NAME             service name (AUDIT_SERVICE_NAME)          required
  --alert-email ADDR         e-mail subscribed to the alarm topic       required
  --format yaml|json         output format                              default yaml
  --log-group-name NAME      log group of the awslogs driver            default /ecs/<service>
  --retention-days N         log retention (a CloudWatch-allowed value) default 365
  --kms-key-arn ARN          KMS key for the log group and archive
  --metric-namespace NS      namespace of the filter metrics            default <service>/Audit
  --emf                      alarms on EMFValidationErrors / EMFParsingErrors, EMF dashboard lines
  --archive                  Firehose -> S3 archive with Object Lock (COMPLIANCE)
  --archive-retention-days N Object Lock retention in days              default 365
  --silent-stream-alarm      alarm when no audit line arrives
  --silent-stream-minutes N  window of that alarm (multiple of 5)       default 60
  --ecs-cluster NAME         cluster for the dashboard's ECS widget     default <service>
  --ecs-service NAME         service for the dashboard's ECS widget     default <service>
  --failed-logins-threshold N   brute-force alarm: failed logins / 5 min  default 20
  --failed-actions-threshold N  failure alarm: FAILED events / 5 min      default 50
  --deletes-threshold N         deletes alarm: DELETE events / 5 min      default 30
  -h, --help                 show this help
`;

class UsageError extends Error {}

function integer(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${flag} needs a whole number, got "${raw}"`);
  return Number(raw);
}

function parse(
  argv: string[],
): { options: AuditInfrastructureOptions; format: TemplateFormat } | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      service: { type: 'string' },
      'alert-email': { type: 'string' },
      format: { type: 'string', default: 'yaml' },
      'log-group-name': { type: 'string' },
      'retention-days': { type: 'string' },
      'kms-key-arn': { type: 'string' },
      'metric-namespace': { type: 'string' },
      emf: { type: 'boolean', default: false },
      archive: { type: 'boolean', default: false },
      'archive-retention-days': { type: 'string' },
      'silent-stream-alarm': { type: 'boolean', default: false },
      'silent-stream-minutes': { type: 'string' },
      'ecs-cluster': { type: 'string' },
      'ecs-service': { type: 'string' },
      'failed-logins-threshold': { type: 'string' },
      'failed-actions-threshold': { type: 'string' },
      'deletes-threshold': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.service) throw new UsageError('--service is required');
  if (!values['alert-email']) throw new UsageError('--alert-email is required');
  const format = values.format;
  if (format !== 'yaml' && format !== 'json') {
    throw new UsageError(`--format must be yaml or json, got "${format}"`);
  }
  const thresholds = {
    failedLogins: integer('failed-logins-threshold', values['failed-logins-threshold']),
    failedActions: integer('failed-actions-threshold', values['failed-actions-threshold']),
    deletes: integer('deletes-threshold', values['deletes-threshold']),
  };
  // Only pass what was given, so the library's defaults stay the single source.
  const defined = <T extends object>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const options: AuditInfrastructureOptions = {
    service: values.service,
    alertEmail: values['alert-email'],
    emf: values.emf,
    archive: values.archive,
    silentStreamAlarm: values['silent-stream-alarm'],
    thresholds: defined(thresholds),
    ...defined({
      logGroupName: values['log-group-name'],
      retentionInDays: integer('retention-days', values['retention-days']),
      kmsKeyArn: values['kms-key-arn'],
      metricNamespace: values['metric-namespace'],
      archiveRetentionDays: integer('archive-retention-days', values['archive-retention-days']),
      silentStreamMinutes: integer('silent-stream-minutes', values['silent-stream-minutes']),
      ecsClusterName: values['ecs-cluster'],
      ecsServiceName: values['ecs-service'],
    }),
  };
  return { options, format };
}

/**
 * `auditline template …`: prints the CloudFormation template of SPEC §9 on
 * stdout. Exit 0 on success; 2 with a message on stderr for bad arguments or
 * options.
 *
 * @example
 * ```sh
 * auditline template --service orders --alert-email ops@example.com --emf > audit.yaml
 * ```
 */
export async function run(argv: string[]): Promise<number> {
  try {
    const parsed = parse(argv);
    if (parsed === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    process.stdout.write(renderTemplate(parsed.options, parsed.format));
    return 0;
  } catch (err) {
    // parseArgs throws TypeError with ERR_PARSE_ARGS_* codes for unknown flags.
    const known =
      err instanceof UsageError ||
      err instanceof AuditlineError ||
      (err instanceof TypeError &&
        String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));
    if (!known) throw err;
    process.stderr.write(`auditline template: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
}
