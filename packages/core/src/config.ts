import { isatty } from 'node:tty';
import { z } from 'zod';
import {
  AUDIT_FORMATS,
  type AuditFormat,
  DEFAULT_MAX_ENTRY_BYTES,
  DEFAULT_STALL_TIMEOUT_MS,
  ENV_VARS,
  MAX_ALLOWED_ENTRY_BYTES,
  MAX_DESTINATION_FD,
  MAX_STALL_TIMEOUT_MS,
  MIN_ALLOWED_ENTRY_BYTES,
  STALL_POLICIES,
  STDOUT_FD,
  type StallPolicy,
} from './constants.js';
import { defineOptions } from './define-options.js';
import { AuditConfigError } from './errors.js';
import type { AuditDestination, AuditEnvironment, AuditPlugin } from './types.js';

let cachedEnv: Readonly<AuditEnvironment> | undefined;

/**
 * The only place auditline reads `process.env` (SPEC §4.8). Read once, on first
 * use, then frozen: the hot path never touches `process.env`.
 *
 * @example
 * ```ts
 * const env = readAuditEnvironment();
 * env.AUDIT_SERVICE_NAME; // 'orders' | undefined
 * ```
 */
export function readAuditEnvironment(): Readonly<AuditEnvironment> {
  if (cachedEnv) return cachedEnv;
  const pick = (name: string): string | undefined => {
    const value = process.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  cachedEnv = Object.freeze({
    AUDIT_SERVICE_NAME: pick(ENV_VARS.serviceName),
    AUDIT_SERVICE_VERSION: pick(ENV_VARS.serviceVersion),
    AUDIT_LOG_FORMAT: pick(ENV_VARS.format),
    AUDIT_MAX_ENTRY_BYTES: pick(ENV_VARS.maxEntryBytes),
    AUDIT_HMAC_KEY: pick(ENV_VARS.hmacKey),
    AUDIT_HMAC_KEY_ID: pick(ENV_VARS.hmacKeyId),
    AUDIT_EMF_NAMESPACE: pick(ENV_VARS.emfNamespace),
    LOG_LEVEL: pick(ENV_VARS.logLevel),
    NODE_ENV: pick(ENV_VARS.nodeEnv),
    ECS_CONTAINER_METADATA_URI_V4: pick(ENV_VARS.ecsMetadataUri),
  });
  return cachedEnv;
}

const destinationStreamSchema = z.custom<AuditDestination>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { write?: unknown }).write === 'function',
  { message: 'must be an object with a write(line) method, or a file descriptor number' },
);

/**
 * A stream (`{ write(line) }`: `pino.destination()`, sonic-boom, `createMemorySink()`)
 * or a file descriptor, written by auditline's own synchronous writer. The fd
 * form is how a service shares a destination through public API only: pino
 * has no public way to reach a logger's stream (issue #14, STYLE anti-patterns).
 */
const destinationSchema = z.union([
  z.number().int().min(0).max(MAX_DESTINATION_FD),
  destinationStreamSchema,
]);

const pluginSchema = z.custom<AuditPlugin>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    Array.isArray((value as { reservedKeys?: unknown }).reservedKeys) &&
    typeof (value as { setup?: unknown }).setup === 'function',
  {
    message:
      'must be an AuditPlugin ({ name, reservedKeys, setup }), e.g. emf() from @auditline/emf',
  },
);

/** A pino logger, recognised structurally so core never depends on a pino instance's class. */
export interface PinoLike {
  readonly level: string;
  child(bindings: Record<string, unknown>): PinoLike;
}

const pinoSchema = z.custom<PinoLike>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { child?: unknown }).child === 'function' &&
    typeof (value as { level?: unknown }).level === 'string',
  { message: 'must be a pino logger (pino())' },
);

/**
 * Options of `createAuditLogger`. Every option is optional; precedence is
 * option > environment variable > default (SPEC §4.8).
 *
 * @example
 * ```ts
 * auditLoggerOptionsSchema.safeParse({ service: 'orders', format: 'json' }).success; // true
 * auditLoggerOptionsSchema.safeParse({ format: 'xml' }).success; // false
 * ```
 */
