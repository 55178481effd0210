import { defineOptions } from '@auditline/core/internal';
import { z } from 'zod';
import { ALARM_PERIOD_SECONDS } from './constants.js';
import { EMF_DIMENSIONS, EMF_METRICS } from './emf-names.js';
import { InfraConfigError } from './errors.js';
import type { InsightsQuery } from './insights-query.js';
import { METRIC_FILTERS } from './metric-filters.js';
import { auditInfrastructureOptionsSchema, resolveInfrastructureOptions } from './options.js';
import {
  ACCESS_DENIED_QUERY,
  DELETES_QUERY,
  EVENT_COUNTS_QUERY,
  FAILED_LOGINS_BY_USER_AND_IP_QUERY,
  FAILURE_PERCENT_QUERY,
  RECENT_EVENTS_QUERY,
  SLOWEST_ENDPOINTS_QUERY,
} from './queries.js';

/** Name of the import input that picks the CloudWatch data source (`${DS_CLOUDWATCH}`). */
export const GRAFANA_DATASOURCE_INPUT = 'DS_CLOUDWATCH';

/** Grafana's plugin id of the CloudWatch data source. */
const CLOUDWATCH_PLUGIN = 'cloudwatch';

/**
 * Dashboard JSON schema version written. 39 is Grafana 10.4, the oldest version
 * Amazon Managed Grafana still offers (workspaces run 9.4, 10.4 or 12.x); newer
 * Grafana migrates it on load.
 */
const SCHEMA_VERSION = 39;

/** Grafana's dashboard grid is 24 columns wide; every panel here is 8 rows high. */
const GRID_COLUMNS = 24;
const PANEL_HEIGHT = 8;

/** Longest dashboard uid Grafana accepts. */
const MAX_UID_LENGTH = 40;

/** AWS region names (`eu-west-1`), or `default` for the data source's own region. */
const REGION_PATTERN = /^(?:default|[a-z]{2}(?:-[a-z]+)+-\d)$/;

/**
 * zod schema of {@link GrafanaDashboardOptions}: the options the CloudFormation
 * template and the Grafana dashboard share, picked from the template's schema so
 * the two cannot read them differently, plus the region.
 *
 * @example
 * ```ts
 * grafanaDashboardOptionsSchema.safeParse({ service: 'orders', region: 'eu-west-1' }).success; // true
 * ```
 */
export const grafanaDashboardOptionsSchema = auditInfrastructureOptionsSchema
  .pick({ service: true, logGroupName: true, metricNamespace: true, emf: true })
  .extend({
    /**
     * Default of the dashboard's `region` variable.
     * @default 'default' (the data source's default region)
     */
    region: z
      .string()
      .regex(REGION_PATTERN, 'use an AWS region such as eu-west-1, or "default"')
      .default('default'),
  });

/**
 * Options of {@link grafanaDashboard}. Only `service` is required.
 *
 * @example
 * ```ts
 * const options: GrafanaDashboardOptions = { service: 'orders', emf: true, region: 'eu-west-1' };
 * ```
 */
export type GrafanaDashboardOptions = z.input<typeof grafanaDashboardOptionsSchema>;

/** A JSON value as the dashboard holds it. */
type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/**
 * An importable Grafana dashboard: the dashboard model plus the `__inputs` and
 * `__requires` of Grafana's export format.
 *
 * @example
 * ```ts
 * const d: GrafanaDashboard = grafanaDashboard({ service: 'orders' });
 * d.__inputs[0]?.name; // 'DS_CLOUDWATCH'
 * ```
 */
export interface GrafanaDashboard {
  readonly __inputs: ReadonlyArray<{
    readonly name: string;
    readonly label: string;
    readonly description: string;
    readonly type: 'datasource';
    readonly pluginId: string;
    readonly pluginName: string;
  }>;
  readonly __requires: ReadonlyArray<{
    readonly type: string;
    readonly id: string;
    readonly name: string;
    readonly version: string;
  }>;
  readonly uid: string;
  readonly title: string;
  readonly panels: ReadonlyArray<{ readonly [key: string]: Json }>;
  readonly templating: { readonly list: ReadonlyArray<{ readonly [key: string]: Json }> };
  readonly [key: string]: Json;
}

