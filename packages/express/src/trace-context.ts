import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { MAX_TRACE_ID_LENGTH, SPAN_ID_PATTERN, TRACE_ID_PATTERN } from '@auditline/core';
import {
  AMZN_TRACE_HEADER,
  MAX_AMZN_TRACE_HEADER_LENGTH,
  MAX_TRACEPARENT_LENGTH,
  TRACEPARENT_HEADER,
  TRACEPARENT_V00_LENGTH,
  type TraceIdSource,
} from './constants.js';

/**
 * version-traceid-parentid-flags, lowercase hex only, then end of string or a
 * dash (W3C Trace Context §3.2 and §3.2.4 for versions above 00).
 */
const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(?:$|-)/;
const ZERO_TRACE_ID = '0'.repeat(32);
const W3C_TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
const ZERO_PARENT_ID = '0'.repeat(16);
/** `Root=` as the first field or after a `;` (AWS X-Ray tracing header). */
const AMZN_ROOT_PATTERN = /(?:^|;)\s*Root=([^;]*)/;

/** The id if it is an accepted trace id (SPEC §5.2), else undefined. Arrays (repeated headers) are never accepted. */
export function acceptTraceId(value: unknown): string | undefined {
  return typeof value === 'string' &&
    value.length <= MAX_TRACE_ID_LENGTH &&
    TRACE_ID_PATTERN.test(value)
    ? value
    : undefined;
}

/**
 * The trace-id of a strictly valid `traceparent`, else undefined (SPEC §5.2).
 * Node joins a repeated header with `, `, which fails the length or the pattern.
 */
export function traceIdFromTraceparent(value: unknown): string | undefined {
  if (
    typeof value !== 'string' ||
    value.length < TRACEPARENT_V00_LENGTH ||
    value.length > MAX_TRACEPARENT_LENGTH ||
    !TRACEPARENT_PATTERN.test(value)
  ) {
    return undefined;
  }
  // W3C §3.2.2.1: version ff is invalid; version 00 has no trailing fields.
  if (value.startsWith('ff')) return undefined;
  if (value.startsWith('00') && value.length !== TRACEPARENT_V00_LENGTH) return undefined;
  const traceId = value.slice(3, 35);
  // W3C §3.2.2.3–4: all-zero trace-id and parent-id are invalid.
  if (traceId === ZERO_TRACE_ID || value.slice(36, 52) === ZERO_PARENT_ID) return undefined;
  return traceId;
}

/** The `Root=` value of an `X-Amzn-Trace-Id` header, if it is an accepted trace id. */
export function traceIdFromAmzn(value: unknown): string | undefined {
  // A comma is never part of the header: it is Node joining a repeated header.
  if (
    typeof value !== 'string' ||
    value.length > MAX_AMZN_TRACE_HEADER_LENGTH ||
    value.includes(',')
  ) {
    return undefined;
  }
  const match = AMZN_ROOT_PATTERN.exec(value);
  return match ? acceptTraceId(match[1]?.trim()) : undefined;
}

/** The trace fields of one request: its trace id and, when it is the active span's trace, that span's id. */
export interface RequestTrace {
  readonly traceId: string;
  readonly spanId: string | undefined;
}

/** The active span's ids, valid per W3C Trace Context, or undefined. */
type ActiveSpanReader = () => { readonly traceId: string; readonly spanId: string } | undefined;

/** The slice of `@opentelemetry/api` read here. */
interface OtelApi {
  trace: {
    getActiveSpan(): { spanContext(): { traceId?: unknown; spanId?: unknown } } | undefined;
  };
}

/**
 * Loads `@opentelemetry/api` (an optional peer) once, from the app's
 * dependency tree. Not installed, or not usable: no span is ever read.
 */
export function loadActiveSpanReader(): ActiveSpanReader | undefined {
  let api: OtelApi;
  try {
    api = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
    if (typeof api?.trace?.getActiveSpan !== 'function') return undefined;
  } catch {
    return undefined;
  }
  return () => {
    const context = api.trace.getActiveSpan()?.spanContext();
    const traceId = context?.traceId;
    const spanId = context?.spanId;
    // The API's invalid span context is all zeros; anything else malformed is ignored too.
    if (typeof traceId !== 'string' || !isW3cTraceId(traceId)) return undefined;
    if (typeof spanId !== 'string' || !SPAN_ID_PATTERN.test(spanId)) return undefined;
    return { traceId, spanId };
  };
}

/** The id of the first accepted trace header (SPEC §5.2 order), else undefined. */
function createHeaderTraceIdReader(
  headerNames: readonly string[],
): (headers: IncomingHttpHeaders) => string | undefined {
  const names = [...headerNames];
  const count = names.length;
  return (headers) => {
    for (let i = 0; i < count; i++) {
      const id = acceptTraceId(headers[names[i] as string]);
      if (id !== undefined) return id;
    }
    return (
      traceIdFromTraceparent(headers[TRACEPARENT_HEADER]) ??
      traceIdFromAmzn(headers[AMZN_TRACE_HEADER])
    );
  };
}

/**
 * Builds the per-request trace id resolver from headers only: the configured
 * headers in order, then `traceparent`, then `X-Amzn-Trace-Id`, else a random
 * UUID (SPEC §5.2). Rejected values are dropped here and never reach a log line.
 */
export function createTraceIdResolver(
  headerNames: readonly string[],
): (headers: IncomingHttpHeaders) => string {
  const fromHeaders = createHeaderTraceIdReader(headerNames);
  return (headers) => fromHeaders(headers) ?? randomUUID();
}

/**
 * Builds the per-request trace resolver: the headers of SPEC §5.2 in order,
 * else the active OpenTelemetry span's trace id (when `@opentelemetry/api` is
 * installed and a valid span is active), else a random UUID. With
 * `'otel-first'` the span comes before the headers. The span's id is kept only
 * when the trace id is the span's trace id.
 */
export function createRequestTraceResolver(
  headerNames: readonly string[],
  source: TraceIdSource,
  activeSpan: ActiveSpanReader | undefined = loadActiveSpanReader(),
): (headers: IncomingHttpHeaders) => RequestTrace {
  const fromHeaders = createHeaderTraceIdReader(headerNames);
  return (headers) => {
    const span = activeSpan?.();
    const traceId =
      (source === 'otel-first' ? span?.traceId : undefined) ??
      fromHeaders(headers) ??
      span?.traceId ??
      randomUUID();
    return {
      traceId,
      spanId: span !== undefined && span.traceId === traceId ? span.spanId : undefined,
    };
  };
}

/** A trace id that can travel as a W3C trace-id: 32 lowercase hex, not all zero. */
export function isW3cTraceId(traceId: string): boolean {
  return W3C_TRACE_ID_PATTERN.test(traceId) && traceId !== ZERO_TRACE_ID;
}
