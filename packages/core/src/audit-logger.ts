import type { AuditFormat } from './constants.js';
import type { AuditlineError } from './errors.js';
import type { InFlightWork } from './in-flight.js';
import type { AuditEntry, AuditParams } from './schema.js';
import type { AuditLoggerStats } from './types.js';

/**
 * An audit logger (SPEC §4.1). Every `log()` writes exactly one JSON line,
 * synchronously, whatever any log level says (SPEC §4.2).
 *
 * @example
 * ```ts
 * const audit: AuditLogger = createAuditLogger({ service: 'orders-api' });
 * audit.child({ tenant: 't-1' }).log({ action: 'CREATE', resource: '/orders/42', status: 'SUCCESS' });
 * await audit.close();
 * ```
 */
export interface AuditLogger {
  /** The resolved `service`. */
  readonly service: string;
  /** Random id of this logger instance; `seq` counts within it (SPEC §7). */
  readonly instance: string;
  /** The resolved output format. */
  readonly format: AuditFormat;
  /**
   * Validates, redacts, size-guards and writes one entry; returns it. Never
   * throws unless `onInvalid: 'throw'` and the params are invalid.
   */
  log(params: AuditParams): AuditEntry;
  /**
   * A logger whose entries carry `bindings` inside `details` (never at the top
   * level). The typed reserved keys (`statusCode`, `duration_ms`, `mfa_used`…)
   * are checked like `details`: with `onInvalid: 'throw'` a wrong type throws
   * here, otherwise it is written in its safe string form and every line says
   * so in `validation_errors`.
   */
  child(bindings: Record<string, unknown>): AuditLogger;
  /**
   * `url` with the path segments that hold a sensitive route parameter
   * censored, by parameter name (`/reset/:token` with `{ token }`), using this
   * logger's redaction rules. For adapters that know the matched route's
   * params, such as `@auditline/express`.
   */
  redactRouteParams(url: string, params: Readonly<Record<string, unknown>> | undefined): string;
  /** Resolves when everything written so far has reached the OS. */
  flush(): Promise<void>;
  /**
   * Waits for registered in-flight work (each bounds its own wait), writes an
   * entry for what is still open, then `AUDIT_STOP` (once, the last line of the
   * instance, SPEC §7), removes signal handlers and flushes.
   */
  close(): Promise<void>;
  /** True once `AUDIT_STOP` has been written. */
  readonly closed: boolean;
  /**
   * Registers work to settle before `AUDIT_STOP` (the Express middleware's
   * in-flight requests). Returns a function that unregisters it.
   */
  registerInFlight(work: InFlightWork): () => void;
  /** Counters: written, lost, last seq. */
  stats(): AuditLoggerStats;
  /**
   * A line sink for application logs that share this destination and format
   * (pretty when the audit lines are pretty). Pass it to `pino(options, stream)`.
   */
  readonly appStream: { write(line: string): void };
  /** `error` is emitted once when the destination breaks (EPIPE, EBADF…). */
  on(event: 'error', listener: (error: AuditlineError) => void): this;
  off(event: 'error', listener: (error: AuditlineError) => void): this;
}