/**
 * One Logs Insights panel of the Grafana dashboard, with its query, so tests can
 * check every field it names against real logger lines.
 *
 * @example
 * ```ts
 * GRAFANA_LOG_PANELS.map((p) => p.query.fields);
 * ```
 */
export interface GrafanaLogPanel {
  readonly title: string;
  readonly type: 'table' | 'timeseries';
  readonly unit?: string;
  readonly query: InsightsQuery;
}

/**
 * The Logs Insights panels (issue #17): failed logins by user and IP, error rate in
 * bins (percentage and counts apart), recent events, slowest routes, deletes and
 * access denied. The queries are the CloudFormation dashboard's own.
 *
 * @example
 * ```ts
 * import { GRAFANA_LOG_PANELS } from '@auditline/infra';
 * GRAFANA_LOG_PANELS.map((p) => p.title);
 * ```
 */
export const GRAFANA_LOG_PANELS: readonly GrafanaLogPanel[] = Object.freeze([
  {
    title: 'Failed logins by user and IP',
    type: 'table',
    query: FAILED_LOGINS_BY_USER_AND_IP_QUERY,
  },
  {
    title: 'Failure rate % (15-minute bins)',
    type: 'timeseries',
    unit: 'percent',
    query: FAILURE_PERCENT_QUERY,
  },
  {
    title: 'Audit events and failures (15-minute bins)',
    type: 'timeseries',
    unit: 'short',
    query: EVENT_COUNTS_QUERY,
  },
  { title: 'Recent audit events', type: 'table', query: RECENT_EVENTS_QUERY },
  { title: 'Slowest routes (p95 ms)', type: 'table', query: SLOWEST_ENDPOINTS_QUERY },
  { title: 'Delete operations', type: 'table', query: DELETES_QUERY },
  { title: 'Access denied', type: 'table', query: ACCESS_DENIED_QUERY },
] satisfies GrafanaLogPanel[]);

const DATASOURCE: Json = { type: CLOUDWATCH_PLUGIN, uid: `\${datasource}` };
const REGION_VAR = '$region';
const LOG_GROUP_VAR = '$logGroup';

function variable(
  name: string,
  label: string,
  type: string,
  value: string,
  query: string,
): { readonly [key: string]: Json } {
  return {
    name,
    label,
    type,
    query,
    current: { selected: true, text: value, value },
    options: [],
    hide: 0,
  };
}

function metricTarget(
  refId: string,
  namespace: string,
  metricName: string,
  statistic: string,
  dimensions: { readonly [key: string]: string },
  label: string,
): Json {
  return {
    refId,
    datasource: DATASOURCE,
    id: '',
    queryMode: 'Metrics',
    region: REGION_VAR,
    namespace,
    metricName,
    dimensions,
    // Only the dimension set asked for: EMF also publishes [Action, Status] (SPEC §8.2).
    matchExact: true,
    statistic,
    period: String(ALARM_PERIOD_SECONDS),
    metricQueryType: 0,
    metricEditorMode: 0,
    expression: '',
    label,
  };
}

function logsTarget(query: InsightsQuery): Json {
  return {
    refId: 'A',
    datasource: DATASOURCE,
    id: '',
    queryMode: 'Logs',
    region: REGION_VAR,
    // StartQuery's logGroupIdentifiers take a log group name or ARN (CloudWatch Logs
    // API reference); the name keeps the dashboard free of account ids and
    // partitions. A cross-account monitoring workspace puts the ARN here instead.
    logGroups: [{ arn: LOG_GROUP_VAR, name: LOG_GROUP_VAR }],
    expression: query.query,
  };
}

