import { ALARM_PERIOD_SECONDS, MAX_DASHBOARD_NAME_LENGTH } from './constants.js';
import { contributorInsightsWidgets } from './contributor-insights.js';
import { EMF_DIMENSIONS, EMF_METRICS } from './emf-names.js';
import type { InsightsQuery } from './insights-query.js';
import { METRIC_FILTERS } from './metric-filters.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import {
  DELETES_QUERY,
  EVENT_COUNTS_QUERY,
  FAILED_LOGINS_BY_USER_QUERY,
  FAILURE_PERCENT_QUERY,
  RECENT_EVENTS_QUERY,
  SLOWEST_ENDPOINTS_QUERY,
} from './queries.js';
import { resourceTags } from './tags.js';
import type { CfnResource, CfnValue } from './types.js';

/**
 * The dashboard body is wrapped in `Fn::Sub` only to resolve this, so every
 * widget follows the stack's region.
 */
const REGION = `\${AWS::Region}`;

/**
 * A Logs Insights widget of the dashboard: its title, view and query.
 *
 * @example
 * ```ts
 * const widget: DashboardLogWidget = DASHBOARD_LOG_WIDGETS.failedLoginsByUser;
 * log.info({ view: widget.view, query: widget.query.query }, widget.title);
 * ```
 */
export interface DashboardLogWidget {
  readonly title: string;
  readonly view: 'table' | 'timeSeries' | 'bar';
  readonly query: InsightsQuery;
}

/**
 * The dashboard's Logs Insights widgets (SPEC §9), with the fields each names,
 * so tests can check them against real logger output.
 *
 * @example
 * ```ts
 * import { DASHBOARD_LOG_WIDGETS } from '@auditline/infra';
 * const fields = Object.values(DASHBOARD_LOG_WIDGETS).flatMap((w) => w.query.fields); // every field a widget reads
 * ```
 */
export const DASHBOARD_LOG_WIDGETS = Object.freeze({
  failedLoginsByUser: Object.freeze({
    title: 'Failed logins by user',
    view: 'table',
    query: FAILED_LOGINS_BY_USER_QUERY,
  }),
  failureRate: Object.freeze({
    title: 'Failure rate % (15-minute bins)',
    view: 'timeSeries',
    query: FAILURE_PERCENT_QUERY,
  }),
  // The counts behind the percentage get their own widget, so neither scale hides the other (issue #17).
  eventCounts: Object.freeze({
    title: 'Audit events and failures (15-minute bins)',
    view: 'timeSeries',
    query: EVENT_COUNTS_QUERY,
  }),
  recentEvents: Object.freeze({
    title: 'Recent audit events',
    view: 'table',
    query: RECENT_EVENTS_QUERY,
  }),
  slowestEndpoints: Object.freeze({
    title: 'Slowest endpoints (p95 ms)',
    view: 'table',
    query: SLOWEST_ENDPOINTS_QUERY,
  }),
  deletes: Object.freeze({ title: 'Delete operations', view: 'table', query: DELETES_QUERY }),
} satisfies Record<string, DashboardLogWidget>);

