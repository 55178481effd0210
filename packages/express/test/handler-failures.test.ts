import type { NextFunction, Request, Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('failed handlers are audited as FAILED (SPEC §5.1)', () => {
  it('audits a throwing handler and an error handler that returns 500', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.get('/throws', () => {
          throw new Error('boom SECRET-IN-ERROR');
        });
        app.post('/rejects', async () => {
          throw new Error('async boom');
        });
        app.delete('/handled', (_req, _res, next) => {
          next(new Error('handled boom'));
        });
        app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
          if (req.path !== '/handled') return next(err);
          res.status(500).json({ error: 'internal' });
        });
      },
    });

    // Act
    const statuses = [
      (await fetch(`${server.base}/throws`).then(async (r) => [r.status, await r.text()]))[0],
      (
        await fetch(`${server.base}/rejects`, { method: 'POST' }).then(async (r) => [
          r.status,
          await r.text(),
        ])
      )[0],
      (
        await fetch(`${server.base}/handled`, { method: 'DELETE' }).then(async (r) => [
          r.status,
          await r.text(),
        ])
      )[0],
    ];
    const entries = await server.waitForEvents(3);

    // Assess
    expect(statuses).toEqual([500, 500, 500]);
    expect(
      entries.map((e) => [e.action, e.status, e.details?.statusCode, e.details?.error]),
    ).toEqual([
      ['READ', 'FAILED', 500, 'Internal Server Error'],
      ['CREATE', 'FAILED', 500, 'Internal Server Error'],
      ['DELETE', 'FAILED', 500, 'Internal Server Error'],
    ]);
    // The error message may hold anything; only the status message is logged.
    expect(server.sink.lines.join('')).not.toContain('SECRET-IN-ERROR');
  });
});

describe('401 and 403 become ACCESS_DENIED (SPEC §5.5)', () => {
  const routes = (app: import('express').Express): void => {
    app.delete('/admin/users/:id', (_req, res) => {
      res.status(403).json({ error: 'forbidden' });
    });
    app.get('/account', (_req, res) => {
      res.sendStatus(401);
    });
  };

  it('keeps the attempted action', async () => {
    // Prepare
    server = await startServer({ routes });

    // Act
    await fetch(`${server.base}/admin/users/3`, { method: 'DELETE' }).then((r) => r.text());
    await fetch(`${server.base}/account`).then((r) => r.text());
    const [forbidden, unauthorized] = await server.waitForEvents(2);

    // Assess
    expect(forbidden).toMatchObject({
      action: 'ACCESS_DENIED',
      status: 'FAILED',
      resource: '/admin/users/3',
      details: { statusCode: 403, attempted_action: 'DELETE', error: 'Forbidden' },
    });
    expect(unauthorized).toMatchObject({
      action: 'ACCESS_DENIED',
      details: { statusCode: 401, attempted_action: 'READ' },
    });
  });

  it('can be turned off with accessDenied: false', async () => {
    // Prepare
    server = await startServer({ routes, middleware: () => ({ accessDenied: false }) });

    // Act
    await fetch(`${server.base}/admin/users/3`, { method: 'DELETE' }).then((r) => r.text());
    const [entry] = await server.waitForEvents(1);

    // Assess
    expect(entry).toMatchObject({
      action: 'DELETE',
      status: 'FAILED',
      details: { statusCode: 403 },
    });
    expect(entry?.details).not.toHaveProperty('attempted_action');
  });
});
