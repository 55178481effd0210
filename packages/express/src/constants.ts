import { AUDIT_ACTIONS } from '@auditline/core';

/**
 * Paths skipped by default (SPEC §5.4): probes and scrapes, not user actions.
 * A path is skipped when it equals an entry or continues it with `/`.
 *
 * @example
 * ```ts
 * auditMiddleware({ excludePaths: [...DEFAULT_EXCLUDED_PATHS, '/internal/ping'] });
 * ```
 */
export const DEFAULT_EXCLUDED_PATHS = Object.freeze([
  '/health',
  '/ready',
  '/metrics',
  '/favicon.ico',
] as const);

/**
 * The trace id header: read first on the way in, always echoed on the way out,
 * and set on outbound calls by `traceHeaders()` (SPEC §5.2).
 *
 * @example
 * ```ts
 * const res = await fetch('http://127.0.0.1:3000/orders/42');
 * const traceId = res.headers.get(TRACE_HEADER); // the id the request was audited under
 * ```
 */
export const TRACE_HEADER = 'x-trace-id';
/** W3C Trace Context header (https://www.w3.org/TR/trace-context/#traceparent-header). */
export const TRACEPARENT_HEADER = 'traceparent';
/** The header an ALB adds; its `Root=` value is the X-Ray trace id (SPEC §5.2). */
export const AMZN_TRACE_HEADER = 'x-amzn-trace-id';

/**
 * Values of the `traceIdSource` option: which comes first when an
 * OpenTelemetry span is active as the request starts, the trace headers of
 * SPEC §5.2 (the default) or the span.
 *
 * @example
 * ```ts
 * app.use(auditMiddleware({ traceIdSource: TRACE_ID_SOURCES[1] })); // 'otel-first'
 * ```
 */
export const TRACE_ID_SOURCES = ['headers-first', 'otel-first'] as const;
/** One of {@link TRACE_ID_SOURCES}. */
export type TraceIdSource = (typeof TRACE_ID_SOURCES)[number];

/**
 * HTTP method → audit action (SPEC §5.1). Other methods are used as-is when
 * they are a valid action name (`OPTIONS`, `PROPFIND`), else {@link OTHER_METHOD_ACTION}.
 *
 * @example
 * ```ts
 * METHOD_ACTIONS.PATCH; // 'UPDATE'
 * ```
 */
export const METHOD_ACTIONS: Readonly<Record<string, string>> = Object.freeze({
  GET: AUDIT_ACTIONS.READ,
  HEAD: AUDIT_ACTIONS.READ,
  POST: AUDIT_ACTIONS.CREATE,
  PUT: AUDIT_ACTIONS.UPDATE,
  PATCH: AUDIT_ACTIONS.UPDATE,
  DELETE: AUDIT_ACTIONS.DELETE,
});

/**
 * Action for a method whose name is not a valid action (`M-SEARCH`).
 *
 * @example
 * ```ts
 * const odd = sink.entries.filter((e) => e.action === OTHER_METHOD_ACTION);
 * ```
 */
export const OTHER_METHOD_ACTION = 'HTTP_OTHER';

/** Status codes audited as `ACCESS_DENIED` (SPEC §5.5). */
export const ACCESS_DENIED_STATUS_CODES: ReadonlySet<number> = new Set([401, 403]);

/** `details.reason` of an aborted request the handler still answered (SPEC §5.6). */
export const ABORTED_ERROR = 'client closed the connection before the response finished';
/** `details.error` of an aborted request the handler did not answer in time (SPEC §5.6); the wait is appended. */
export const UNANSWERED_ERROR = 'client closed the connection and the handler did not answer';
/** `details.error` of a request the process stopped before the handler answered (SPEC §7). */
export const INTERRUPTED_ERROR = 'the process stopped before the handler answered';

/**
 * Default bounded wait, after the client left, for the handler to answer
 * (SPEC §5.6). Long enough for a slow DELETE to finish its database call;
 * short enough that the line appears promptly.
 *
 * @example
 * ```ts
 * auditMiddleware({ answerWaitMs: DEFAULT_ANSWER_WAIT_MS * 2 });
 * ```
 */
export const DEFAULT_ANSWER_WAIT_MS = 5_000;
/**
 * Default bounded wait, on shutdown, for in-flight requests to finish before
 * the rest are written as interrupted and `AUDIT_STOP` follows (SPEC §7).
 * Well under ECS's default `stopTimeout` of 30 s, after which SIGKILL comes.
 *
 * @example
 * ```ts
 * auditMiddleware({ drainTimeoutMs: Math.min(DEFAULT_DRAIN_TIMEOUT_MS, 5_000) });
 * ```
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
/** Longest accepted `answerWaitMs` / `drainTimeoutMs`: ECS's maximum `stopTimeout` is 120 s. */
export const MAX_WAIT_MS = 120_000;
/**
 * How often a request whose client left is checked for the handler's answer.
 * Node emits no event when a response ends without a socket (a pipelined
 * response queued behind a dead one), so the check polls; only aborted
 * requests pay it.
 */
export const ANSWER_POLL_MS = 20;

/**
 * Longest `traceparent` parsed. Version 00 is exactly 55 chars (W3C Trace
 * Context §3.2); later versions may append fields, and this bounds the scan.
 */
export const MAX_TRACEPARENT_LENGTH = 512;
/** Exact length of a version-00 `traceparent` (W3C Trace Context §3.2.2). */
export const TRACEPARENT_V00_LENGTH = 55;
/**
 * Longest `X-Amzn-Trace-Id` parsed. An ALB header (`Self=…;Root=…;Parent=…;Sampled=…`)
 * is well under 256 chars; the cap bounds the scan of a hostile value.
 */
export const MAX_AMZN_TRACE_HEADER_LENGTH = 1024;
/** Longest `details.error` copied from `res.statusMessage`. Reason phrases are short (RFC 9110 §15). */
export const MAX_STATUS_MESSAGE_LENGTH = 256;
/** Most entries in `excludePaths`. Each is checked per request, so keep the list short. */
export const MAX_EXCLUDED_PATHS = 64;
/** Most entries in `traceHeaders`. Each is looked up per request. */
export const MAX_TRACE_HEADERS = 8;