export const auditLoggerOptionsSchema = z.strictObject({
  /** Service name on every line. @default `AUDIT_SERVICE_NAME`, else `'unknown-service'` */
  service: z.string().min(1).max(256).optional(),
  /** Optional `service_version`. @default `AUDIT_SERVICE_VERSION` */
  serviceVersion: z.string().min(1).max(128).optional(),
  /** `'json'`, `'pretty'` or `'emf'`. @default `AUDIT_LOG_FORMAT`, else pretty on a TTY outside production, else json */
  format: z.enum([AUDIT_FORMATS.json, AUDIT_FORMATS.pretty, AUDIT_FORMATS.emf]).optional(),
  /** Line size cap in bytes, 16,384–262,000. @default `AUDIT_MAX_ENTRY_BYTES`, else 16,384 */
  maxEntryBytes: z
    .number()
    .int()
    .min(MIN_ALLOWED_ENTRY_BYTES)
    .max(MAX_ALLOWED_ENTRY_BYTES)
    .optional(),
  /** What `log()` does with invalid params. @default 'emit' */
  onInvalid: z.enum(['emit', 'throw']).optional(),
  /** Extra keys (any depth, case-insensitive) or dotted paths under `details` to censor. @default [] */
  redact: z.array(z.string().min(1).max(256)).max(256).optional(),
  /** Names never censored, matched in their normalised form (`csrf-token` = `csrfToken`). @default [] */
  redactAllow: z.array(z.string().min(1).max(256)).max(256).optional(),
  /** URL path patterns for `path` and `resource`: `*` segments are censored, `:name` kept (`'/reset/*'`). @default [] */
  redactPaths: z
    .array(
      z
        .string()
        .min(1)
        .max(1024)
        .refine((p) => p.split('/').includes('*'), 'must contain a * segment to censor'),
    )
    .max(256)
    .optional(),
  /** Drop query strings from `path` and `resource` instead of redacting sensitive values. @default false */
  stripQueryStrings: z.boolean().optional(),
  /** HMAC chain key (SPEC §7). `false` turns it off even when `AUDIT_HMAC_KEY` is set. @default `AUDIT_HMAC_KEY` */
  integrity: z
    .union([
      z.literal(false),
      z.strictObject({
        key: z.union([z.string().min(16), z.instanceof(Uint8Array)]),
        keyId: z.string().min(1).max(128).optional(),
      }),
    ])
    .optional(),
  /** Where lines go: a stream with `write(line)` (e.g. the `pino.destination()` an app logger writes to, to share it) or a file descriptor number, written synchronously by auditline's own writer. @default fd 1, synchronous */
  destination: destinationSchema.optional(),
  /** An app's pino logger. Its stream is not shared (pino has no public way to reach it): lines go to fd 1 through auditline's writer, with one `AUDITLINE_PINO_NOT_SHARED` warning. To share, pass its stream as `destination`. */
  pino: pinoSchema.optional(),
  /** Plugins that add top-level members, e.g. `emf()`. @default [] */
  plugins: z.array(pluginSchema).max(16).optional(),
  /** Write `AUDIT_STOP` and flush on SIGTERM/SIGINT, then let the app's shutdown continue. @default false */
  handleSignals: z.boolean().optional(),
  /** Exit the process (code 74) when the destination breaks, like auditd's `disk_error_action`. @default false */
  failClosed: z.boolean().optional(),
  /** What a write to fd 1 does when the reader accepts nothing for `stallTimeoutMs`: `'block'` (say so on stderr, keep waiting) or `'exit'` (say so, exit 75), like auditd's `disk_full_action`. Built-in fd destination only. @default 'block' */
  onStall: z.enum([STALL_POLICIES.block, STALL_POLICIES.exit]).optional(),
  /** When fd 1 is a pipe or socket, make `process.stdout.write` (`console.log`) synchronous through the same kind of writer as audit lines, so the two never interleave. `false` leaves `process.stdout` untouched (fd 1 may then stay blocking, and a stall cannot be detected). Built-in fd destination only. @default true */
  routeStdout: z.boolean().optional(),
  /** How long a write may make no progress before `onStall` acts, in ms. Built-in fd destination only. @default 10000 */
  stallTimeoutMs: z.number().int().min(1).max(MAX_STALL_TIMEOUT_MS).optional(),
  /** Read the ECS task ARN and cluster once from `ECS_CONTAINER_METADATA_URI_V4` when set. @default true */
  ecsMetadata: z.boolean().optional(),
  /** Include `stack` when serialising Errors inside `details`. @default false */
  errorStack: z.boolean().optional(),
});

