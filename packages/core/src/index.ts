// The documented, versioned surface (issue #14): every runtime name here is
// listed in README.md#exports and checked by tests/public-surface. Internals the
// sibling packages need are in ./internal.ts (`@auditline/core/internal`).
export { APP_FIELDS_KEY, APP_RESERVED_KEYS } from './app-line-guard.js';
export { type AppLoggerOptions, createAppLogger } from './app-logger.js';
export {
  type AuditLoggerOptions,
  auditLoggerOptionsSchema,
  type ResolvedAuditOptions,
} from './config.js';
export {
  AUDIT_ACTIONS,
  AUDIT_FIELDS,
  AUDIT_FORMATS,
  AUDIT_STATUSES,
  type AuditFormat,
  type AuditStatus,
  type BuiltInAuditAction,
  CUSTOM_ACTION_PATTERN,
  DEFAULT_MAX_ENTRY_BYTES,
  DEFAULT_REDACT_KEYS,
  DEFAULT_STALL_TIMEOUT_MS,
  DETAIL_FIELDS,
  ENV_VARS,
  GENESIS_HASH,
  LEADING_DETAIL_KEYS,
  LIFECYCLE_ACTIONS,
  MAX_ALLOWED_ENTRY_BYTES,
  MAX_PATH_LENGTH,
  MAX_RESOURCE_LENGTH,
  MAX_ROUTE_LENGTH,
  MAX_TRACE_ID_LENGTH,
  MAX_USER_AGENT_LENGTH,
  MAX_USER_ID_LENGTH,
  MIN_ALLOWED_ENTRY_BYTES,
  REDACTED,
  REQUEST_OUTCOME_ACTION,
  SPAN_ID_PATTERN,
  STALL_EXIT_CODE,
  STALL_POLICIES,
  type StallPolicy,
  TRACE_ID_PATTERN,
  WARNING_CODES,
} from './constants.js';
export {
  type AuditContext,
  type ContextEntryInfo,
  getAuditContext,
  runWithAuditContext,
} from './context.js';
export { getDefaultAuditLogger, logAudit, setDefaultAuditLogger } from './default-logger.js';
export type { FdDestination, FdDestinationOptions } from './destination.js';
export {
  AuditConfigError,
  AuditlineConfigError,
  AuditlineError,
  type AuditlineErrorCode,
  AuditValidationError,
  type AuditValidationIssue,
  type ConfigErrorFacts,
  ERROR_CODES,
} from './errors.js';
export type { InFlightWork } from './in-flight.js';
export type { IntegrityChain } from './integrity.js';
export { type AuditLogger, createAuditLogger, FAIL_CLOSED_EXIT_CODE } from './logger.js';
export { createPrettyFormatter, type PrettyFormatter } from './pretty.js';
export type { CompiledRedaction } from './redaction.js';
export {
  type AuditAction,
  type AuditDetails,
  type AuditEntry,
  type AuditLogParams,
  type AuditParams,
  auditActionSchema,
  auditDetailsSchema,
  auditEntryJsonSchema,
  auditEntrySchema,
  auditParamsSchema,
  auditStatusSchema,
  traceIdSchema,
} from './schema.js';
export type { ShutdownReason } from './signals.js';
export type {
  AuditDestination,
  AuditEnvironment,
  AuditLineExtension,
  AuditLoggerStats,
  AuditPlugin,
  AuditPluginContext,
} from './types.js';
