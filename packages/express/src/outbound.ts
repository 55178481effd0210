import { randomBytes } from 'node:crypto';
import { getAuditContext, SPAN_ID_PATTERN } from '@auditline/core';
import { TRACE_HEADER, TRACEPARENT_HEADER } from './constants.js';
import { acceptTraceId, isW3cTraceId } from './trace-context.js';

const ZERO_SPAN_ID = '0'.repeat(16);

function newSpanId(): string {
  let id = randomBytes(8).toString('hex');
  // W3C Trace Context §3.2.2.4: an all-zero parent-id is invalid.
  while (id === ZERO_SPAN_ID) id = randomBytes(8).toString('hex');
  return id;
}

/**
 * The headers an outbound call should carry so the next service logs the same
 * trace id (SPEC §5.2): `x-trace-id` always, plus a W3C `traceparent` when the id
 * is a W3C trace-id (it came in as one, or from the active OpenTelemetry span,
 * whose span id is then the parent-id). Empty outside a request or job context.
 * A fresh object each call: spread or mutate it freely. If OpenTelemetry also
 * sets `traceparent`, spread this first so the tracer's value wins.
 *
 * @example
 * ```ts
 * import { traceHeaders } from '@auditline/express';
 * const STOCK_URL = 'http://stock.internal:8080';
 * app.get('/orders/:id', async (req, res) => {
 *   const stock = await fetch(`${STOCK_URL}/items/${req.params.id}`, { headers: traceHeaders() });
 *   res.json(await stock.json());
 * });
 * ```
 */
export function traceHeaders(): Record<string, string> {
  const context = getAuditContext();
  const traceId = acceptTraceId(context?.traceId);
  if (traceId === undefined) return {};
  if (!isW3cTraceId(traceId)) return { [TRACE_HEADER]: traceId };
  // The request's OpenTelemetry span is the parent when it is this trace's span.
  const spanId = context?.spanId;
  const parentId =
    typeof spanId === 'string' && SPAN_ID_PATTERN.test(spanId) ? spanId : newSpanId();
  // Flags 01 (sampled): this service recorded the request in its audit trail.
  return { [TRACE_HEADER]: traceId, [TRACEPARENT_HEADER]: `00-${traceId}-${parentId}-01` };
}