/**
 * Options of `createAuditLogger`, inferred from {@link auditLoggerOptionsSchema}.
 *
 * @example
 * ```ts
 * const options: AuditLoggerOptions = { service: 'orders-api', format: 'json', redact: ['iban'] };
 * const audit = createAuditLogger(options);
 * ```
 */
export type AuditLoggerOptions = z.input<typeof auditLoggerOptionsSchema>;

/**
 * Options after precedence (option > env > default) is applied. Frozen.
 *
 * @example
 * ```ts
 * const resolved: ResolvedAuditOptions = resolveAuditOptions({ service: 'orders' });
 * resolved.onInvalid; // 'emit'
 * ```
 */
export interface ResolvedAuditOptions {
  readonly service: string;
  readonly serviceVersion: string | undefined;
  readonly format: AuditFormat;
  readonly maxEntryBytes: number;
  readonly onInvalid: 'emit' | 'throw';
  readonly redact: readonly string[];
  readonly redactAllow: readonly string[];
  readonly redactPaths: readonly string[];
  readonly stripQueryStrings: boolean;
  readonly integrity: { readonly key: Uint8Array | string; readonly keyId: string } | undefined;
  /** A stream, or an fd for auditline's own writer; unset means fd 1. */
  readonly destination: AuditDestination | number | undefined;
  readonly pino: PinoLike | undefined;
  readonly plugins: readonly AuditPlugin[];
  readonly handleSignals: boolean;
  readonly failClosed: boolean;
  readonly routeStdout: boolean;
  readonly onStall: StallPolicy;
  readonly stallTimeoutMs: number;
  readonly ecsMetadata: boolean;
  readonly errorStack: boolean;
  readonly env: Readonly<AuditEnvironment>;
}

const FIXES: Record<string, string> = {
  service: 'pass a non-empty name such as "orders-api", or set AUDIT_SERVICE_NAME',
  format: 'use "json", "pretty" or "emf"',
  maxEntryBytes: `use an integer between ${MIN_ALLOWED_ENTRY_BYTES} and ${MAX_ALLOWED_ENTRY_BYTES} (awslogs splits at 262,118 bytes)`,
  onInvalid: 'use "emit" (write the entry with details.validation_errors) or "throw"',
  integrity:
    'pass false, or { key } with a key of at least 16 characters (or a Uint8Array), e.g. from AUDIT_HMAC_KEY',
  destination:
    'pass an object with a write(line) method (a pino.destination() stream, createMemorySink()) or a file descriptor number such as 1',
  plugins: 'pass plugin objects such as emf() from @auditline/emf',
  onStall:
    'use "block" (wait for the reader) or "exit" (exit 75 so the orchestrator restarts the task)',
  stallTimeoutMs: `use an integer number of milliseconds between 1 and ${MAX_STALL_TIMEOUT_MS}, e.g. 10000`,
  redactPaths:
    "pass path patterns with a '*' segment to censor, e.g. ['/reset/*', 'invites/:org/*']",
  redactAllow: "pass names that are never censored, e.g. ['csrfToken']",
};

const parseAuditOptions = defineOptions({
  where: 'createAuditLogger',
  schema: auditLoggerOptionsSchema,
  fixes: FIXES,
  // The HMAC key is never shown, not even its first characters.
  secret: ['integrity'],
  docs: 'see the option table in the @auditline/core README',
  error: (facts) => new AuditConfigError(facts.option, facts.message, facts),
});

/**
 * Pretty on a terminal outside production, else JSON (SPEC §4.4). `isatty(1)`,
 * not `process.stdout.isTTY`: touching `process.stdout` on a pipe makes fd 1
 * non-blocking (SPEC §4.4), which the durable writer would then have to work around.
 */
function defaultFormat(env: Readonly<AuditEnvironment>): AuditFormat {
  return isatty(STDOUT_FD) && env.NODE_ENV !== 'production'
    ? AUDIT_FORMATS.pretty
    : AUDIT_FORMATS.json;
}

function envOption<T>(
  name: string,
  raw: string | undefined,
  schema: z.ZodType<T>,
  parse: (raw: string) => unknown,
): T | undefined {
  if (raw === undefined) return undefined;
  const result = schema.safeParse(parse(raw));
  if (!result.success) {
    throw new AuditConfigError(
      name,
      `${name}="${raw.slice(0, 80)}" is invalid: ${result.error.issues[0]?.message}. Fix: ${FIXES[name === 'AUDIT_LOG_FORMAT' ? 'format' : 'maxEntryBytes']}.`,
    );
  }
  return result.data;
}

