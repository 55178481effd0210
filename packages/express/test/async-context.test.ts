import { setTimeout as sleep } from 'node:timers/promises';
import { logAudit } from '@auditline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('logAudit() deep in a handler carries the request context (SPEC §5.7)', () => {
  it('keeps traceId, ip, user agent, method and path across await, setTimeout and promise chains', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.put('/orders/:id', async (_req, res) => {
          await sleep(2);
          logAudit({ action: 'STEP_AWAIT', resource: '/orders', status: 'SUCCESS' });
          await new Promise<void>((resolve) =>
            setTimeout(() => {
              logAudit({ action: 'STEP_TIMER', resource: '/orders', status: 'SUCCESS' });
              resolve();
            }, 2),
          );
          await Promise.resolve()
            .then(() => sleep(1))
            .then(() => logAudit({ action: 'STEP_CHAIN', resource: '/orders', status: 'SUCCESS' }));
          res.status(204).end();
        });
      },
    });

    // Act
    const res = await fetch(`${server.base}/orders/5?x=1`, {
      method: 'PUT',
      headers: { 'x-trace-id': 'ctx-trace-1', 'user-agent': 'ctx-agent/1.0' },
    });
    await res.text();
    const entries = await server.waitForEvents(4);

    // Assess
    expect(entries.map((e) => e.action)).toEqual([
      'STEP_AWAIT',
      'STEP_TIMER',
      'STEP_CHAIN',
      // The explicit entries claimed the request: its own entry records the outcome (SPEC §5.7).
      'REQUEST_OUTCOME',
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        traceId: 'ctx-trace-1',
        ip_address: '127.0.0.1',
        user_agent: 'ctx-agent/1.0',
        method: 'PUT',
        path: '/orders/5?x=1',
      });
    }
  });

  it("never lets a concurrent request see another request's context", async () => {
    // Prepare: every handler interleaves with the others across several awaits.
    server = await startServer({
      routes: (app) => {
        app.get('/work/:n', async (req, res) => {
          const n = Number(req.params.n);
          await sleep((n * 7) % 11);
          logAudit({ action: 'STEP_ONE', resource: `/work/${n}`, status: 'SUCCESS' });
          await new Promise((resolve) => setTimeout(resolve, (n * 3) % 5));
          logAudit({ action: 'STEP_TWO', resource: `/work/${n}`, status: 'SUCCESS' });
          res.json({ n });
        });
      },
    });

    // Act
    await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        fetch(`${server?.base}/work/${n}`, { headers: { 'x-trace-id': `trace-${n}` } }).then((r) =>
          r.text(),
        ),
      ),
    );
    const entries = await server.waitForEvents(90);

    // Assess: the trace id of every entry belongs to the request that wrote it.
    for (const entry of entries) {
      const n = entry.resource.split('/')[2]?.split('?')[0];
      expect(entry.traceId).toBe(`trace-${n}`);
      expect(entry.path).toBe(`/work/${n}`);
    }
    expect(entries.filter((e) => e.action === 'STEP_TWO')).toHaveLength(30);
  });

  it('req.audit() carries the request context, and explicit params win', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.post('/export', (req, res) => {
          const { audit } = req; // detached use must still work
          audit({ action: 'EXPORT_REPORT', resource: '/reports/7', status: 'SUCCESS' });
          setImmediate(() => {
            req.audit({
              action: 'EXPORT_REPORT',
              resource: '/reports/7',
              status: 'FAILED',
              traceId: 'explicit-trace',
              user_id: 'explicit-user',
              path: '/explicit',
            });
            res.status(202).end();
          });
        });
      },
    });

    // Act
    await fetch(`${server.base}/export`, {
      method: 'POST',
      headers: { 'x-trace-id': 'req-trace' },
    }).then((r) => r.text());
    const [implicit, explicit, request] = await server.waitForEvents(3);

    // Assess
    expect(implicit).toMatchObject({
      traceId: 'req-trace',
      user_id: 'anonymous',
      path: '/export',
      method: 'POST',
    });
    expect(explicit).toMatchObject({
      traceId: 'explicit-trace',
      user_id: 'explicit-user',
      path: '/explicit',
      method: 'POST',
      ip_address: '127.0.0.1',
    });
    expect(request).toMatchObject({
      action: 'REQUEST_OUTCOME',
      traceId: 'req-trace',
      details: { statusCode: 202, attempted_action: 'CREATE' },
    });
  });
});
