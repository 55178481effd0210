import {
  AUDIT_ACTIONS,
  AUDIT_FIELDS,
  AUDIT_STATUSES,
  DETAIL_FIELDS,
  REQUEST_OUTCOME_ACTION,
} from '@auditline/core';
import { FIRST_SEQ, LOGICAL_IDS } from './constants.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import type { CfnResource } from './types.js';

type Field = (typeof AUDIT_FIELDS)[keyof typeof AUDIT_FIELDS];

// `$.audit IS TRUE` is how CDK renders boolean filters (SPEC §9); `= true`
// would compare against the text "true".
const isTrue = (f: Field): string => `$.${f} IS TRUE`;
const equals = (f: Field, value: string): string => `$.${f} = ${JSON.stringify(value)}`;
const atLeast = (f: Field, value: number): string => `$.${f} >= ${value}`;
const all = (...conditions: string[]): string => `{ ${conditions.join(' && ')} }`;

/**
 * The conditions every generated filter starts with: the `audit` marker, and a
 * numeric `seq` of at least {@link FIRST_SEQ}. `seq` is a member only the audit
 * logger writes (SPEC §3); the app logger and `req.log` move it under a nested key
 * (SPEC §6), so an app line that copies a client's `{"audit":true,...}` body is not
 * counted, archived or alarmed on (issue #13). A string `"seq"` does not compare.
 */
const AUDIT_LINE_CONDITIONS = [isTrue(AUDIT_FIELDS.audit), atLeast(AUDIT_FIELDS.seq, FIRST_SEQ)];

/**
 * Matches every audit line and no app log line: the subscription-filter pattern
 * of the archive and the base of every metric filter (SPEC §9, issue #13).
 *
 * @example
 * ```ts
 * evaluateFilterPattern(AUDIT_LINE_PATTERN, line); // true for audit lines only
 * ```
 */
export const AUDIT_LINE_PATTERN = all(...AUDIT_LINE_CONDITIONS);

/**
 * One metric filter: which lines it counts and the metric it feeds.
 *
 * @example
 * ```ts
 * const f: MetricFilterDefinition = METRIC_FILTERS.failedLogins;
 * lines.filter(compileFilterPattern(f.pattern)).length; // what f.metricName counts
 * ```
 */
export interface MetricFilterDefinition {
  /** Logical id of the `AWS::Logs::MetricFilter` resource. */
  readonly id: string;
  /** Metric name in the audit namespace; also the filter's name. */
  readonly metricName: string;
  /** CloudWatch Logs JSON filter pattern. */
  readonly pattern: string;
  /** What the filter counts, for the template and the README. */
  readonly description: string;
}

function definition(
  metricName: string,
  pattern: string,
  description: string,
): MetricFilterDefinition {
  return Object.freeze({ id: `${metricName}MetricFilter`, metricName, pattern, description });
}

/**
 * The four metric filters of SPEC §9. Patterns are built from core's
 * `AUDIT_FIELDS`, `AUDIT_ACTIONS` and `AUDIT_STATUSES`, so they cannot drift
 * from what the logger writes.
 *
 * @example
 * ```ts
 * import { METRIC_FILTERS } from '@auditline/infra';
 * METRIC_FILTERS.failedLogins.pattern;
 * // '{ $.audit IS TRUE && $.seq >= 1 && $.action = "LOGIN" && $.status = "FAILED" }'
 * ```
 */
export const METRIC_FILTERS = Object.freeze({
  failedLogins: definition(
    'FailedLogins',
    all(
      ...AUDIT_LINE_CONDITIONS,
      equals(AUDIT_FIELDS.action, AUDIT_ACTIONS.LOGIN),
      equals(AUDIT_FIELDS.status, AUDIT_STATUSES.FAILED),
    ),
    'Failed LOGIN audit events',
  ),
  failedActions: definition(
    'FailedActions',
    // A claimed request's outcome line counts only when it contradicts the
    // claim (explicit SUCCESS, then a 500 or an abort): one failure, one count
    // (SPEC §5.7, the express README's "What each request writes").
    all(
      ...AUDIT_LINE_CONDITIONS,
      equals(AUDIT_FIELDS.status, AUDIT_STATUSES.FAILED),
      `($.${AUDIT_FIELDS.action} != ${JSON.stringify(REQUEST_OUTCOME_ACTION)} || $.${AUDIT_FIELDS.details}.${DETAIL_FIELDS.contradictsClaim} IS TRUE)`,
    ),
    'Audit events of any action with status FAILED, counting a request once',
  ),
  deleteActions: definition(
    'DeleteActions',
    all(...AUDIT_LINE_CONDITIONS, equals(AUDIT_FIELDS.action, AUDIT_ACTIONS.DELETE)),
    'DELETE audit events, successful or not',
  ),
  accessDenied: definition(
    'AccessDeniedEvents',
    all(...AUDIT_LINE_CONDITIONS, equals(AUDIT_FIELDS.action, AUDIT_ACTIONS.ACCESS_DENIED)),
    'ACCESS_DENIED audit events',
  ),
} as const);

/**
 * Counts every audit line; feeds the optional "audit stream silent" alarm.
 *
 * @example
 * ```ts
 * AUDIT_EVENTS_FILTER.pattern; // '{ $.audit IS TRUE && $.seq >= 1 }'
 * ```
 */
export const AUDIT_EVENTS_FILTER: MetricFilterDefinition = Object.freeze({
  id: LOGICAL_IDS.silentStreamFilter,
  metricName: 'AuditEvents',
  pattern: AUDIT_LINE_PATTERN,
  description: 'Every audit line',
});

/** CloudFormation resource for one metric filter on the audit log group. */
export function metricFilterResource(
  def: MetricFilterDefinition,
  options: ResolvedInfrastructureOptions,
): CfnResource {
  return {
    Type: 'AWS::Logs::MetricFilter',
    Properties: {
      FilterName: `${options.service}-${def.metricName}`,
      LogGroupName: { Ref: LOGICAL_IDS.logGroup },
      FilterPattern: def.pattern,
      MetricTransformations: [
        {
          MetricName: def.metricName,
          MetricNamespace: options.metricNamespace,
          MetricValue: '1',
          Unit: 'Count',
        },
      ],
    },
  };
}
