import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuditConfigError,
  type AuditEntry,
  auditEntrySchema,
  createAuditLogger,
  logAudit,
} from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { type AuditMiddlewareOptions, auditMiddleware, traceHeaders } from '@auditline/express';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UUID_PATTERN } from './helpers/server.js';

// The real SDK with its AsyncLocalStorage context manager, registered globally
// as an app's tracing setup would be; @auditline/express loads the API itself.
const provider = new NodeTracerProvider();
beforeAll(() => {
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

const SPAN_HEADER = 'x-test-span';
const W3C_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${W3C_TRACE_ID}-00f067aa0ba902b7-01`;

interface OtelServer {
  readonly base: string;
  readonly sink: MemorySink;
  waitForEvents(count: number): Promise<AuditEntry[]>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

/**
 * A real Express app on 127.0.0.1:0. With `traced`, its request listener runs
 * inside `tracer.startActiveSpan`, as @opentelemetry/instrumentation-http
 * does; the span's ids go back in a response header, so the test knows them
 * from the SDK, not from the code under test.
 */
async function startOtelServer(
  traced: boolean,
  options: Omit<AuditMiddlewareOptions, 'logger'> = {},
): Promise<OtelServer> {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'otel-test',
    format: 'json',
    destination: sink,
    ecsMetadata: false,
  });
  const app = express();
  app.set('env', 'test');
  app.use(auditMiddleware({ logger: audit, ...options }));
  app.get('/orders/:id', (req, res) => {
    logAudit({ action: 'READ', resource: `/orders/${req.params.id}`, status: 'SUCCESS' });
    res.json({ outbound: traceHeaders() });
  });
  const tracer = trace.getTracer('auditline-test');
  const server = createServer((req, res) => {
    if (!traced) {
      app(req, res);
      return;
    }
    tracer.startActiveSpan(`${req.method} ${req.url}`, (span) => {
      const { traceId, spanId } = span.spanContext();
      res.setHeader(SPAN_HEADER, `${traceId}/${spanId}`);
      res.once('finish', () => span.end());
      app(req, res);
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    sink,
    waitForEvents: (count) =>
      vi.waitFor(
        () => {
          const found = sink.events();
          if (found.length < count) throw new Error(`waiting for ${count} entries`);
          return found;
        },
        { timeout: 5_000, interval: 5 },
      ),
  };
}

async function get(
  server: OtelServer,
  headers: Record<string, string> = {},
): Promise<{
  span: { traceId: string; spanId: string } | undefined;
  outbound: Record<string, string>;
  echoed: string | null;
}> {
  const res = await fetch(`${server.base}/orders/42`, { headers });
  const body = (await res.json()) as { outbound: Record<string, string> };
  const header = res.headers.get(SPAN_HEADER);
  const [traceId = '', spanId = ''] = header?.split('/') ?? [];
  return {
    span: header === null ? undefined : { traceId, spanId },
    outbound: body.outbound,
    echoed: res.headers.get('x-trace-id'),
  };
}

function byAction(entries: AuditEntry[], action: string): AuditEntry | undefined {
  return entries.find((e) => e.action === action);
}

describe('OpenTelemetry span as the trace id source (SPEC §3 span_id, §5.2, issue #17)', () => {
  it('an OTel-traced request: the automatic entry and logAudit carry the span trace id and span id, traceHeaders() continues the span', async () => {
    // Prepare
    const server = await startOtelServer(true);

    // Act
    const { span, outbound, echoed } = await get(server);
    const entries = await server.waitForEvents(2);

    // Assess: wrong if the adapter ignored the active span (UUID trace id, no span_id)
    expect(span?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span?.spanId).toMatch(/^[0-9a-f]{16}$/);
    const explicit = byAction(entries, 'READ');
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.traceId).toBe(span?.traceId);
      expect(entry.span_id).toBe(span?.spanId);
      expect(auditEntrySchema.safeParse(entry).success).toBe(true);
    }
    expect(explicit).toBeDefined();
    expect(echoed).toBe(span?.traceId);
    expect(outbound.traceparent).toBe(`00-${span?.traceId}-${span?.spanId}-01`);
    // span_id is a top-level member written right after traceId (line/members.ts).
    expect(
      server.sink.lines.some((l) =>
        l.includes(`"traceId":"${span?.traceId}","span_id":"${span?.spanId}"`),
      ),
    ).toBe(true);
  });

  it("a request without a span keeps today's behaviour: UUID or header trace id, no span_id", async () => {
    // Prepare
    const server = await startOtelServer(false);

    // Act
    const plain = await get(server);
    const fromHeader = await get(server, { traceparent: TRACEPARENT });
    const entries = await server.waitForEvents(4);

    // Assess: wrong if a span_id appeared without a span, or the header order changed
    expect(plain.span).toBeUndefined();
    expect(entries.every((e) => e.span_id === undefined)).toBe(true);
    expect(entries.every((e) => !('span_id' in e))).toBe(true);
    expect(plain.echoed).toMatch(UUID_PATTERN);
    expect(entries.filter((e) => e.traceId === plain.echoed)).toHaveLength(2);
    expect(fromHeader.echoed).toBe(W3C_TRACE_ID);
    expect(entries.filter((e) => e.traceId === W3C_TRACE_ID)).toHaveLength(2);
    expect(fromHeader.outbound.traceparent).toMatch(
      new RegExp(`^00-${W3C_TRACE_ID}-[0-9a-f]{16}-01$`),
    );
  });

  it('default precedence: an accepted trace header beats the span, and span_id is then not written', async () => {
    // Prepare
    const server = await startOtelServer(true);

    // Act
    const res = await get(server, { 'x-trace-id': 'order-svc:abc.123' });
    const entries = await server.waitForEvents(2);

    // Assess: wrong if the span overrode SPEC §5.2's header order, or a span id of another trace was written
    expect(res.span).toBeDefined();
    expect(res.echoed).toBe('order-svc:abc.123');
    for (const entry of entries) {
      expect(entry.traceId).toBe('order-svc:abc.123');
      expect(entry.span_id).toBeUndefined();
    }
    expect(res.outbound).toEqual({ 'x-trace-id': 'order-svc:abc.123' });
  });

  it("traceIdSource: 'otel-first' takes the span's trace id before the headers", async () => {
    // Prepare
    const server = await startOtelServer(true, { traceIdSource: 'otel-first' });

    // Act
    const { span, echoed } = await get(server, { 'x-trace-id': 'order-svc:abc.123' });
    const entries = await server.waitForEvents(2);

    // Assess: wrong if the option were ignored (header id, no span_id)
    expect(echoed).toBe(span?.traceId);
    for (const entry of entries) {
      expect(entry.traceId).toBe(span?.traceId);
      expect(entry.span_id).toBe(span?.spanId);
    }
  });

  it('rejects an unknown traceIdSource at construction, naming the option', () => {
    // Act / Assess: wrong if a typo silently fell back to the default
    expect(() => auditMiddleware({ traceIdSource: 'otel' as 'otel-first' })).toThrow(
      AuditConfigError,
    );
    expect(() => auditMiddleware({ traceIdSource: 'otel' as 'otel-first' })).toThrow(
      /traceIdSource/,
    );
  });
});
