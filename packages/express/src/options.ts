import {
  AuditConfigError,
  type AuditLogger,
  createAppLogger,
  getDefaultAuditLogger,
} from '@auditline/core';
import { defineOptions } from '@auditline/core/internal';
import type { Request } from 'express';
import type { HttpLogger } from 'pino-http';
import { z } from 'zod';
import {
  AMZN_TRACE_HEADER,
  DEFAULT_ANSWER_WAIT_MS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_EXCLUDED_PATHS,
  MAX_EXCLUDED_PATHS,
  MAX_TRACE_HEADERS,
  MAX_WAIT_MS,
  TRACE_HEADER,
  TRACE_ID_SOURCES,
  TRACEPARENT_HEADER,
} from './constants.js';

/**
 * A pino logger for application logs, such as core's `createAppLogger()` returns.
 * Named through pino-http, a dependency, so the published types resolve pino.
 *
 * @example
 * ```ts
 * const appLogger: AppLogger = createAppLogger({ audit, level: 'debug' });
 * app.use(auditMiddleware({ logger: audit, appLogger }));
 * ```
 */
export interface AppLogger extends PinoLogger {}
type PinoLogger = HttpLogger['logger'];

/** RFC 9110 §5.1 field-name token. */
const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
/** An absolute path without query, fragment or whitespace. */
const EXCLUDED_PATH_PATTERN = /^\/[^?#\s]{0,1023}$/;
const TRAILING_SLASHES = /\/+$/;

const auditLoggerSchema = z.custom<AuditLogger>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { log?: unknown }).log === 'function' &&
    typeof (v as { child?: unknown }).child === 'function',
  { message: 'must be an AuditLogger from createAuditLogger()' },
);

/** What auditline and pino-http call on the app logger (SPEC §5.8; `debug` is pino-http's per-request level). */
const APP_LOGGER_METHODS = ['child', 'error', 'info', 'debug'] as const;

// A logger built with pino's useOnlyCustomLevels has no info/debug: pino-http's
// finish hook then threw "log[level] is not a function" on the first request (issue #13).
const appLoggerSchema = z.custom<AppLogger>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    APP_LOGGER_METHODS.every(
      (name) => typeof (v as Record<string, unknown>)[name] === 'function',
    ) &&
    typeof (v as { level?: unknown }).level === 'string',
  {
    message: `must be a pino logger with ${APP_LOGGER_METHODS.join(', ')} methods (a logger made with useOnlyCustomLevels lacks info and debug), e.g. createAppLogger({ audit })`,
  },
);

const getUserIdSchema = z.custom<(req: Request) => unknown>((v) => typeof v === 'function', {
  message: 'must be a function (req) => string | undefined',
});

const headerNameSchema = z
  .string()
  .regex(HEADER_NAME_PATTERN, 'must be an HTTP header name')
  .transform((name) => name.toLowerCase())
  .refine((name) => name !== TRACEPARENT_HEADER && name !== AMZN_TRACE_HEADER, {
    message: `"${TRACEPARENT_HEADER}" and "${AMZN_TRACE_HEADER}" are always read after the listed headers, with their own parsers`,
  });

/** A list without repeats, frozen: the resolved lists are read per request. */
function uniqueFrozen(values: readonly string[]): readonly string[] {
  return Object.freeze([...new Set(values)]);
}

const excludedPathSchema = z
  .string()
  .regex(EXCLUDED_PATH_PATTERN, 'must start with "/" and hold no query, fragment or spaces')
  .transform((path) => (path === '/' ? path : path.replace(TRAILING_SLASHES, '')));

/**
 * Options of {@link auditMiddleware}, validated once at construction. Unknown
 * keys are rejected, so a typo fails loudly instead of being ignored.
 *
 * @example
 * ```ts
 * const parsed = auditMiddlewareOptionsSchema.safeParse(JSON.parse(readFileSync('audit.json', 'utf8')));
 * if (!parsed.success) log.error({ issues: parsed.error.issues }, 'audit.json: invalid auditMiddleware options');
 * ```
 */
