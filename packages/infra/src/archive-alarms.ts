import { alarmName, topicActions } from './alarms.js';
import { ALARM_PERIOD_SECONDS, ARCHIVE_FRESHNESS_ALARM_SECONDS, LOGICAL_IDS } from './constants.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import { resourceTags } from './tags.js';
import type { CfnResource, CfnValue } from './types.js';

/**
 * Metrics that say the archive is failing, on both hops (issue #17). Firehose
 * publishes per delivery stream in `AWS/Firehose` (Firehose developer guide,
 * "Data delivery CloudWatch metrics"); CloudWatch Logs publishes subscription
 * forwarding per log group in `AWS/Logs` ("Monitoring usage with CloudWatch metrics").
 *
 * @example
 * ```ts
 * const metric = { Namespace: ARCHIVE_METRICS.firehoseNamespace, MetricName: ARCHIVE_METRICS.dataFreshness };
 * ```
 */
export const ARCHIVE_METRICS = Object.freeze({
  firehoseNamespace: 'AWS/Firehose',
  streamDimension: 'DeliveryStreamName',
  /** Age in seconds of the oldest record not yet in S3. */
  dataFreshness: 'DeliveryToS3.DataFreshness',
  /** Sum of successful S3 puts over attempted puts: 1 when every put succeeded. */
  deliverySuccess: 'DeliveryToS3.Success',
  logsNamespace: 'AWS/Logs',
  logGroupDimension: 'LogGroupName',
  /** Log events CloudWatch Logs got an error for when forwarding to the subscription. */
  deliveryErrors: 'DeliveryErrors',
  /** Log events CloudWatch Logs was throttled on; retried for up to 24 hours, then dropped. */
  deliveryThrottling: 'DeliveryThrottling',
} as const);

interface ArchiveAlarm {
  readonly suffix: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: CfnValue;
  readonly statistic: 'Maximum' | 'Minimum' | 'Sum';
  readonly threshold: number;
  readonly comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
}

function archiveAlarm(def: ArchiveAlarm, options: ResolvedInfrastructureOptions): CfnResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName(options, def.suffix),
      AlarmDescription: def.description,
      Namespace: def.namespace,
      MetricName: def.metricName,
      Dimensions: def.dimensions,
      Statistic: def.statistic,
      Period: ALARM_PERIOD_SECONDS,
      EvaluationPeriods: 1,
      Threshold: def.threshold,
      ComparisonOperator: def.comparison,
      // No traffic means no data points; that is not a delivery failure.
      TreatMissingData: 'notBreaching',
      AlarmActions: topicActions(),
      OKActions: topicActions(),
      Tags: resourceTags(options),
    },
  };
}

/** The four archive-delivery alarms, keyed by logical id; all notify the alarm topic. */
export function archiveAlarmResources(
  options: ResolvedInfrastructureOptions,
  subscriptionFilterName: string,
): Record<string, CfnResource> {
  const stream: CfnValue = [
    { Name: ARCHIVE_METRICS.streamDimension, Value: { Ref: LOGICAL_IDS.archiveStream } },
  ];
  // The log-group-only dimension set is the one aws-cdk-lib's canned metrics
  // (`LogsMetrics.deliveryErrorsSum`) use; it sums over the group's subscriptions.
  const logGroup: CfnValue = [
    { Name: ARCHIVE_METRICS.logGroupDimension, Value: { Ref: LOGICAL_IDS.logGroup } },
  ];
  const m = ARCHIVE_METRICS;
  return {
    [LOGICAL_IDS.archiveFreshnessAlarm]: archiveAlarm(
      {
        suffix: 'archive-data-freshness',
        description: `Audit lines of ${options.service} are waiting more than ${ARCHIVE_FRESHNESS_ALARM_SECONDS} s for S3: Firehose keeps them 24 hours, then drops them. Check the delivery role, the bucket and the ${options.service}-audit-archive Firehose error log.`,
        namespace: m.firehoseNamespace,
        metricName: m.dataFreshness,
        dimensions: stream,
        statistic: 'Maximum',
        threshold: ARCHIVE_FRESHNESS_ALARM_SECONDS,
        comparison: 'GreaterThanThreshold',
      },
      options,
    ),
    [LOGICAL_IDS.archiveDeliverySuccessAlarm]: archiveAlarm(
      {
        suffix: 'archive-delivery-failed',
        description: `Firehose failed to put ${options.service} audit lines into the archive bucket (DeliveryToS3.Success < 1).`,
        namespace: m.firehoseNamespace,
        metricName: m.deliverySuccess,
        dimensions: stream,
        statistic: 'Minimum',
        threshold: 1,
        comparison: 'LessThanThreshold',
      },
      options,
    ),
    [LOGICAL_IDS.archiveSubscriptionErrorsAlarm]: archiveAlarm(
      {
        suffix: 'archive-subscription-errors',
        description: `CloudWatch Logs could not forward ${options.service} audit lines to the archive stream (subscription ${subscriptionFilterName}, DeliveryErrors > 0). Non-retryable errors are not retried.`,
        namespace: m.logsNamespace,
        metricName: m.deliveryErrors,
        dimensions: logGroup,
        statistic: 'Sum',
        threshold: 0,
        comparison: 'GreaterThanThreshold',
      },
      options,
    ),
    [LOGICAL_IDS.archiveSubscriptionThrottlingAlarm]: archiveAlarm(
      {
        suffix: 'archive-subscription-throttled',
        description: `CloudWatch Logs is throttled forwarding ${options.service} audit lines to the archive stream (subscription ${subscriptionFilterName}). It retries for 24 hours, then drops them.`,
        namespace: m.logsNamespace,
        metricName: m.deliveryThrottling,
        dimensions: logGroup,
        statistic: 'Sum',
        threshold: 0,
        comparison: 'GreaterThanThreshold',
      },
      options,
    ),
  };
}
