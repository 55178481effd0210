import { createAppLogger } from '@auditline/core';
import { auditMiddleware } from '@auditline/express';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('one audit entry per request', () => {
  it('maps each method to its action (SPEC §5.1)', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.all('/items/1', (_req, res) => {
          res.status(200).send('ok');
        });
      },
    });
    const cases: Array<[string, string]> = [
      ['GET', 'READ'],
      ['HEAD', 'READ'],
      ['POST', 'CREATE'],
      ['PUT', 'UPDATE'],
      ['PATCH', 'UPDATE'],
      ['DELETE', 'DELETE'],
      ['OPTIONS', 'OPTIONS'],
      ['PROPFIND', 'PROPFIND'],
      ['M-SEARCH', 'HTTP_OTHER'],
    ];

    // Act
    for (const [method] of cases) {
      await rawRequest(server.port, { method, path: '/items/1' });
    }
    const entries = await server.waitForEvents(cases.length);

    // Assess: wrong mapping would break every action-based metric filter.
    expect(entries.map((e) => [e.method, e.action])).toEqual(cases);
    for (const entry of entries) {
      expect(entry).toMatchObject({ resource: '/items/1', path: '/items/1', status: 'SUCCESS' });
    }
  });

  it('sets status from the status code and records a plausible duration', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.get('/slow', async (_req, res) => {
          await new Promise((resolve) => setTimeout(resolve, 40));
          res.json({ ok: true });
        });
        app.get('/missing', (_req, res) => {
          res.status(404).json({ error: 'nope' });
        });
        app.post('/conflict', (_req, res) => {
          res.status(409).end();
        });
        app.get('/moved', (_req, res) => {
          res.redirect(302, '/slow');
        });
      },
    });

    // Act
    await fetch(`${server.base}/slow`).then((r) => r.text());
    await fetch(`${server.base}/missing`).then((r) => r.text());
    await fetch(`${server.base}/conflict`, { method: 'POST' }).then((r) => r.text());
    await fetch(`${server.base}/moved`, { redirect: 'manual' }).then((r) => r.text());
    const [slow, missing, conflict, moved] = await server.waitForEvents(4);

    // Assess
    expect(slow).toMatchObject({ action: 'READ', status: 'SUCCESS', details: { statusCode: 200 } });
    const duration = slow?.details?.duration_ms as number;
    expect(duration).toBeGreaterThanOrEqual(35); // the handler waited 40 ms
    expect(duration).toBeLessThan(60_000);
    expect(missing).toMatchObject({
      status: 'FAILED',
      details: { statusCode: 404, error: 'Not Found' },
    });
    expect(conflict).toMatchObject({
      action: 'CREATE',
      status: 'FAILED',
      details: { statusCode: 409, error: 'Conflict' },
    });
    expect(moved).toMatchObject({ status: 'SUCCESS', details: { statusCode: 302 } });
    expect(moved?.details).not.toHaveProperty('error');
  });

  it('writes exactly one entry per request under 50 concurrent requests', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.get('/orders/:id', async (req, res) => {
          await new Promise((resolve) => setTimeout(resolve, Number(req.params.id) % 7));
          res.json({ id: req.params.id });
        });
      },
    });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${server?.base}/orders/${i}`).then(async (r) => ({
          trace: r.headers.get('x-trace-id'),
          body: await r.text(),
        })),
      ),
    );
    await server.waitForEvents(50);
    // Give a duplicate (close after finish) the chance to show up.
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    const entries = server.events();
    expect(entries).toHaveLength(50);
    expect(new Set(entries.map((e) => e.resource)).size).toBe(50);
    expect(new Set(entries.map((e) => e.traceId))).toEqual(new Set(responses.map((r) => r.trace)));
  });

  it('never writes a second entry when the middleware is mounted twice', async () => {
    // Prepare
    server = await startServer({
      routes: (app, audit) => {
        const router = express.Router();
        router.use(auditMiddleware({ logger: audit }));
        router.get('/twice', (_req, res) => {
          res.send('ok');
        });
        app.use('/api', router);
      },
    });

    // Act
    await fetch(`${server.base}/api/twice`).then((r) => r.text());
    await server.waitForEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 30));

    // Assess
    expect(server.events()).toHaveLength(1);
    expect(server.events()[0]?.resource).toBe('/api/twice');
  });

  it('gives req.log the traceId and never dumps request headers', async () => {
    // Prepare
    server = await startServer({
      middleware: (audit) => ({ appLogger: createAppLogger({ audit, level: 'debug' }) }),
      routes: (app) => {
        app.get('/profile', (req, res) => {
          req.log.info({ step: 'loaded' }, 'profile loaded');
          req.log.info({ req, res }, 'with req and res');
          res.json({ ok: true });
        });
      },
    });

    // Act
    const res = await fetch(`${server.base}/profile?page=1`, {
      headers: {
        cookie: 'session=COOKIE-CANARY-1',
        authorization: 'Bearer AUTH-CANARY-2',
        'x-custom': 'HEADER-CANARY-3',
      },
    });
    await res.text();
    await server.waitForEvents(1);
    const traceId = res.headers.get('x-trace-id');

    // Assess
    const appLine = server.appLines().find((l) => l.msg === 'profile loaded');
    expect(appLine).toMatchObject({ traceId, step: 'loaded', level: 'info' });
    const withReq = server.appLines().find((l) => l.msg === 'with req and res');
    expect(withReq).toMatchObject({
      traceId,
      req: { method: 'GET', url: '/profile' },
      res: { statusCode: 200 },
    });
    const completed = server.appLines().find((l) => l.msg === 'request completed');
    expect(completed).toMatchObject({ traceId, level: 'debug', res: { statusCode: 200 } });
    const everything = server.sink.lines.join('');
    for (const canary of ['COOKIE-CANARY-1', 'AUTH-CANARY-2', 'HEADER-CANARY-3']) {
      expect(everything).not.toContain(canary);
    }
  });

  it('keeps the "request completed" app line below the default level, so it does not duplicate the audit line', async () => {
    // Prepare
    server = await startServer({
      middleware: (audit) => ({ appLogger: createAppLogger({ audit, level: 'info' }) }),
      routes: (app) => {
        app.get('/quiet', (_req, res) => {
          res.send('ok');
        });
      },
    });

    // Act
    await fetch(`${server.base}/quiet`).then((r) => r.text());
    await server.waitForEvents(1);

    // Assess
    expect(server.appLines()).toEqual([]);
    expect(server.events()).toHaveLength(1);
  });
});
