/**
 * Built-in audit actions (SPEC §3). Custom actions are allowed when they match
 * {@link CUSTOM_ACTION_PATTERN}.
 *
 * @example
 * ```ts
 * import { AUDIT_ACTIONS, logAudit } from '@auditline/core';
 * logAudit({ action: AUDIT_ACTIONS.DELETE, resource: '/orders/42', status: 'SUCCESS' });
 * ```
 */
export const AUDIT_ACTIONS = Object.freeze({
  CREATE: 'CREATE',
  READ: 'READ',
  UPDATE: 'UPDATE',
  DELETE: 'DELETE',
  LOGIN: 'LOGIN',
  LOGOUT: 'LOGOUT',
  ACCESS_DENIED: 'ACCESS_DENIED',
} as const);

/**
 * One of the built-in actions.
 *
 * @example
 * ```ts
 * const action: BuiltInAuditAction = req.method === 'DELETE' ? 'DELETE' : 'UPDATE';
 * ```
 */
export type BuiltInAuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

/**
 * Actions the logger writes itself to frame an instance's stream (SPEC §7).
 * They are valid custom actions, so downstream consumers need no special case.
 *
 * @example
 * ```ts
 * import { type AuditEntry, LIFECYCLE_ACTIONS } from '@auditline/core';
 * const entries = lines.map((l) => JSON.parse(l) as AuditEntry);
 * const stops = entries.filter((e) => e.action === LIFECYCLE_ACTIONS.AUDIT_STOP);
 * ```
 */
export const LIFECYCLE_ACTIONS = Object.freeze({
  AUDIT_START: 'AUDIT_START',
  AUDIT_STOP: 'AUDIT_STOP',
} as const);

/**
 * The two outcomes of an audited operation (SPEC §3).
 *
 * @example
 * ```ts
 * import { AUDIT_STATUSES } from '@auditline/core';
 * const status = res.statusCode < 400 ? AUDIT_STATUSES.SUCCESS : AUDIT_STATUSES.FAILED;
 * ```
 */
export const AUDIT_STATUSES = Object.freeze({ SUCCESS: 'SUCCESS', FAILED: 'FAILED' } as const);

/**
 * `"SUCCESS"` or `"FAILED"`.
 *
 * @example
 * ```ts
 * const status: AuditStatus = res.statusCode < 400 ? 'SUCCESS' : 'FAILED';
 * ```
 */
export type AuditStatus = (typeof AUDIT_STATUSES)[keyof typeof AUDIT_STATUSES];

/**
 * Wire-format field names (SPEC §3). Queries, metric filters and dashboards are
 * generated from these, so they are an interface: never rename them.
 *
 * @example
 * ```ts
 * import { AUDIT_FIELDS } from '@auditline/core';
 * const filter = `{ $.${AUDIT_FIELDS.action} = "DELETE" }`;
 * ```
 */
export const AUDIT_FIELDS = Object.freeze({
  level: 'level',
  audit: 'audit',
  timestamp: 'timestamp',
  service: 'service',
  serviceVersion: 'service_version',
  instance: 'instance',
  seq: 'seq',
  traceId: 'traceId',
  spanId: 'span_id',
  userId: 'user_id',
  action: 'action',
  resource: 'resource',
  status: 'status',
  method: 'method',
  route: 'route',
  path: 'path',
  ipAddress: 'ip_address',
  userAgent: 'user_agent',
  details: 'details',
  ecs: 'ecs',
  truncated: 'truncated',
  originalBytes: 'original_bytes',
  originalSha256: 'original_sha256',
  keyId: 'keyId',
  prev: 'prev',
  hash: 'hash',
} as const);

/**
 * Reserved keys inside `details` whose types the schema enforces (SPEC §3).
 *
 * @example
 * ```ts
 * import { DETAIL_FIELDS } from '@auditline/core';
 * const q = `stats avg(details.${DETAIL_FIELDS.durationMs})`;
 * ```
 */
