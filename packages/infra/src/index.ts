export { ALARMS, type AlarmDefinition, EMF_ERROR_METRICS } from './alarms.js';
export { ARCHIVE_METRICS } from './archive-alarms.js';
export {
  ARCHIVE_PROJECTION_START,
  ARCHIVE_TABLE_COLUMNS,
  ARCHIVE_TABLE_NAME,
  type ArchiveColumn,
} from './archive-table.js';
export {
  ALARM_PERIOD_SECONDS,
  CLOUDWATCH_RETENTION_DAYS,
  DEFAULT_ARCHIVE_RETENTION_DAYS,
  DEFAULT_DELETES_THRESHOLD,
  DEFAULT_FAILED_ACTIONS_THRESHOLD,
  DEFAULT_FAILED_LOGINS_THRESHOLD,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SILENT_STREAM_MINUTES,
  FIRST_SEQ,
  INSIGHTS_TRUE,
  LOGICAL_IDS,
} from './constants.js';
export {
  CONTRIBUTOR_INSIGHTS_RULES,
  type ContributorInsightsRule,
} from './contributor-insights.js';
export { DASHBOARD_LOG_WIDGETS, type DashboardLogWidget, dashboardBody } from './dashboard.js';
export {
  FilterPatternError,
  GrafanaPublishError,
  INFRA_ERROR_CODES,
  InfraConfigError,
} from './errors.js';
export { INDEXED_FIELDS } from './field-indexes.js';
export {
  compileFilterPattern,
  evaluateFilterPattern,
  type FilterPredicate,
} from './filter-pattern.js';
export {
  GRAFANA_DATASOURCE_INPUT,
  GRAFANA_LOG_PANELS,
  type GrafanaDashboard,
  type GrafanaDashboardOptions,
  type GrafanaLogPanel,
  grafanaDashboard,
  grafanaDashboardOptionsSchema,
} from './grafana-dashboard.js';
export { type GrafanaPublishTarget, publishGrafanaDashboard } from './grafana-publish.js';
export { type FieldRef, type InsightsQuery, MIDDLEWARE_DETAIL_FIELDS } from './insights-query.js';
export {
  AUDIT_EVENTS_FILTER,
  AUDIT_LINE_PATTERN,
  METRIC_FILTERS,
  type MetricFilterDefinition,
} from './metric-filters.js';
export {
  type AuditInfrastructureOptions,
  auditInfrastructureOptionsSchema,
  type ResolvedInfrastructureOptions,
  resolveInfrastructureOptions,
} from './options.js';
export {
  AUDIT_LINE_FILTER,
  SAVED_QUERIES,
  type SavedQuery,
  type SavedQueryParameter,
  USER_ID_QUERY_PARAMETER,
} from './queries.js';
export { auditInfrastructure, renderTemplate } from './template.js';
export type {
  CfnOutput,
  CfnParameter,
  CfnResource,
  CfnTemplate,
  CfnValue,
  TemplateFormat,
} from './types.js';
