import pino, { type Logger, type LoggerOptions } from 'pino';
import { z } from 'zod';
import { readAuditEnvironment } from './config.js';
import { ENV_VARS } from './constants.js';
import { getDefaultAuditLogger } from './default-logger.js';
import { defineOptions, previewValue } from './define-options.js';
import { AuditConfigError } from './errors.js';
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
 * Methods auditline itself calls on an app logger: `error` (failure reports,
 * SPEC §5.8), `info`, and `debug` (pino-http's per-request line). A logger
 * without them (pino's `useOnlyCustomLevels`) crashed on the first request
 * (issue #13), so it is refused at construction.
 *
 * @example
 * ```ts
 * REQUIRED_APP_LOG_METHODS.every((m) => typeof appLogger[m] === 'function'); // true
 * ```
 */
export const REQUIRED_APP_LOG_METHODS = Object.freeze(['error', 'info', 'debug'] as const);

const appLoggerOptionsSchema = z.strictObject({
  audit: z
    .custom<AuditLogger>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as { appStream?: { write?: unknown } }).appStream?.write === 'function',
      { message: 'must be an AuditLogger from createAuditLogger()' },
    )
    .optional(),
  level: z.string().min(1).max(64).optional(),
  pino: z
    .custom<Omit<LoggerOptions, 'level' | 'timestamp'>>(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      { message: 'must be a pino options object' },
    )
    .optional(),
});

const FIXES: Record<string, string> = {
  audit: 'pass the logger returned by createAuditLogger(), or leave it out',
  level: 'pass one of the logger\'s levels, e.g. "info"',
  pino: 'pass a pino options object such as { redact: ["req.headers.cookie"] }',
};

const parseAppLoggerOptions = defineOptions({
  where: 'createAppLogger',
  schema: appLoggerOptionsSchema,
  fixes: FIXES,
  docs: 'use audit, level and pino only',
  error: (facts) => new AuditConfigError(facts.option, facts.message, facts),
});

/** The level names a pino logger built from `options` would accept. */
function levelNamesOf(options: AppLoggerOptions['pino']): Set<string> {
  const custom = Object.keys((options?.customLevels as Record<string, number> | undefined) ?? {});
  const names = options?.useOnlyCustomLevels
    ? custom
    : [...Object.keys(pino.levels.values), ...custom];
  return new Set([...names, 'silent']);
}

function checkLevel(level: string, option: string, known: ReadonlySet<string>): void {
  if (known.has(level)) return;
  throw new AuditConfigError(
    option,
    `createAppLogger: ${option === ENV_VARS.logLevel ? `${ENV_VARS.logLevel}="${level.slice(0, 64)}"` : `invalid option "level" (got ${previewValue(level)})`} is not a level of the app logger. Fix: use one of ${[...known].join(', ')}.`,
  );
}

/**
 * A pino logger for application logs that writes through the audit logger's
 * synchronous destination, so app and audit lines never interleave mid-line and
 * share pretty mode. Its level (`LOG_LEVEL`) never affects audit lines (SPEC §4.2).
 *
 * Its lines cannot pass for audit lines: reserved top-level keys (`audit`,
 * `seq`, `_aws`, `instance`, `hash`, `prev`, `keyId`, the EMF plugin's names)
 * are moved under `app_fields`, and the audit logger's redaction applies
 * (SPEC §6, issue #13). Options, `LOG_LEVEL` included, are checked here: a bad
 * one throws {@link AuditConfigError} naming it.
 *
 * @example
 * ```ts
 * const log = createAppLogger({ audit });
 * log.info({ orderId: order.id }, 'order shipped');
 * ```
 */
export function createAppLogger(options: AppLoggerOptions = {}): Logger {
  const o = parseAppLoggerOptions(options ?? {});
  const known = levelNamesOf(o.pino);
  const missing = REQUIRED_APP_LOG_METHODS.filter((name) => !known.has(name));
  if (missing.length > 0) {
    throw new AuditConfigError(
      'pino.useOnlyCustomLevels',
      `createAppLogger: with useOnlyCustomLevels the app logger has no ${missing.join(', ')} method, which auditline and pino-http call (the first request would crash). Fix: drop useOnlyCustomLevels, or add ${missing.join(', ')} to customLevels.`,
    );
  }
  const envLevel = readAuditEnvironment().LOG_LEVEL;
  if (o.level !== undefined) checkLevel(o.level, 'level', known);
  else if (envLevel !== undefined) checkLevel(envLevel, ENV_VARS.logLevel, known);

  const audit = o.audit ?? getDefaultAuditLogger();
  try {
    return pino(
      {
        ...o.pino,
        level: o.level ?? envLevel ?? 'info',
        base: { service: audit.service, ...(o.pino?.base ?? {}) },
        // Same key as audit lines (SPEC §3 replaces `time` with `timestamp`), so one query and one pretty layout fit both.
        timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
        formatters: { level: (label) => ({ level: label }), ...(o.pino?.formatters ?? {}) },
      },
      audit.appStream,
    );
  } catch (error) {
    // pino's own construction errors (a transport beside our stream, a bad mixin…), named.
    throw new AuditConfigError(
      'pino',
      `createAppLogger: pino refused the "pino" options: ${(error as Error)?.message}. Fix: ${FIXES.pino}; the destination is always the audit logger's.`,
      { cause: error },
    );
  }
}
