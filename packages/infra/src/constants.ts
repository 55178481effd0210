/**
 * Retention periods CloudWatch Logs accepts for `RetentionInDays`
 * (AWS::Logs::LogGroup, "Allowed values"; PutRetentionPolicy API reference).
 *
 * @example
 * ```ts
 * (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(400); // true
 * auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com', retentionInDays: 731 });
 * ```
 */
export const CLOUDWATCH_RETENTION_DAYS = Object.freeze([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const);

/**
 * Default log group retention: one year, the PCI DSS 10.5.1 minimum for audit trails (SPEC §9).
 *
 * @example
 * ```ts
 * const t = auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com' });
 * t.Resources[LOGICAL_IDS.logGroup]?.Properties?.RetentionInDays; // DEFAULT_RETENTION_DAYS (365)
 * ```
 */
export const DEFAULT_RETENTION_DAYS = 365;

/**
 * Alarm evaluation period: the seed's thresholds are "per 5 minutes" (SPEC §9).
 *
 * @example
 * ```ts
 * const perMinute = DEFAULT_FAILED_LOGINS_THRESHOLD / (ALARM_PERIOD_SECONDS / 60); // 4 failed logins a minute
 * ```
 */
export const ALARM_PERIOD_SECONDS = 300;

/**
 * Brute force: more than 20 failed logins in 5 minutes (SPEC §9, the seed's threshold).
 *
 * @example
 * ```ts
 * auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com',
 *   thresholds: { failedLogins: DEFAULT_FAILED_LOGINS_THRESHOLD * 2 } });
 * ```
 */
export const DEFAULT_FAILED_LOGINS_THRESHOLD = 20;
/**
 * High failure rate: more than 50 failed actions in 5 minutes (SPEC §9, the seed's threshold).
 *
 * @example
 * ```ts
 * auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com',
 *   thresholds: { failedActions: DEFAULT_FAILED_ACTIONS_THRESHOLD / 2 } });
 * ```
 */
export const DEFAULT_FAILED_ACTIONS_THRESHOLD = 50;
/**
 * Excessive deletes: more than 30 deletes in 5 minutes (SPEC §9, the seed's threshold).
 *
 * @example
 * ```ts
 * auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com',
 *   thresholds: { deletes: DEFAULT_DELETES_THRESHOLD + 20 } });
 * ```
 */
export const DEFAULT_DELETES_THRESHOLD = 30;

/**
 * Default window of the optional "audit stream silent" alarm.
 *
 * @example
 * ```ts
 * auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com', silentStreamAlarm: true });
 * // fires after DEFAULT_SILENT_STREAM_MINUTES (60) minutes without an audit line
 * ```
 */
export const DEFAULT_SILENT_STREAM_MINUTES = 60;
/**
 * Longest silent-stream window: CloudWatch caps `EvaluationPeriods × Period` at
 * one day for periods of 60 s or more (PutMetricAlarm API reference).
 */
export const MAX_SILENT_STREAM_MINUTES = 1440;

/**
 * Default Object Lock retention of archived audit lines, in days: one year, like
 * the log group. COMPLIANCE mode cannot be shortened by anyone, root included,
 * so a longer default would lock a trial deployment's bucket for years.
 *
 * @example
 * ```ts
 * auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com', archive: true });
 * // objects locked in COMPLIANCE mode for DEFAULT_ARCHIVE_RETENTION_DAYS (365) days
 * ```
 */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 365;
/** Object Lock default-retention cap in days (S3 DefaultRetention: at most 100 years). */
export const MAX_ARCHIVE_RETENTION_DAYS = 36_500;

/**
 * Firehose buffering before an S3 object is written. 300 s / 5 MiB are the
 * service defaults (AWS::KinesisFirehose::DeliveryStream BufferingHints).
 */
export const FIREHOSE_BUFFER_SECONDS = 300;
/** See {@link FIREHOSE_BUFFER_SECONDS}. */
export const FIREHOSE_BUFFER_MIB = 5;

/**
 * The archive's freshness alarm fires when the oldest undelivered record is older
 * than three buffer intervals: one interval is normal, three means S3 delivery is
 * failing or falling behind. Firehose keeps DirectPut records for 24 hours
 * (Firehose developer guide, "Data delivery failure handling"), so this leaves
 * the team most of that day to act.
 */
export const ARCHIVE_FRESHNESS_ALARM_SECONDS = 3 * FIREHOSE_BUFFER_SECONDS;

/** Retention of the Firehose delivery-error log group: diagnostics, not the audit trail. */
export const ARCHIVE_ERROR_LOG_RETENTION_DAYS = 30;

/**
 * Logs Insights indexes a JSON `true` as `1` and `false` as `0`, so queries
 * test the marker with `audit = 1` (SPEC §9).
 *
 * @example
 * ```ts
 * const q = `fields @timestamp, action | filter audit = ${INSIGHTS_TRUE}`; // 'audit = 1'
 * ```
 */
export const INSIGHTS_TRUE = 1;

/**
 * The first `seq` of an instance (SPEC §3: starts at 1). Filters and queries require
 * `seq >= FIRST_SEQ`, a member only real audit lines carry (issue #13).
 *
 * @example
 * ```ts
 * const q = `filter audit = 1 and seq >= ${FIRST_SEQ}`;
 * ```
 */
export const FIRST_SEQ = 1;

/** Logs Insights widgets and saved queries show at most this many rows. */
export const QUERY_ROW_LIMIT = 100;

/** Longest dashboard name (PutDashboard API reference). */
export const MAX_DASHBOARD_NAME_LENGTH = 255;
/** Longest log group name (CreateLogGroup API reference). */
export const MAX_LOG_GROUP_NAME_LENGTH = 512;

/**
 * Logical ids of the template's resources and outputs. Stable: renaming one
 * makes CloudFormation replace the resource.
 *
 * @example
 * ```ts
 * const t = auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com' });
 * t.Resources[LOGICAL_IDS.logGroup].Type; // 'AWS::Logs::LogGroup'
 * ```
 */
export const LOGICAL_IDS = Object.freeze({
  logGroup: 'AuditLogGroup',
  alarmTopic: 'AuditAlarmTopic',
  alarmSubscription: 'AuditAlarmEmailSubscription',
  dashboard: 'AuditDashboard',
  emfValidationAlarm: 'EmfValidationErrorsAlarm',
  emfParsingAlarm: 'EmfParsingErrorsAlarm',
  silentStreamFilter: 'AuditEventsMetricFilter',
  silentStreamAlarm: 'AuditStreamSilentAlarm',
  archiveBucket: 'AuditArchiveBucket',
  archiveBucketPolicy: 'AuditArchiveBucketPolicy',
  archiveDeliveryRole: 'AuditArchiveDeliveryRole',
  archiveStream: 'AuditArchiveDeliveryStream',
  archiveSubscriptionRole: 'AuditArchiveSubscriptionRole',
  archiveSubscriptionPolicy: 'AuditArchiveSubscriptionPolicy',
  archiveSubscription: 'AuditArchiveSubscriptionFilter',
  archiveDeliveryLogGroup: 'AuditArchiveDeliveryLogGroup',
  archiveDeliveryLogStream: 'AuditArchiveDeliveryLogStream',
  archiveFreshnessAlarm: 'ArchiveDataFreshnessAlarm',
  archiveDeliverySuccessAlarm: 'ArchiveDeliverySuccessAlarm',
  archiveSubscriptionErrorsAlarm: 'ArchiveSubscriptionErrorsAlarm',
  archiveSubscriptionThrottlingAlarm: 'ArchiveSubscriptionThrottlingAlarm',
  archiveDatabase: 'AuditArchiveDatabase',
  archiveTable: 'AuditArchiveTable',
  dashboardUrlOutput: 'DashboardUrl',
  logGroupUrlOutput: 'LogGroupUrl',
  topicArnOutput: 'AlarmTopicArn',
  logGroupNameOutput: 'LogGroupName',
  archiveBucketOutput: 'ArchiveBucketName',
} as const);