interface Placement {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function logWidget(
  widget: DashboardLogWidget,
  at: Placement,
  options: ResolvedInfrastructureOptions,
): CfnValue {
  return {
    type: 'log',
    ...at,
    properties: {
      title: widget.title,
      region: REGION,
      view: widget.view,
      // Log group names cannot contain quotes (CreateLogGroup), so single-quoting is safe.
      query: `SOURCE '${options.logGroupName}' | ${widget.query.query}`,
    },
  };
}

function ecsWidget(at: Placement, options: ResolvedInfrastructureOptions): CfnValue {
  const dims = ['ClusterName', options.ecsClusterName, 'ServiceName', options.ecsServiceName];
  return {
    type: 'metric',
    ...at,
    properties: {
      title: `ECS ${options.ecsServiceName}: CPU and memory (%)`,
      region: REGION,
      view: 'timeSeries',
      stat: 'Average',
      period: ALARM_PERIOD_SECONDS,
      metrics: [
        ['AWS/ECS', 'CPUUtilization', ...dims],
        ['AWS/ECS', 'MemoryUtilization', ...dims],
      ],
      yAxis: { left: { min: 0, max: 100 } },
    },
  };
}

function auditMetricsWidget(at: Placement, options: ResolvedInfrastructureOptions): CfnValue {
  const ns = options.metricNamespace;
  const metrics: CfnValue[] = Object.values(METRIC_FILTERS).map((f) => [ns, f.metricName]);
  if (options.emf) {
    // EMF publishes AuditEventCount per Action (SPEC §8.2); SEARCH draws one line per action.
    const search = `SEARCH('{${JSON.stringify(ns)},${EMF_DIMENSIONS.action}} MetricName=${JSON.stringify(EMF_METRICS.auditEventCount)}', 'Sum', ${ALARM_PERIOD_SECONDS})`;
    metrics.push([{ expression: search, id: 'emfByAction', label: '' }]);
  }
  return {
    type: 'metric',
    ...at,
    properties: {
      title: 'Audit metrics (per 5 minutes)',
      region: REGION,
      view: 'timeSeries',
      stat: 'Sum',
      period: ALARM_PERIOD_SECONDS,
      metrics,
    },
  };
}

/**
 * The dashboard body object: the seven widgets of SPEC §9 on a 24-column grid,
 * with the failure-rate counts split into a widget of their own (issue #17).
 * `${AWS::Region}` is left for `Fn::Sub`.
 *
 * @example
 * ```ts
 * const body = dashboardBody(resolveInfrastructureOptions({ service: 'orders', alertEmail: 'ops@example.com' }));
 * body.widgets.length; // 8
 * ```
 */
export function dashboardBody(options: ResolvedInfrastructureOptions): { widgets: CfnValue[] } {
  const w = DASHBOARD_LOG_WIDGETS;
  return {
    widgets: [
      ecsWidget({ x: 0, y: 0, width: 12, height: 6 }, options),
      auditMetricsWidget({ x: 12, y: 0, width: 12, height: 6 }, options),
      logWidget(w.failedLoginsByUser, { x: 0, y: 6, width: 8, height: 6 }, options),
      logWidget(w.failureRate, { x: 8, y: 6, width: 8, height: 6 }, options),
      logWidget(w.eventCounts, { x: 16, y: 6, width: 8, height: 6 }, options),
      logWidget(w.recentEvents, { x: 0, y: 12, width: 24, height: 8 }, options),
      logWidget(w.slowestEndpoints, { x: 0, y: 20, width: 12, height: 6 }, options),
      logWidget(w.deletes, { x: 12, y: 20, width: 12, height: 6 }, options),
      ...(options.contributorInsights ? contributorInsightsWidgets(options, REGION, 26) : []),
    ],
  };
}

/** Dashboard names allow letters, digits, `-` and `_` only (PutDashboard). */
export function dashboardName(options: ResolvedInfrastructureOptions): string {
  return `${options.service.replace(/[^A-Za-z0-9_-]/g, '-')}-audit`.slice(
    0,
    MAX_DASHBOARD_NAME_LENGTH,
  );
}

/** The `AWS::CloudWatch::Dashboard` resource. */
export function dashboardResource(options: ResolvedInfrastructureOptions): CfnResource {
  return {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: {
      DashboardName: dashboardName(options),
      // Indented so the generated YAML shows it as a readable block; size is far under the 1 MB limit.
      DashboardBody: { 'Fn::Sub': JSON.stringify(dashboardBody(options), null, 2) },
      // Opt-in: cfn-lint and older partition schemas reject Tags on dashboards (E3002, issue #17).
      ...(options.dashboardTags ? { Tags: resourceTags(options) } : {}),
    },
  };
}