export const auditMiddlewareOptionsSchema = z.strictObject({
  /** The audit logger entries go through. @default core's default logger (`getDefaultAuditLogger()`) */
  logger: auditLoggerSchema.optional(),
  /** Paths not audited; each also skips its sub-paths (SPEC §5.4). Replaces the default list. @default ['/health', '/ready', '/metrics', '/favicon.ico'] */
  excludePaths: z
    .array(excludedPathSchema)
    .max(MAX_EXCLUDED_PATHS)
    .transform(uniqueFrozen)
    .default(uniqueFrozen([...DEFAULT_EXCLUDED_PATHS])),
  /** Headers holding a plain trace id, in order; `traceparent` and `X-Amzn-Trace-Id` are read after them (SPEC §5.2). @default ['x-trace-id'] */
  traceHeaders: z
    .array(headerNameSchema)
    .max(MAX_TRACE_HEADERS)
    .transform(uniqueFrozen)
    .default(uniqueFrozen([TRACE_HEADER])),
  /**
   * Where the trace id comes from when `@opentelemetry/api` is installed and a
   * span is active as the request starts: `'headers-first'` keeps SPEC §5.2's
   * header order and uses the span's trace id only when no accepted trace
   * header exists; `'otel-first'` takes the span's trace id before any header.
   * `span_id` is written only on lines whose `traceId` is the span's trace id.
   * @default 'headers-first'
   */
  traceIdSource: z.enum(TRACE_ID_SOURCES).default('headers-first'),
  /** Resolves `user_id` when the response finishes. @default (req) => req.user?.id */
  getUserId: getUserIdSchema.optional(),
  /** Audit 401 and 403 as `ACCESS_DENIED` with `details.attempted_action` (SPEC §5.5). @default true */
  accessDenied: z.boolean().default(true),
  /** App logger behind `req.log`. @default createAppLogger({ audit: logger }), sharing the audit destination */
  appLogger: appLoggerSchema.optional(),
  /** After the client left, how long the entry waits for the handler to answer before it says it never did (SPEC §5.6). @default 5000 */
  answerWaitMs: z.number().int().min(0).max(MAX_WAIT_MS).default(DEFAULT_ANSWER_WAIT_MS),
  /** On `close()`, SIGTERM or SIGINT, how long in-flight requests get to finish before they are written as interrupted and `AUDIT_STOP` follows (SPEC §7). @default 10000 */
  drainTimeoutMs: z.number().int().min(0).max(MAX_WAIT_MS).default(DEFAULT_DRAIN_TIMEOUT_MS),
});

/**
 * Options of {@link auditMiddleware}, inferred from {@link auditMiddlewareOptionsSchema}.
 *
 * @example
 * ```ts
 * const options: AuditMiddlewareOptions = {
 *   logger: audit,
 *   excludePaths: [...DEFAULT_EXCLUDED_PATHS, '/internal'],
 *   getUserId: (req) => req.get('x-amzn-oidc-identity'), // set by the ALB's authenticate-oidc action
 * };
 * app.use(auditMiddleware(options));
 * ```
 */
export type AuditMiddlewareOptions = z.input<typeof auditMiddlewareOptionsSchema>;

/**
 * Options after defaults are applied (the schema's `z.output`, with the logger
 * and app logger filled in). Frozen.
 */
export type ResolvedMiddlewareOptions = Readonly<
  Omit<z.output<typeof auditMiddlewareOptionsSchema>, 'logger' | 'appLogger'> & {
    readonly logger: AuditLogger;
    readonly appLogger: AppLogger;
  }
>;

const FIXES: Record<string, string> = {
  logger: 'pass the logger returned by createAuditLogger() from @auditline/core, or leave it out',
  excludePaths: `pass up to ${MAX_EXCLUDED_PATHS} absolute paths such as "/health" (no query string)`,
  traceHeaders: `pass up to ${MAX_TRACE_HEADERS} header names such as "x-request-id"; traceparent and X-Amzn-Trace-Id need not be listed`,
  traceIdSource: `pass one of ${TRACE_ID_SOURCES.map((s) => `"${s}"`).join(', ')}`,
  getUserId: 'pass a function such as (req) => req.user?.sub',
  accessDenied: 'pass true or false',
  appLogger:
    'pass a pino logger with the default levels, e.g. createAppLogger({ audit }) from @auditline/core (drop useOnlyCustomLevels, or add error, info and debug to customLevels)',
  answerWaitMs: `pass a whole number of milliseconds from 0 to ${MAX_WAIT_MS}`,
  drainTimeoutMs: `pass a whole number of milliseconds from 0 to ${MAX_WAIT_MS}, below your platform's stop timeout`,
};

const parseMiddlewareOptions = defineOptions({
  where: 'auditMiddleware',
  schema: auditMiddlewareOptionsSchema,
  fixes: FIXES,
  docs: 'see the option table in the @auditline/express README',
  // `option` values such as `excludePaths.0` are what users and tests match.
  pathStyle: 'dots',
  error: (facts) => new AuditConfigError(facts.option, facts.message, facts),
});

/**
 * Validates the options once and applies defaults. Throws {@link AuditConfigError}
 * naming the option and the fix. The caller's object is never mutated.
 */
export function resolveMiddlewareOptions(options: unknown): ResolvedMiddlewareOptions {
  const source = options ?? {};
  if (typeof source !== 'object' || Array.isArray(source)) {
    throw new AuditConfigError(
      '(options)',
      'auditMiddleware: options must be an object or undefined.',
    );
  }
  const o = parseMiddlewareOptions(source);
  const logger = o.logger ?? getDefaultAuditLogger();
  return Object.freeze({
    ...o,
    logger,
    appLogger: o.appLogger ?? createAppLogger({ audit: logger }),
  });
}
