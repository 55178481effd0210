export {
  DEFAULT_ANSWER_WAIT_MS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_EXCLUDED_PATHS,
  METHOD_ACTIONS,
  OTHER_METHOD_ACTION,
  TRACE_HEADER,
  TRACE_ID_SOURCES,
  type TraceIdSource,
} from './constants.js';
export { auditMiddleware } from './middleware.js';
export {
  type AppLogger,
  type AuditMiddlewareOptions,
  auditMiddlewareOptionsSchema,
} from './options.js';
export { traceHeaders } from './outbound.js';
export { type GracefulShutdownOptions, shutdownGracefully } from './shutdown.js';
export type { AuditRequestFields } from './types.js';
