import { AUDIT_ACTIONS, AUDIT_STATUSES } from '@auditline/core';
import { FIRST_SEQ, INSIGHTS_TRUE, QUERY_ROW_LIMIT } from './constants.js';
import { detail, field, type InsightsQuery, insights } from './insights-query.js';

const audit = field('audit');
const seq = field('seq');
const action = field('action');
const status = field('status');
const userId = field('userId');
const ip = field('ipAddress');
const resource = field('resource');
const method = field('method');
const path = field('path');
const route = field('route');
const traceId = field('traceId');
const duration = detail('durationMs');
const statusCode = detail('statusCode');
const error = detail('error');
const attemptedAction = detail('attemptedAction');

/**
 * Only real audit lines: the marker as Insights indexes it (`audit = 1`, SPEC §9) and
 * a numeric `seq`, which app lines cannot carry at the top level (issue #13). Every
 * saved query and widget starts with it, as every metric filter starts with
 * `AUDIT_LINE_PATTERN`.
 *
 * @example
 * ```ts
 * AUDIT_LINE_FILTER.query; // 'audit = 1 and seq >= 1'
 * ```
 */
export const AUDIT_LINE_FILTER = insights`${audit} = ${INSIGHTS_TRUE} and ${seq} >= ${FIRST_SEQ}`;

/**
 * Name of the query parameter of "One user's activity". CloudFormation's
 * `AWS::Logs::QueryDefinition` takes `Parameters`, so the console asks for the
 * value instead of the query shipping a placeholder to edit (issue #17).
 *
 * @example
 * ```ts
 * const userActivity = SAVED_QUERIES.find((q) => q.id === 'UserActivity');
 * userActivity?.parameters?.[0]?.name; // USER_ID_QUERY_PARAMETER, referenced as {{userId}}
 * ```
 */
export const USER_ID_QUERY_PARAMETER = 'userId';

/**
 * A parameter of a saved query (`AWS::Logs::QueryDefinition` `QueryParameter`),
 * referenced in the query text as `{{name}}`.
 *
 * @example
 * ```ts
 * const p: SavedQueryParameter = { name: 'userId', description: 'user_id to show' };
 * ```
 */
export interface SavedQueryParameter {
  readonly name: string;
  readonly description: string;
}

/**
 * One saved Logs Insights query (`AWS::Logs::QueryDefinition`, SPEC §9).
 *
 * @example
 * ```ts
 * const q: SavedQuery | undefined = SAVED_QUERIES.find((s) => s.id === 'BruteForce');
 * if (q) log.info({ fields: q.fields }, q.name); // the fields the query reads
 * ```
 */
export interface SavedQuery extends InsightsQuery {
  /** Stable key, used for the logical id. */
  readonly id: string;
  /** Display name; the template prefixes it with `auditline/<service>/`. */
  readonly name: string;
  /** Query parameters the console asks for, referenced as `{{name}}` in the text. */
  readonly parameters?: readonly SavedQueryParameter[];
}

function saved(
  id: string,
  name: string,
  q: InsightsQuery,
  parameters?: readonly SavedQueryParameter[],
): SavedQuery {
  return Object.freeze({
    id,
    name,
    ...q,
    ...(parameters ? { parameters: Object.freeze([...parameters]) } : {}),
  });
}

// Shared by a saved query and a dashboard widget, so both say the same thing.
/** Latest audit events, newest first. */
export const RECENT_EVENTS_QUERY = insights`fields @timestamp, ${userId}, ${action}, ${resource}, ${status}, ${ip}, ${traceId}
| filter ${AUDIT_LINE_FILTER}
| sort @timestamp desc
| limit ${QUERY_ROW_LIMIT}`;

/** Failed logins counted per user. */
export const FAILED_LOGINS_BY_USER_QUERY = insights`filter ${AUDIT_LINE_FILTER} and ${action} = ${AUDIT_ACTIONS.LOGIN} and ${status} = ${AUDIT_STATUSES.FAILED}
| stats count(*) as failures by ${userId}
| sort failures desc
| limit ${QUERY_ROW_LIMIT}`;

/** Failed logins counted per user and source IP (the Grafana dashboard's brute-force table). */
export const FAILED_LOGINS_BY_USER_AND_IP_QUERY = insights`filter ${AUDIT_LINE_FILTER} and ${action} = ${AUDIT_ACTIONS.LOGIN} and ${status} = ${AUDIT_STATUSES.FAILED}
| stats count(*) as failures by ${userId}, ${ip}
| sort failures desc
| limit ${QUERY_ROW_LIMIT}`;

/** Share of FAILED audit events in 15-minute bins, with the counts. `strcontains` yields 1/0. */
export const FAILURE_RATE_QUERY = insights`filter ${AUDIT_LINE_FILTER}
| fields strcontains(${status}, ${AUDIT_STATUSES.FAILED}) as failed
| stats sum(failed) * 100 / count(*) as failurePercent, sum(failed) as failures, count(*) as events by bin(15m)`;