export const DETAIL_FIELDS = Object.freeze({
  statusCode: 'statusCode',
  durationMs: 'duration_ms',
  error: 'error',
  reason: 'reason',
  mfaUsed: 'mfa_used',
  validationErrors: 'validation_errors',
  unexpectedFields: 'unexpected_fields',
  /**
   * Set when `log({ req })` was given a request no auditline middleware
   * resolved: its fields come from the node:http request itself (socket peer
   * address, not `trust proxy`), and it lends no user (issue #12).
   */
  requestUnresolved: 'request_unresolved',
  /** Set on an entry written from a callback that outlived its request (SPEC §4.9). */
  contextEnded: 'context_ended',
  /** On a request's automatic entry: the `seq` of the explicit entry that claimed the request (SPEC §5.7). */
  claimedBy: 'claimed_by',
  /** On a claimed request's outcome entry: the outcome failed although every explicit entry said SUCCESS. */
  contradictsClaim: 'contradicts_claim',
  /** On every line written inside a request: its position among that request's lines, from 1. */
  requestLine: 'request_line',
} as const);

/**
 * Action of a request's automatic entry when an explicit entry in the handler
 * already claimed the request (SPEC §5.7): it records the outcome (status,
 * duration, abort) without counting the action a second time. The action
 * filters do not count it; the failure filter counts it only when it
 * contradicts the claim (`details.contradicts_claim`).
 *
 * @example
 * ```ts
 * const outcomes = lines.filter((l) => JSON.parse(l).action === REQUEST_OUTCOME_ACTION);
 * ```
 */
export const REQUEST_OUTCOME_ACTION = 'REQUEST_OUTCOME';

/**
 * Pattern for custom actions (SPEC §3).
 *
 * @example
 * ```ts
 * CUSTOM_ACTION_PATTERN.test('EXPORT_REPORT'); // true
 * CUSTOM_ACTION_PATTERN.test('export-report'); // false
 * ```
 */
export const CUSTOM_ACTION_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Accepted trace ids: at most 128 chars of `[A-Za-z0-9._:-]` (SPEC §5.2).
 *
 * @example
 * ```ts
 * import { randomUUID } from 'node:crypto';
 * const header = req.get('x-trace-id') ?? '';
 * const traceId = TRACE_ID_PATTERN.test(header) ? header : randomUUID();
 * ```
 */
export const TRACE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * `resource` length cap (SPEC §3).
 *
 * @example
 * ```ts
 * const resource = req.originalUrl.slice(0, MAX_RESOURCE_LENGTH);
 * ```
 */
export const MAX_RESOURCE_LENGTH = 1024;
/**
 * `user_agent` length cap (SPEC §5.3).
 *
 * @example
 * ```ts
 * const userAgent = req.get('user-agent')?.slice(0, MAX_USER_AGENT_LENGTH);
 * ```
 */
export const MAX_USER_AGENT_LENGTH = 512;
/** `user_id` length cap. The spec is silent; 256 keeps required fields well under the smallest allowed `maxEntryBytes`. */
export const MAX_USER_ID_LENGTH = 256;
/** `path` length cap. The spec is silent; 2048 matches common URL limits of proxies and ALBs. */
export const MAX_PATH_LENGTH = 2048;
/**
 * `route` length cap: a route template (`/api/orders/:id`, mounts included) holds
 * names, not values, so 512 is generous (SPEC §3).
 */
export const MAX_ROUTE_LENGTH = 512;
/** `method` length cap: HTTP methods are short tokens. */
export const MAX_METHOD_LENGTH = 32;
/** Length of the longest textual IPv6 form with a zone is 45+; 64 is safe. */
export const MAX_IP_LENGTH = 64;
/**
 * Longest accepted trace id (SPEC §5.2).
 *
 * @example
 * ```ts
 * const incoming = req.get('x-trace-id') ?? '';
 * // A longer id is ignored (a new one is generated), never cut (SPEC §5.2).
 * const usable = incoming.length > 0 && incoming.length <= MAX_TRACE_ID_LENGTH;
 * ```
 */