interface Cell {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function panel(
  id: number,
  title: string,
  type: string,
  gridPos: Cell,
  targets: Json[],
  unit: string,
): { readonly [key: string]: Json } {
  return {
    id,
    title,
    type,
    datasource: DATASOURCE,
    gridPos: { ...gridPos },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: {},
    targets,
  };
}

const parseGrafanaOptions = defineOptions({
  where: 'grafanaDashboard',
  schema: grafanaDashboardOptionsSchema,
  fixes: {},
  docs: 'see the option table in the @auditline/infra README',
  pathStyle: 'dots',
  error: (facts) => new InfraConfigError(facts.option, facts.message, facts),
});

/**
 * Builds an importable Amazon Managed Grafana dashboard on the CloudWatch data
 * source, from the same constants as the CloudFormation dashboard (issue #17):
 * an import input and a variable for the data source, variables for the region
 * and the log group, the four metric-filter metrics, the EMF metrics per Action
 * (with `emf`), and the Logs Insights panels of {@link GRAFANA_LOG_PANELS}.
 * Options are validated once; a bad one throws `InfraConfigError` naming it.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { grafanaDashboard } from '@auditline/infra';
 * writeFileSync('audit-dashboard.json', JSON.stringify(grafanaDashboard({ service: 'orders', emf: true }), null, 2));
 * ```
 */
export function grafanaDashboard(options: GrafanaDashboardOptions): GrafanaDashboard {
  const { region, ...shared } = parseGrafanaOptions(options);
  // The template's resolver fills logGroupName and metricNamespace the same way for both.
  const o = resolveInfrastructureOptions({ ...shared, alertEmail: 'unused@example.com' });
  const ns = o.metricNamespace;

  // Panels fill rows of the 24-column grid left to right, in this order.
  const layout: Array<{
    title: string;
    type: string;
    w: number;
    targets: Json[];
    unit: string;
  }> = [];
  layout.push({
    title: 'Audit metrics (per 5 minutes)',
    type: 'timeseries',
    w: o.emf ? 12 : 24,
    targets: Object.values(METRIC_FILTERS).map((f, i) =>
      metricTarget(String.fromCharCode(65 + i), ns, f.metricName, 'Sum', {}, f.metricName),
    ),
    unit: 'short',
  });
  if (o.emf) {
    const perAction = { [EMF_DIMENSIONS.action]: '*' };
    layout.push(
      {
        title: 'Audit events per Action (EMF)',
        type: 'timeseries',
        w: 12,
        targets: [
          metricTarget('A', ns, EMF_METRICS.auditEventCount, 'Sum', perAction, '{{Action}}'),
        ],
        unit: 'short',
      },
      {
        title: 'Action duration p95 per Action (EMF)',
        type: 'timeseries',
        w: 24,
        targets: [
          metricTarget('A', ns, EMF_METRICS.actionDuration, 'p95', perAction, '{{Action}}'),
        ],
        unit: 'ms',
      },
    );
  }
  for (const p of GRAFANA_LOG_PANELS) {
    layout.push({
      title: p.title,
      type: p.type,
      w: p.query === RECENT_EVENTS_QUERY ? 24 : 12,
      targets: [logsTarget(p.query)],
      unit: p.unit ?? 'short',
    });
  }
  const panels: Array<{ readonly [key: string]: Json }> = [];
  let x = 0;
  let y = 0;
  layout.forEach((p, i) => {
    if (x + p.w > GRID_COLUMNS) {
      x = 0;
      y += PANEL_HEIGHT;
    }
    panels.push(
      panel(i + 1, p.title, p.type, { x, y, w: p.w, h: PANEL_HEIGHT }, p.targets, p.unit),
    );
    x += p.w;
  });

  return {
    __inputs: [
      {
        name: GRAFANA_DATASOURCE_INPUT,
        label: 'CloudWatch',
        description: `CloudWatch data source of the account and region holding ${o.logGroupName}`,
        type: 'datasource',
        pluginId: CLOUDWATCH_PLUGIN,
        pluginName: 'CloudWatch',
      },
    ],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.4.0' },
      { type: 'datasource', id: CLOUDWATCH_PLUGIN, name: 'CloudWatch', version: '1.0.0' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
      { type: 'panel', id: 'table', name: 'Table', version: '' },
    ],
    uid: `auditline-${o.service}`.slice(0, MAX_UID_LENGTH),
    title: `${o.service} audit trail`,
    description: `auditline audit dashboard for ${o.service}. Generated by @auditline/infra; do not edit by hand.`,
    tags: ['auditline', 'audit'],
    editable: true,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    time: { from: 'now-24h', to: 'now' },
    refresh: '5m',
    timezone: 'utc',
    graphTooltip: 1,
    templating: {
      list: [
        variable(
          'datasource',
          'Data source',
          'datasource',
          `\${${GRAFANA_DATASOURCE_INPUT}}`,
          CLOUDWATCH_PLUGIN,
        ),
        variable('region', 'Region', 'textbox', region, region),
        variable('logGroup', 'Audit log group', 'textbox', o.logGroupName, o.logGroupName),
      ],
    },
    panels,
  };
}