/**
 * The percentage alone, for the dashboard's time series: a 0–100 percentage and
 * raw counts on one axis flattened the percentage (issue #17).
 */
export const FAILURE_PERCENT_QUERY = insights`filter ${AUDIT_LINE_FILTER}
| fields strcontains(${status}, ${AUDIT_STATUSES.FAILED}) as failed
| stats sum(failed) * 100 / count(*) as failurePercent by bin(15m)`;

/** Audit events and failed events per 15-minute bin: the counts, on their own widget. */
export const EVENT_COUNTS_QUERY = insights`filter ${AUDIT_LINE_FILTER}
| fields strcontains(${status}, ${AUDIT_STATUSES.FAILED}) as failed
| stats count(*) as events, sum(failed) as failures by bin(15m)`;

/**
 * ACCESS_DENIED events with what was attempted and the answer: middleware lines
 * carry `details.attempted_action` and `details.error` (SPEC §5.5); the query used
 * to show `details.reason`, which they never carry (issue #17).
 */
export const ACCESS_DENIED_QUERY = insights`fields @timestamp, ${userId}, ${method}, ${path}, ${resource}, ${ip}, ${attemptedAction}, ${statusCode}, ${error}
| filter ${AUDIT_LINE_FILTER} and ${action} = ${AUDIT_ACTIONS.ACCESS_DENIED}
| sort @timestamp desc
| limit ${QUERY_ROW_LIMIT}`;

/**
 * Slowest method + route template by p95 of `details.duration_ms`: grouped by `route`,
 * not `path`, so `/orders/o-1001` and `/orders/o-1002` are one endpoint (issue #12).
 */
export const SLOWEST_ENDPOINTS_QUERY = insights`filter ${AUDIT_LINE_FILTER} and ispresent(${duration})
| stats pct(${duration}, 95) as p95Ms, avg(${duration}) as avgMs, count(*) as requests by ${method}, ${route}
| sort p95Ms desc
| limit ${QUERY_ROW_LIMIT}`;

/** Every DELETE, newest first. */
export const DELETES_QUERY = insights`fields @timestamp, ${userId}, ${resource}, ${status}, ${ip}, ${statusCode}
| filter ${AUDIT_LINE_FILTER} and ${action} = ${AUDIT_ACTIONS.DELETE}
| sort @timestamp desc
| limit ${QUERY_ROW_LIMIT}`;

/**
 * The eight saved queries of SPEC §9, in console order. Each lists the audit
 * fields it names, so tests can check them against real logger output.
 *
 * @example
 * ```ts
 * import { SAVED_QUERIES } from '@auditline/infra';
 * SAVED_QUERIES.map((q) => q.name); // ['Recent audit events', ...]
 * ```
 */
export const SAVED_QUERIES: readonly SavedQuery[] = Object.freeze([
  saved('RecentEvents', 'Recent audit events', RECENT_EVENTS_QUERY),
  saved(
    'UserActivity',
    "One user's activity",
    insights`fields @timestamp, ${action}, ${resource}, ${status}, ${ip}, ${traceId}
| filter ${AUDIT_LINE_FILTER} and ${userId} = ${`{{${USER_ID_QUERY_PARAMETER}}}`}
| sort @timestamp desc
| limit ${QUERY_ROW_LIMIT}`,
    [{ name: USER_ID_QUERY_PARAMETER, description: 'The user_id whose audit events to show' }],
  ),
  saved(
    'BruteForce',
    'Brute force: failed logins > 5 by user and IP',
    insights`filter ${AUDIT_LINE_FILTER} and ${action} = ${AUDIT_ACTIONS.LOGIN} and ${status} = ${AUDIT_STATUSES.FAILED}
| stats count(*) as failures by ${userId}, ${ip}
| filter failures > 5
| sort failures desc
| limit ${QUERY_ROW_LIMIT}`,
  ),
  saved('Deletes', 'Delete operations', DELETES_QUERY),
  saved(
    'LatencyByPath',
    'Latency by route (avg, p95)',
    insights`filter ${AUDIT_LINE_FILTER} and ispresent(${duration})
| stats avg(${duration}) as avgMs, pct(${duration}, 95) as p95Ms, count(*) as requests by ${route}
| sort p95Ms desc
| limit ${QUERY_ROW_LIMIT}`,
  ),
  saved(
    'SharedIps',
    'IPs used by more than 3 users',
    insights`filter ${AUDIT_LINE_FILTER} and ispresent(${ip})
| stats count_distinct(${userId}) as users, count(*) as events by ${ip}
| filter users > 3
| sort users desc
| limit ${QUERY_ROW_LIMIT}`,
  ),
  saved('FailureRate', 'Failure rate per 15 minutes', FAILURE_RATE_QUERY),
  saved('AccessDenied', 'Access denied', ACCESS_DENIED_QUERY),
]);