export const MAX_TRACE_ID_LENGTH = 128;

/**
 * `span_id`: an OpenTelemetry span id, 16 lowercase hex (W3C Trace Context
 * parent-id), not all zero (SPEC §3).
 *
 * @example
 * ```ts
 * SPAN_ID_PATTERN.test('00f067aa0ba902b7'); // true
 * ```
 */
export const SPAN_ID_PATTERN = /^(?!0{16})[0-9a-f]{16}$/;

/**
 * Default line size cap: 16 KiB is safe for every log driver, FireLens included (SPEC §4.5).
 *
 * @example
 * ```ts
 * createAuditLogger({ maxEntryBytes: DEFAULT_MAX_ENTRY_BYTES * 4 }); // 64 KiB lines
 * ```
 */
export const DEFAULT_MAX_ENTRY_BYTES = 16_384;
/**
 * Largest allowed `maxEntryBytes`. awslogs splits events at 262,118 bytes
 * (moby daemon/logger/awslogs, aws/shim-loggers-for-containerd); 262,000 leaves
 * room for the newline and the driver's own framing (SPEC §4.5).
 *
 * @example
 * ```ts
 * createAuditLogger({ maxEntryBytes: MAX_ALLOWED_ENTRY_BYTES }); // largest line awslogs keeps whole
 * ```
 */
export const MAX_ALLOWED_ENTRY_BYTES = 262_000;
/**
 * Smallest allowed `maxEntryBytes`. Required fields are never cut (SPEC §4.5); at
 * their length caps, escaped at 6 bytes per control character, with EMF and chain
 * members, they need about 12 KiB, so the floor is the 16 KiB default.
 *
 * @example
 * ```ts
 * const wanted = 8 * 1024; // below the floor: createAuditLogger would throw AuditConfigError
 * const maxEntryBytes = Math.max(MIN_ALLOWED_ENTRY_BYTES, wanted);
 * createAuditLogger({ maxEntryBytes });
 * ```
 */
export const MIN_ALLOWED_ENTRY_BYTES = 16_384;

/** Deepest nesting written inside `details` (SPEC §4.6). */
export const MAX_DETAIL_DEPTH = 8;
/** Most keys written per object inside `details`; the rest become a marker (SPEC §4.6). */
export const MAX_KEYS_PER_OBJECT = 256;
/** Most items written per array, Set or Map inside `details` (SPEC §4.6). */
export const MAX_ITEMS_PER_ARRAY = 1_000;
/**
 * `details` keys written first, in this order, whatever order the caller used:
 * the reserved keys (SPEC §3) and the middleware's `attempted_action` (SPEC §5.5),
 * which the generated queries read. Logs Insights discovers only the first 200
 * fields of a log event, in wire order (CloudWatch Logs User Guide, "Supported
 * logs and discovered fields"): with 250 caller keys first, `details.duration_ms`
 * was field #261 (issue #17). Written first, they follow the ~21 members before
 * `details` whatever the caller adds.
 */
export const LEADING_DETAIL_KEYS: readonly string[] = Object.freeze([
  'statusCode',
  'duration_ms',
  'error',
  'reason',
  'mfa_used',
  'attempted_action',
  'validation_errors',
  'unexpected_fields',
]);
/**
 * Most values visited per entry, over every path together (SPEC §4.6, issue #13):
 * depth and key caps alone let shared references multiply the work (7 objects
 * with 10 references each took 1.3 s and 326 MB). Past it, values become markers.
 */
export const MAX_DETAIL_NODES = 10_000;
/**
 * Most characters of strings and keys written per entry, over every path
 * together. Above the largest line (262,000 bytes) with room for the size guard
 * to report a 1 MB value it trimmed; past it, strings are cut.
 */
export const MAX_DETAIL_CHARS = 2_097_152;

