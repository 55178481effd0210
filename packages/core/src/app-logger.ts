import pino, { type Logger, type LoggerOptions } from 'pino';
import { readAuditEnvironment } from './config.js';
import { getDefaultAuditLogger } from './default-logger.js';
import type { AuditLogger } from './logger.js';

/**
 * Options of {@link createAppLogger}.
 *
 * @example
 * ```ts
 * const log = createAppLogger({ audit, level: 'debug' });
 * log.debug({ cacheHit: true }, 'cart loaded');
 * ```
 */
export interface AppLoggerOptions {
  /** The audit logger whose destination (and format) to share. @default the default audit logger */
  audit?: AuditLogger;
  /** Application log level. @default `LOG_LEVEL`, else `'info'` */
  level?: string;
  /** Extra pino options (redact, serializers…). `level`, `base` and `timestamp` are set here. */
  pino?: Omit<LoggerOptions, 'level' | 'timestamp'>;
}

/**
 * A pino logger for application logs that writes through the audit logger's
 * synchronous destination, so app and audit lines never interleave mid-line and
 * share pretty mode. Its level (`LOG_LEVEL`) never affects audit lines (SPEC §4.2).
 *
 * @example
 * ```ts
 * const log = createAppLogger({ audit });
 * log.info({ orderId }, 'order shipped');
 * ```
 */
export function createAppLogger(options: AppLoggerOptions = {}): Logger {
  const audit = options.audit ?? getDefaultAuditLogger();
  return pino(
    {
      ...options.pino,
      level: options.level ?? readAuditEnvironment().LOG_LEVEL ?? 'info',
      base: { service: audit.service, ...(options.pino?.base ?? {}) },
      // Same key as audit lines (SPEC §3 replaces `time` with `timestamp`), so one query and one pretty layout fit both.
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }), ...(options.pino?.formatters ?? {}) },
    },
    audit.appStream,
  );
}
