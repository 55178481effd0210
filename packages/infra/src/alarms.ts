import { ALARM_PERIOD_SECONDS, LOGICAL_IDS } from './constants.js';
import {
  AUDIT_EVENTS_FILTER,
  METRIC_FILTERS,
  type MetricFilterDefinition,
} from './metric-filters.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import { resourceTags } from './tags.js';
import type { CfnResource, CfnValue } from './types.js';

/**
 * Metrics CloudWatch Logs publishes about rejected EMF, per log group (namespace `AWS/Logs`).
 *
 * @example
 * ```ts
 * const metric = { Namespace: EMF_ERROR_METRICS.namespace, MetricName: EMF_ERROR_METRICS.validationErrors };
 * // dimension: { Name: EMF_ERROR_METRICS.dimension, Value: '/ecs/orders' }
 * ```
 */
export const EMF_ERROR_METRICS = Object.freeze({
  namespace: 'AWS/Logs',
  dimension: 'LogGroupName',
  validationErrors: 'EMFValidationErrors',
  parsingErrors: 'EMFParsingErrors',
} as const);

type ThresholdKey = keyof ResolvedInfrastructureOptions['thresholds'];

/**
 * One of the three threshold alarms of SPEC §9.
 *
 * @example
 * ```ts
 * const alarm: AlarmDefinition = ALARMS.bruteForce;
 * const rule = `${alarm.filter.metricName} > thresholds.${alarm.threshold}`; // 'FailedLogins > thresholds.failedLogins'
 * ```
 */
export interface AlarmDefinition {
  /** Logical id of the `AWS::CloudWatch::Alarm`. */
  readonly id: string;
  /** Suffix of the alarm name (`<service>-audit-<suffix>`). */
  readonly nameSuffix: string;
  /** The metric filter whose metric the alarm watches. */
  readonly filter: MetricFilterDefinition;
  /** Which `thresholds` option sets the limit. */
  readonly threshold: ThresholdKey;
  readonly description: string;
}

/**
 * The threshold alarms of SPEC §9: each fires when its metric's 5-minute sum is
 * greater than its threshold; missing data (no matching lines) is not breaching.
 *
 * @example
 * ```ts
 * import { ALARMS } from '@auditline/infra';
 * ALARMS.bruteForce.filter.metricName; // 'FailedLogins'
 * ```
 */
export const ALARMS = Object.freeze({
  bruteForce: Object.freeze({
    id: 'BruteForceAlarm',
    nameSuffix: 'brute-force',
    filter: METRIC_FILTERS.failedLogins,
    threshold: 'failedLogins',
    description: 'Possible brute force: failed logins in 5 minutes above the threshold',
  }),
  highFailureRate: Object.freeze({
    id: 'HighFailureRateAlarm',
    nameSuffix: 'high-failure-rate',
    filter: METRIC_FILTERS.failedActions,
    threshold: 'failedActions',
    description: 'High failure rate: FAILED audit events in 5 minutes above the threshold',
  }),
  excessiveDeletes: Object.freeze({
    id: 'ExcessiveDeletesAlarm',
    nameSuffix: 'excessive-deletes',
    filter: METRIC_FILTERS.deleteActions,
    threshold: 'deletes',
    description: 'Excessive deletes: DELETE audit events in 5 minutes above the threshold',
  }),
} satisfies Record<string, AlarmDefinition>);

/** Alarm and OK actions: the alarm topic. */
export const topicActions = (): CfnValue => [{ Ref: LOGICAL_IDS.alarmTopic }];

/** `<service>-audit-<suffix>`, the name of every alarm of the template. */
export function alarmName(options: ResolvedInfrastructureOptions, suffix: string): string {
  return `${options.service}-audit-${suffix}`;
}

function thresholdAlarm(def: AlarmDefinition, options: ResolvedInfrastructureOptions): CfnResource {
  const limit = options.thresholds[def.threshold];
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName(options, def.nameSuffix),
      AlarmDescription: `${def.description} (> ${limit}).`,
      Namespace: options.metricNamespace,
      MetricName: def.filter.metricName,
      Statistic: 'Sum',
      Period: ALARM_PERIOD_SECONDS,
      EvaluationPeriods: 1,
      Threshold: limit,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: topicActions(),
      // Tell the team when the burst is over too, not only when it starts (issue #17).
      OKActions: topicActions(),
      Tags: resourceTags(options),
    },
  };
}

function emfAlarm(
  metricName: string,
  suffix: string,
  options: ResolvedInfrastructureOptions,
): CfnResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName(options, suffix),
      AlarmDescription: `CloudWatch rejected EMF in ${options.logGroupName} (${metricName} > 0): metrics are being lost silently.`,
      Namespace: EMF_ERROR_METRICS.namespace,
      MetricName: metricName,
      Dimensions: [{ Name: EMF_ERROR_METRICS.dimension, Value: { Ref: LOGICAL_IDS.logGroup } }],
      Statistic: 'Sum',
      Period: ALARM_PERIOD_SECONDS,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: topicActions(),
      Tags: resourceTags(options),
    },
  };
}

function silentStreamAlarm(options: ResolvedInfrastructureOptions): CfnResource {
  const periods = options.silentStreamMinutes / (ALARM_PERIOD_SECONDS / 60);
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName(options, 'stream-silent'),
      AlarmDescription: `No audit line reached ${options.logGroupName} for ${options.silentStreamMinutes} minutes: the service, its logger or the log driver may be down.`,
      Namespace: options.metricNamespace,
      MetricName: AUDIT_EVENTS_FILTER.metricName,
      Statistic: 'Sum',
      Period: ALARM_PERIOD_SECONDS,
      EvaluationPeriods: periods,
      DatapointsToAlarm: periods,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      // Silence produces no data points at all, so missing data must breach.
      TreatMissingData: 'breaching',
      AlarmActions: topicActions(),
      OKActions: topicActions(),
      Tags: resourceTags(options),
    },
  };
}

/** Every alarm resource the options ask for, keyed by logical id. */
export function alarmResources(
  options: ResolvedInfrastructureOptions,
): Record<string, CfnResource> {
  const resources: Record<string, CfnResource> = {};
  for (const def of Object.values(ALARMS)) resources[def.id] = thresholdAlarm(def, options);
  if (options.emf) {
    resources[LOGICAL_IDS.emfValidationAlarm] = emfAlarm(
      EMF_ERROR_METRICS.validationErrors,
      'emf-validation-errors',
      options,
    );
    resources[LOGICAL_IDS.emfParsingAlarm] = emfAlarm(
      EMF_ERROR_METRICS.parsingErrors,
      'emf-parsing-errors',
      options,
    );
  }
  if (options.silentStreamAlarm) {
    resources[LOGICAL_IDS.silentStreamAlarm] = silentStreamAlarm(options);
  }
  return resources;
}