/**
 * Value of `prev` on the first chained entry of an instance (SPEC §7).
 *
 * @example
 * ```ts
 * const audit = createAuditLogger({ destination: sink, integrity: { key } });
 * sink.entries[0]?.prev === GENESIS_HASH; // true: AUDIT_START opens the chain
 * ```
 */
export const GENESIS_HASH = '0'.repeat(64);

/** Where the line goes by default: fd 1, synchronously (SPEC §4.4). */
export const STDOUT_FD = 1;

/**
 * Largest file descriptor the `destination` option accepts: libuv's fds are
 * C ints, and a number past this is a typo (a port, a byte count), not an fd.
 */
export const MAX_DESTINATION_FD = 2 ** 31 - 1;

/**
 * Output formats (SPEC §4.8, `AUDIT_LOG_FORMAT`).
 *
 * @example
 * ```ts
 * createAuditLogger({ format: AUDIT_FORMATS.json });
 * ```
 */
export const AUDIT_FORMATS = Object.freeze({ json: 'json', pretty: 'pretty', emf: 'emf' } as const);
/**
 * `'json' | 'pretty' | 'emf'`.
 *
 * @example
 * ```ts
 * const format: AuditFormat = process.env.NODE_ENV === 'production' ? 'json' : 'pretty';
 * createAuditLogger({ format });
 * ```
 */
export type AuditFormat = (typeof AUDIT_FORMATS)[keyof typeof AUDIT_FORMATS];

/**
 * Every environment variable auditline reads (SPEC §4.8). They are read once, in `config.ts`.
 *
 * @example
 * ```ts
 * import { ENV_VARS } from '@auditline/core';
 * const name = ENV_VARS.serviceName; // 'AUDIT_SERVICE_NAME'
 * ```
 */
export const ENV_VARS = Object.freeze({
  serviceName: 'AUDIT_SERVICE_NAME',
  serviceVersion: 'AUDIT_SERVICE_VERSION',
  format: 'AUDIT_LOG_FORMAT',
  maxEntryBytes: 'AUDIT_MAX_ENTRY_BYTES',
  hmacKey: 'AUDIT_HMAC_KEY',
  hmacKeyId: 'AUDIT_HMAC_KEY_ID',
  emfNamespace: 'AUDIT_EMF_NAMESPACE',
  logLevel: 'LOG_LEVEL',
  nodeEnv: 'NODE_ENV',
  ecsMetadataUri: 'ECS_CONTAINER_METADATA_URI_V4',
} as const);

/**
 * Warning codes passed to `process.emitWarning` (pino style: warnings carry codes).
 *
 * @example
 * ```ts
 * declare function alertOnCall(reason: Error): void; // your paging hook
 * process.on('warning', (w) => {
 *   if ((w as NodeJS.ErrnoException).code === WARNING_CODES.destinationBroken) alertOnCall(w);
 * });
 * ```
 */
export const WARNING_CODES = Object.freeze({
  prettyUnavailable: 'AUDITLINE_PRETTY_UNAVAILABLE',
  destinationBroken: 'AUDITLINE_DESTINATION_BROKEN',
  logAfterClose: 'AUDITLINE_LOG_AFTER_CLOSE',
  trustProxyTrue: 'AUDITLINE_TRUST_PROXY_TRUE',
  auditFailure: 'AUDITLINE_AUDIT_FAILURE',
  stdoutNotRouted: 'AUDITLINE_STDOUT_NOT_ROUTED',
  /** `pino` was passed without `destination`: its stream is not shared, lines go to fd 1 (issue #14). */
  pinoNotShared: 'AUDITLINE_PINO_NOT_SHARED',
  /** A second copy of `@auditline/core` was loaded; the copies share the request context (SPEC §2). */
  duplicateCore: 'AUDITLINE_DUPLICATE_CORE',
} as const);

// These constants live beside their concern; exported from here as before.
export * from './redacted-names.js';
export * from './stall-policy.js';
