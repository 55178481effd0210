import { traceHeaders } from '@auditline/express';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest, startServer, type TestServer, UUID_PATTERN } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function echoServer(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer({
    routes: (app) => {
      app.get('/echo', (req, res) => {
        res.json({ traceId: req.traceId });
      });
    },
    ...options,
  });
  servers.push(server);
  return server;
}

const W3C_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${W3C_TRACE_ID}-00f067aa0ba902b7-01`;
const XRAY_ROOT = '1-5759e988-bd862e3fe1be46a994272793';
/** `${jndi:ldap://x}`, built so no linter mistakes it for a template. */
const JNDI = ['$', '{jndi:ldap://x}'].join('');

describe('trace id taken from headers, echoed, and carried (SPEC §5.2)', () => {
  it.each([
    ['x-trace-id', { 'x-trace-id': 'order-svc:abc.123_X' }, 'order-svc:abc.123_X'],
    ['traceparent', { traceparent: TRACEPARENT }, W3C_TRACE_ID],
    [
      'X-Amzn-Trace-Id Root=',
      {
        'x-amzn-trace-id': `Self=1-67891234-12456789abcdef012345678;Root=${XRAY_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`,
      },
      XRAY_ROOT,
    ],
  ])('takes %s and echoes it', async (_name, headers, expected) => {
    // Prepare
    const server = await echoServer();

    // Act
    const res = await fetch(`${server.base}/echo`, { headers });
    const body = (await res.json()) as { traceId: string };
    const [entry] = await server.waitForEvents(1);

    // Assess
    expect(res.headers.get('x-trace-id')).toBe(expected);
    expect(body.traceId).toBe(expected);
    expect(entry?.traceId).toBe(expected);
  });

  it('prefers x-trace-id over traceparent over X-Amzn-Trace-Id', async () => {
    // Prepare
    const server = await echoServer();
    const all = {
      'x-trace-id': 'from-x-trace-id',
      traceparent: TRACEPARENT,
      'x-amzn-trace-id': `Root=${XRAY_ROOT}`,
    };

    // Act
    const first = await fetch(`${server.base}/echo`, { headers: all });
    const second = await fetch(`${server.base}/echo`, {
      headers: { traceparent: TRACEPARENT, 'x-amzn-trace-id': `Root=${XRAY_ROOT}` },
    });
    const third = await fetch(`${server.base}/echo`, {
      headers: { 'x-trace-id': 'bad value!', 'x-amzn-trace-id': `Root=${XRAY_ROOT}` },
    });

    // Assess
    expect(first.headers.get('x-trace-id')).toBe('from-x-trace-id');
    expect(second.headers.get('x-trace-id')).toBe(W3C_TRACE_ID);
    expect(third.headers.get('x-trace-id')).toBe(XRAY_ROOT);
  });

  it('reads the configured header list first', async () => {
    // Prepare
    const server = await echoServer({
      middleware: () => ({ traceHeaders: ['X-Request-Id', 'x-correlation-id'] }),
    });

    // Act
    const a = await fetch(`${server.base}/echo`, {
      headers: { 'x-correlation-id': 'corr-2', 'x-request-id': 'req-1', 'x-trace-id': 'ignored' },
    });
    const b = await fetch(`${server.base}/echo`, { headers: { 'x-correlation-id': 'corr-2' } });

    // Assess
    expect(a.headers.get('x-trace-id')).toBe('req-1');
    expect(b.headers.get('x-trace-id')).toBe('corr-2');
  });

  it('generates a UUID when no header is present', async () => {
    // Prepare
    const server = await echoServer();

    // Act
    const res = await fetch(`${server.base}/echo`);
    await res.text();
    const [entry] = await server.waitForEvents(1);

    // Assess
    expect(res.headers.get('x-trace-id')).toMatch(UUID_PATTERN);
    expect(entry?.traceId).toBe(res.headers.get('x-trace-id'));
  });

  it('hands the id to the next service through traceHeaders()', async () => {
    // Prepare: downstream echoes what it received; upstream calls it inside a handler.
    const downstream = await echoServer();
    const upstream = await startServer({
      routes: (app) => {
        app.get('/call', async (_req, res) => {
          const r = await fetch(`${downstream.base}/echo`, { headers: traceHeaders() });
          res.json({ sent: traceHeaders(), downstream: await r.json() });
        });
      },
    });
    servers.push(upstream);

    // Act
    const viaW3c = (await fetch(`${upstream.base}/call`, {
      headers: { traceparent: TRACEPARENT },
    }).then((r) => r.json())) as { sent: Record<string, string>; downstream: { traceId: string } };
    const viaPlain = (await fetch(`${upstream.base}/call`, {
      headers: { 'x-trace-id': 'plain-7' },
    }).then((r) => r.json())) as { sent: Record<string, string>; downstream: { traceId: string } };

    // Assess
    expect(viaW3c.downstream.traceId).toBe(W3C_TRACE_ID);
    expect(viaW3c.sent['x-trace-id']).toBe(W3C_TRACE_ID);
    expect(viaW3c.sent.traceparent).toMatch(new RegExp(`^00-${W3C_TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(viaW3c.sent.traceparent).not.toBe(TRACEPARENT); // a new parent-id: this service's span
    expect(viaPlain).toEqual({
      sent: { 'x-trace-id': 'plain-7' },
      downstream: { traceId: 'plain-7' },
    });
    expect(traceHeaders()).toEqual({}); // outside any request
  });
});

describe('hostile trace ids are rejected, replaced and never logged raw (SPEC §5.2)', () => {
  const zeroTrace = `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`;
  const cases: Array<[string, Record<string, string | string[]>, string[]]> = [
    [
      'an uppercase traceparent',
      { traceparent: TRACEPARENT.toUpperCase() },
      [W3C_TRACE_ID.toUpperCase()],
    ],
    ['an all-zero trace id', { traceparent: zeroTrace }, ['0'.repeat(32)]],
    ['version ff', { traceparent: `ff-${W3C_TRACE_ID}-00f067aa0ba902b7-01` }, [W3C_TRACE_ID]],
    ['a 56-char version-00 traceparent', { traceparent: `${TRACEPARENT}0` }, [W3C_TRACE_ID]],
    [
      'a version-00 traceparent with a trailing field',
      { traceparent: `${TRACEPARENT}-x` },
      [W3C_TRACE_ID],
    ],
    [
      'an all-zero parent id',
      { traceparent: `00-${W3C_TRACE_ID}-${'0'.repeat(16)}-01` },
      [W3C_TRACE_ID],
    ],
    ['a 15 KB x-trace-id', { 'x-trace-id': 'a'.repeat(15 * 1024) }, ['a'.repeat(129)]],
    ['caf\\xE9', { 'x-trace-id': 'caf\xE9' }, ['caf\xE9', 'caf\\u00e9']],
    ['two x-trace-id headers', { 'x-trace-id': ['dup-one', 'dup-two'] }, ['dup-one', 'dup-two']],
    ['a log4shell lookup', { 'x-trace-id': JNDI }, ['jndi']],
    ['two traceparent headers', { traceparent: [TRACEPARENT, TRACEPARENT] }, [W3C_TRACE_ID]],
    [
      'two X-Amzn-Trace-Id headers',
      { 'x-amzn-trace-id': [`Root=${XRAY_ROOT}`, 'Root=1-other'] },
      [XRAY_ROOT],
    ],
    ['a hostile Root=', { 'x-amzn-trace-id': 'Root=<script>alert(1)</script>' }, ['script']],
  ];

  it.each(cases)('rejects %s', async (_name, headers, mustNotAppear) => {
    // Prepare
    const server = await echoServer({
      routes: (app) => {
        app.get('/echo', (req, res) => {
          req.log.info('inside handler');
          res.json({ traceId: req.traceId });
        });
      },
    });

    // Act
    const res = await rawRequest(server.port, { path: '/echo', headers });
    const [entry] = await server.waitForEvents(1);

    // Assess: a fresh UUID everywhere, and no trace of the raw value in any line.
    const echoed = res.headers['x-trace-id'];
    expect(echoed).toMatch(UUID_PATTERN);
    expect(JSON.parse(res.body)).toEqual({ traceId: echoed });
    expect(entry?.traceId).toBe(echoed);
    const everything = server.sink.lines.join('');
    for (const fragment of mustNotAppear) expect(everything).not.toContain(fragment);
  });
});
