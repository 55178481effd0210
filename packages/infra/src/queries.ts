import { AUDIT_ACTIONS, AUDIT_STATUSES } from '@auditline/core';
import { INSIGHTS_TRUE, QUERY_ROW_LIMIT } from './constants.js';
import { detail, field, type InsightsQuery, insights } from './insights-query.js';

const audit = field('audit');
const action = field('action');
const status = field('status');
const userId = field('userId');
const ip = field('ipAddress');
const resource = field('resource');
const method = field('method');
const path = field('path');
const traceId = field('traceId');
const duration = detail('durationMs');
const statusCode = detail('statusCode');
const reason = detail('reason');

/**
 * Placeholder the "one user's activity" query ships with; replace it in the console.
 *
 * @example
 * ```ts
 * const userActivity = SAVED_QUERIES.find((q) => q.id === 'UserActivity');
 * userActivity?.query.replace(USER_PLACEHOLDER, 'u-42');
 * ```
 */
export const USER_PLACEHOLDER = 'REPLACE_WITH_USER_ID';

/**
 * One saved Logs Insights query (`AWS::Logs::QueryDefinition`, SPEC §9).
 *
 * @example
 * ```ts
 * const q: SavedQuery | undefined = SAVED_QUERIES.find((s) => s.id === 'BruteForce');
 * log.info(q?.name, q?.fields); // name, then fields the query reads
 * ```
 */
export interface SavedQuery extends InsightsQuery {
  /** Stable key, used for the logical id. */
  readonly id: string;
  /** Display name; the template prefixes it with `auditline/<service>/`. */
  readonly name: string;
}

function saved(id: string, name: string, q: InsightsQuery): SavedQuery {
  return Object.freeze({ id, name, ...q });
}

// Shared by a saved query and a dashboard widget, so both say the same thing.
/** Latest audit events, newest first. */
export const RECENT_EVENTS_QUERY = insights`fields @timestamp, ${userId}, ${action}, ${resource}, ${status}, ${ip}, ${traceId}
| filter ${audit} = ${INSIGHTS_TRUE}
| sort @timestamp desc
| limit ${QUERY_ROW_LIMIT}`;

/** Failed logins counted per user. */
export const FAILED_LOGINS_BY_USER_QUERY = insights`filter ${audit} = ${INSIGHTS_TRUE} and ${action} = ${AUDIT_ACTIONS.LOGIN} and ${status} = ${AUDIT_STATUSES.FAILED}
| stats count(*) as failures by ${userId}
| sort failures desc
| limit ${QUERY_ROW_LIMIT}`;

/** Share of FAILED audit events in 15-minute bins. `strcontains` yields 1/0. */
export const FAILURE_RATE_QUERY = insights`filter ${audit} = ${INSIGHTS_TRUE}
| fields strcontains(${status}, ${AUDIT_STATUSES.FAILED}) as failed
| stats sum(failed) * 100 / count(*) as failurePercent, count(*) as events by bin(15m)`;

/** Slowest method + path by p95 of `details.duration_ms`. */
export const SLOWEST_ENDPOINTS_QUERY = insights`filter ${audit} = ${INSIGHTS_TRUE} and ispresent(${duration})
| stats pct(${duration}, 95) as p95Ms, avg(${duration}) as avgMs, count(*) as requests by ${method}, ${path}
| sort p95Ms desc
| limit ${QUERY_ROW_LIMIT}`;

/** Every DELETE, newest first. */
export const DELETES_QUERY = insights`fields @timestamp, ${userId}, ${resource}, ${status}, ${ip}, ${statusCode}
| filter ${audit} = ${INSIGHTS_TRUE} and ${action} = ${AUDIT_ACTIONS.DELETE}
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
| filter ${audit} = ${INSIGHTS_TRUE} and ${userId} = ${USER_PLACEHOLDER}
| sort @timestamp desc
| limit ${QUERY_ROW_LIMIT}`,
  ),
  saved(
    'BruteForce',
    'Brute force: failed logins > 5 by user and IP',
    insights`filter ${audit} = ${INSIGHTS_TRUE} and ${action} = ${AUDIT_ACTIONS.LOGIN} and ${status} = ${AUDIT_STATUSES.FAILED}
| stats count(*) as failures by ${userId}, ${ip}
| filter failures > 5
| sort failures desc
| limit ${QUERY_ROW_LIMIT}`,
  ),
  saved('Deletes', 'Delete operations', DELETES_QUERY),
  saved(
    'LatencyByPath',
    'Latency by path (avg, p95)',
    insights`filter ${audit} = ${INSIGHTS_TRUE} and ispresent(${duration})
| stats avg(${duration}) as avgMs, pct(${duration}, 95) as p95Ms, count(*) as requests by ${path}
| sort p95Ms desc
| limit ${QUERY_ROW_LIMIT}`,
  ),
  saved(
    'SharedIps',
    'IPs used by more than 3 users',
    insights`filter ${audit} = ${INSIGHTS_TRUE} and ispresent(${ip})
| stats count_distinct(${userId}) as users, count(*) as events by ${ip}
| filter users > 3
| sort users desc
| limit ${QUERY_ROW_LIMIT}`,
  ),
  saved('FailureRate', 'Failure rate per 15 minutes', FAILURE_RATE_QUERY),
  saved(
    'AccessDenied',
    'Access denied',
    insights`fields @timestamp, ${userId}, ${method}, ${path}, ${resource}, ${ip}, ${reason}
| filter ${audit} = ${INSIGHTS_TRUE} and ${action} = ${AUDIT_ACTIONS.ACCESS_DENIED}
| sort @timestamp desc
| limit ${QUERY_ROW_LIMIT}`,
  ),
]);
