import { AuditlineError } from '@auditline/core';
import { CommandLineError, type FlagSpecs, parseFlags, usageErrorText } from './cli-args.js';
import { InfraConfigError } from './errors.js';
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
  --archive-table            with --archive: Glue database and table for Athena
  --contributor-insights     Contributor Insights rules (failed logins by IP/user, denied users)
  --field-indexes            FieldIndexPolicies on the log group for the queried fields
  --silent-stream-alarm      alarm when no audit line arrives
  --silent-stream-minutes N  window of that alarm (multiple of 5)       default 60
  --alarm-topic-kms-key-id K KMS key (id, ARN or alias) for the alarm topic
  --dashboard-tags           tag the dashboard too (cfn-lint rejects it: E3002)
  --ecs-cluster NAME         cluster for the dashboard's ECS widget     default <service>
  --ecs-service NAME         service for the dashboard's ECS widget     default <service>
  --failed-logins-threshold N   brute-force alarm: failed logins / 5 min  default 20
  --failed-actions-threshold N  failure alarm: FAILED events / 5 min      default 50
  --deletes-threshold N         deletes alarm: DELETE events / 5 min      default 30
  -h, --help                 show this help
`;

const FLAGS = {
  service: { type: 'string' },
  'alert-email': { type: 'string' },
  format: { type: 'string' },
  'log-group-name': { type: 'string' },
  'retention-days': { type: 'string' },
  'kms-key-arn': { type: 'string' },
  'metric-namespace': { type: 'string' },
  emf: { type: 'boolean' },
  archive: { type: 'boolean' },
  'archive-retention-days': { type: 'string' },
  'archive-table': { type: 'boolean' },
  'contributor-insights': { type: 'boolean' },
  'field-indexes': { type: 'boolean' },
  'silent-stream-alarm': { type: 'boolean' },
  'silent-stream-minutes': { type: 'string' },
  'alarm-topic-kms-key-id': { type: 'string' },
  'dashboard-tags': { type: 'boolean' },
  'ecs-cluster': { type: 'string' },
  'ecs-service': { type: 'string' },
  'failed-logins-threshold': { type: 'string' },
  'failed-actions-threshold': { type: 'string' },
  'deletes-threshold': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagSpecs;

/**
 * The flag behind each library option, so a value error names what the user
 * typed (`--retention-days`), not the option it fills (`retentionInDays`) (issue #16).
 */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  service: '--service',
  alertEmail: '--alert-email',
  logGroupName: '--log-group-name',
  retentionInDays: '--retention-days',
  kmsKeyArn: '--kms-key-arn',
  archiveTable: '--archive-table',
  alarmTopicKmsKeyId: '--alarm-topic-kms-key-id',
  metricNamespace: '--metric-namespace',
  archiveRetentionDays: '--archive-retention-days',
  silentStreamMinutes: '--silent-stream-minutes',
  ecsClusterName: '--ecs-cluster',
  ecsServiceName: '--ecs-service',
  'thresholds.failedLogins': '--failed-logins-threshold',
  'thresholds.failedActions': '--failed-actions-threshold',
  'thresholds.deletes': '--deletes-threshold',
};

function integer(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) {
    throw new CommandLineError(`--${flag} needs a whole number of 0 or more, got "${raw}"`);
  }
  return Number(raw);
}

function parse(
  argv: string[],
): { options: AuditInfrastructureOptions; format: TemplateFormat } | 'help' {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (values.help) return 'help';
  if (positionals.length > 0) throw new CommandLineError(`unexpected argument "${positionals[0]}"`);
  if (!values.service) throw new CommandLineError('--service is required');
  if (!values['alert-email']) throw new CommandLineError('--alert-email is required');
  const format = values.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') {
    throw new CommandLineError(`--format must be yaml or json, got "${format}"`);
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
    emf: values.emf === true,
    archive: values.archive === true,
    silentStreamAlarm: values['silent-stream-alarm'] === true,
    dashboardTags: values['dashboard-tags'] === true,
    archiveTable: values['archive-table'] === true,
    contributorInsights: values['contributor-insights'] === true,
    fieldIndexes: values['field-indexes'] === true,
    thresholds: defined(thresholds),
    ...defined({
      logGroupName: values['log-group-name'],
      retentionInDays: integer('retention-days', values['retention-days']),
      kmsKeyArn: values['kms-key-arn'],
      alarmTopicKmsKeyId: values['alarm-topic-kms-key-id'],
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
 * An option error of `auditInfrastructure()` restated with the flag: the value
 * and the reason stay, the option name is replaced by the flag as typed.
 */
function flagError(error: InfraConfigError, argv: readonly string[]): CommandLineError {
  const flag = FLAG_OF_OPTION[error.option];
  if (flag === undefined) return new CommandLineError(error.message);
  const typed = valueOfFlag(argv, flag);
  const issues = (error.cause as { issues?: readonly { message?: unknown }[] } | undefined)?.issues;
  const reason = typeof issues?.[0]?.message === 'string' ? issues[0].message : error.message;
  return new CommandLineError(
    `${flag}${typed === undefined ? '' : ` ${JSON.stringify(typed)}`} is not valid: ${reason}`,
  );
}

function valueOfFlag(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === flag) value = argv[i + 1];
    else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
  }
  return value;
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
    const error = err instanceof InfraConfigError ? flagError(err, argv) : err;
    if (!(error instanceof CommandLineError || error instanceof AuditlineError)) throw error;
    // One line naming the problem and a pointer to --help; the help itself is not reprinted (issue #16).
    process.stderr.write(usageErrorText('auditline template', error.message));
    return 2;
  }
}