/**
 * Validates options once, at construction, and applies precedence
 * option > env > default. Throws {@link AuditConfigError} naming the option.
 * The caller's object is never mutated; the result is frozen.
 *
 * @example
 * ```ts
 * const resolved = resolveAuditOptions({ service: 'orders' });
 * resolved.maxEntryBytes; // 16384 unless AUDIT_MAX_ENTRY_BYTES is set
 * ```
 */
export function resolveAuditOptions(options: AuditLoggerOptions = {}): ResolvedAuditOptions {
  if (typeof options !== 'object' || options === null) {
    throw new AuditConfigError(
      '(options)',
      'createAuditLogger: options must be an object or undefined.',
    );
  }
  const o = parseAuditOptions(options);
  const env = readAuditEnvironment();

  const envFormat = envOption(
    ENV_VARS.format,
    env.AUDIT_LOG_FORMAT,
    auditLoggerOptionsSchema.shape.format,
    (raw) => raw.toLowerCase(),
  );
  const envMax = envOption(
    ENV_VARS.maxEntryBytes,
    env.AUDIT_MAX_ENTRY_BYTES,
    auditLoggerOptionsSchema.shape.maxEntryBytes,
    Number,
  );

  let integrity: ResolvedAuditOptions['integrity'];
  if (o.integrity) {
    integrity = Object.freeze({ key: o.integrity.key, keyId: o.integrity.keyId ?? 'default' });
  } else if (o.integrity === undefined && env.AUDIT_HMAC_KEY !== undefined) {
    if (env.AUDIT_HMAC_KEY.length < 16) {
      throw new AuditConfigError(
        ENV_VARS.hmacKey,
        `${ENV_VARS.hmacKey} is too short (${env.AUDIT_HMAC_KEY.length} chars). Fix: ${FIXES.integrity}.`,
      );
    }
    integrity = Object.freeze({
      key: env.AUDIT_HMAC_KEY,
      keyId: env.AUDIT_HMAC_KEY_ID ?? 'default',
    });
  }

  if (o.destination !== undefined && o.pino) {
    throw new AuditConfigError(
      'destination',
      'createAuditLogger: "destination" and "pino" both choose where lines go. Fix: pass only one of them: "destination" alone, with the stream or fd your pino logger writes to.',
    );
  }

  // A stream of the caller's ignores the fd writer's options; an fd number
  // (and `pino` alone, which falls back to fd 1) uses that writer.
  const customStream = typeof o.destination === 'object';
  const fdOnly = (['onStall', 'stallTimeoutMs', 'routeStdout'] as const).filter(
    (name) => o[name] !== undefined,
  );
  if (customStream && fdOnly.length > 0) {
    const stallOption = fdOnly.join(', ');
    throw new AuditConfigError(
      stallOption,
      `createAuditLogger: "${stallOption}" applies only to the built-in fd 1 writer, but "destination" chooses another one. Fix: drop "${stallOption}", or pass "destination" as a file descriptor number (e.g. 1).`,
    );
  }

  return Object.freeze({
    service: o.service ?? env.AUDIT_SERVICE_NAME ?? 'unknown-service',
    serviceVersion: o.serviceVersion ?? env.AUDIT_SERVICE_VERSION,
    format: o.format ?? envFormat ?? defaultFormat(env),
    maxEntryBytes: o.maxEntryBytes ?? envMax ?? DEFAULT_MAX_ENTRY_BYTES,
    onInvalid: o.onInvalid ?? 'emit',
    redact: Object.freeze([...(o.redact ?? [])]),
    redactAllow: Object.freeze([...(o.redactAllow ?? [])]),
    redactPaths: Object.freeze([...(o.redactPaths ?? [])]),
    stripQueryStrings: o.stripQueryStrings ?? false,
    integrity,
    destination: o.destination,
    pino: o.pino,
    plugins: Object.freeze([...(o.plugins ?? [])]),
    handleSignals: o.handleSignals ?? false,
    failClosed: o.failClosed ?? false,
    routeStdout: o.routeStdout ?? true,
    onStall: o.onStall ?? STALL_POLICIES.block,
    stallTimeoutMs: o.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
    ecsMetadata: o.ecsMetadata ?? true,
    errorStack: o.errorStack ?? false,
    env,
  });
}
