import { getAuditContext, logAudit } from '@auditline/core';
import type { NextFunction, Request, Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A typical auth middleware: runs AFTER the audit middleware and sets req.user. */
function fakeAuth(req: Request, _res: Response, next: NextFunction): void {
  const token = req.headers.authorization?.replace('Bearer ', '');
  if (token)
    (req as Request & { user?: { id: unknown } }).user = { id: token.startsWith('n') ? 7 : token };
  next();
}

describe('user_id resolved at finish (SPEC §5.3)', () => {
  it('takes req.user.id set by auth middleware mounted after the audit middleware', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.use(fakeAuth);
        app.get('/me', (_req, res) => {
          logAudit({ action: 'VIEW_PROFILE', resource: '/me', status: 'SUCCESS' });
          res.send('ok');
        });
      },
    });

    // Act
    await fetch(`${server.base}/me`, { headers: { authorization: 'Bearer user-42' } }).then((r) =>
      r.text(),
    );
    await fetch(`${server.base}/me`, { headers: { authorization: 'Bearer n' } }).then((r) =>
      r.text(),
    );
    await fetch(`${server.base}/me`).then((r) => r.text());
    const entries = await server.waitForEvents(6);

    // Assess: manual and request entries both see the user authenticated later.
    expect(entries.map((e) => [e.action, e.user_id])).toEqual([
      ['VIEW_PROFILE', 'user-42'],
      ['REQUEST_OUTCOME', 'user-42'],
      ['VIEW_PROFILE', '7'],
      ['REQUEST_OUTCOME', '7'],
      ['VIEW_PROFILE', 'anonymous'],
      ['REQUEST_OUTCOME', 'anonymous'],
    ]);
  });

  it('uses getUserId when configured', async () => {
    // Prepare
    server = await startServer({
      middleware: () => ({
        getUserId: (req) => (req as Request & { session?: { sub: string } }).session?.sub,
      }),
      routes: (app) => {
        app.use((req, _res, next) => {
          (req as Request & { session?: { sub: string } }).session = { sub: 'sub-9' };
          next();
        });
        app.get('/x', (_req, res) => {
          res.send('ok');
        });
      },
    });

    // Act
    await fetch(`${server.base}/x`).then((r) => r.text());
    const [entry] = await server.waitForEvents(1);

    // Assess
    expect(entry?.user_id).toBe('sub-9');
  });

  it('honours a user set on the audit context by the app', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.post('/login', (_req, res) => {
          const ctx = getAuditContext();
          if (ctx) ctx.userId = 'just-logged-in';
          res.status(201).end();
        });
      },
    });

    // Act
    await fetch(`${server.base}/login`, { method: 'POST' }).then((r) => r.text());
    const [entry] = await server.waitForEvents(1);

    // Assess
    expect(entry).toMatchObject({ action: 'CREATE', user_id: 'just-logged-in' });
  });

  it('a throwing getUserId changes neither status nor body; user is anonymous; logged once at error level', async () => {
    // Prepare
    const routes = (app: import('express').Express): void => {
      app.get('/orders', (_req, res) => {
        res.status(200).json({ orders: [1, 2, 3] });
      });
    };
    const baseline = await startServer({ routes });
    const expected = await fetch(`${baseline.base}/orders`).then(async (r) => ({
      status: r.status,
      body: await r.text(),
    }));
    await baseline.close();
    server = await startServer({
      middleware: () => ({
        getUserId: () => {
          throw new Error('session store down');
        },
      }),
      routes,
    });

    // Act
    const got = [];
    for (let i = 0; i < 3; i++) {
      got.push(
        await fetch(`${server.base}/orders`).then(async (r) => ({
          status: r.status,
          body: await r.text(),
        })),
      );
    }
    const entries = await server.waitForEvents(3);

    // Assess
    expect(got).toEqual([expected, expected, expected]);
    expect(entries.map((e) => [e.user_id, e.status])).toEqual([
      ['anonymous', 'SUCCESS'],
      ['anonymous', 'SUCCESS'],
      ['anonymous', 'SUCCESS'],
    ]);
    const errors = server.appLines().filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.msg)).toContain('getUserId');
    expect(errors[0]?.err).toMatchObject({ message: 'session store down' });
  });
});
