import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuditEntry, type AuditParams, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { auditMiddleware } from '@auditline/express';
import express, { type Request } from 'express';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('fields added to Express requests', () => {
  it('types req.audit and req.traceId on Express.Request', () => {
    // Assess (checked by tsc in `pnpm typecheck`; a wrong augmentation fails the build)
    expectTypeOf<Request['traceId']>().toEqualTypeOf<string>();
    expectTypeOf<Request['audit']>().parameter(0).toEqualTypeOf<AuditParams>();
    expectTypeOf<Request['audit']>().returns.toEqualTypeOf<AuditEntry>();
  });

  it('exposes them on every request, and lets the app overwrite them', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.get('/fields', (req, res) => {
          const seen = { traceId: req.traceId, audit: typeof req.audit };
          req.traceId = 'overwritten';
          res.json({ ...seen, after: req.traceId });
        });
      },
    });

    // Act
    const body = await fetch(`${server.base}/fields`, { headers: { 'x-trace-id': 't-1' } }).then(
      (r) => r.json(),
    );

    // Assess
    expect(body).toEqual({ traceId: 't-1', audit: 'function', after: 'overwritten' });
  });

  it('keeps req.log, req.traceId and req.audit inside a mounted sub-app', async () => {
    // Prepare: Express swaps the request prototype while a sub-app runs.
    const seen: unknown[] = [];
    server = await startServer({
      routes: (app) => {
        const admin = express();
        admin.get('/users', (req, res) => {
          seen.push(req.traceId, typeof req.log?.info, typeof req.audit);
          req.log.info('in sub-app');
          req.audit({ action: 'LIST_USERS', resource: '/admin/users', status: 'SUCCESS' });
          res.json({ ok: true });
        });
        app.use('/admin', admin);
        app.get('/after', (req, res) => {
          res.json({ traceId: req.traceId });
        });
      },
    });

    // Act
    await fetch(`${server.base}/admin/users`, { headers: { 'x-trace-id': 'sub-1' } }).then((r) =>
      r.text(),
    );
    const after = await fetch(`${server.base}/after`, { headers: { 'x-trace-id': 'main-2' } }).then(
      (r) => r.json(),
    );
    const entries = await server.waitForEvents(3);

    // Assess
    expect(seen).toEqual(['sub-1', 'function', 'function']);
    expect(after).toEqual({ traceId: 'main-2' });
    expect(entries.map((e) => [e.action, e.traceId, e.resource])).toEqual([
      ['LIST_USERS', 'sub-1', '/admin/users'],
      ['REQUEST_OUTCOME', 'sub-1', '/admin/users'],
      ['READ', 'main-2', '/after'],
    ]);
    expect(server.appLines().find((l) => l.msg === 'in sub-app')).toMatchObject({
      traceId: 'sub-1',
    });
  });

  it('does not let an upstream req.id choose the trace id', async () => {
    // Prepare: some earlier middleware sets req.id from an unchecked header.
    server = await startServer({
      before: (app) => {
        app.use((req, _res, next) => {
          (req as Request & { id: unknown }).id = String(req.headers['x-request-id']);
          next();
        });
      },
      routes: (app) => {
        app.get('/id', (req, res) => {
          res.json({ traceId: req.traceId });
        });
      },
    });

    // Act
    const res = await fetch(`${server.base}/id`, {
      headers: { 'x-request-id': '<bad id>', 'x-trace-id': 'good-id' },
    });
    const body = (await res.json()) as { traceId: string };
    const [entry] = await server.waitForEvents(1);

    // Assess
    expect(body.traceId).toBe('good-id');
    expect(entry?.traceId).toBe('good-id');
    expect(server.sink.lines.join('')).not.toContain('<bad id>');
  });
});

describe('the accessors stay off shared prototypes', () => {
  it('works on a plain node:http server without touching IncomingMessage, ServerResponse or Object prototypes', async () => {
    // Prepare
    const sink = createMemorySink();
    const middleware = auditMiddleware({
      logger: createAuditLogger({ format: 'json', destination: sink, ecsMetadata: false }),
    });
    const seen: unknown[] = [];
    const plain = createServer((req, res) => {
      middleware(req as never, res as never, () => {
        const r = req as unknown as Request;
        seen.push(r.traceId, typeof r.audit);
        r.audit({ action: 'PLAIN_HTTP', resource: '/plain', status: 'SUCCESS' });
        res.end('ok');
      });
    });
    plain.listen(0, '127.0.0.1');
    await new Promise((resolve) => plain.once('listening', resolve));

    try {
      // Act
      const res = await fetch(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/plain`, {
        headers: { 'x-trace-id': 'plain-1' },
      });
      await res.text();

      // Assess
      expect(seen).toEqual(['plain-1', 'function']);
      expect(res.headers.get('x-trace-id')).toBe('plain-1');
      expect(sink.events().map((e) => [e.action, e.traceId])).toEqual([
        ['PLAIN_HTTP', 'plain-1'],
        ['REQUEST_OUTCOME', 'plain-1'],
      ]);
      for (const proto of [IncomingMessage.prototype, ServerResponse.prototype, Object.prototype]) {
        for (const key of ['traceId', 'audit', 'id', 'log', 'allLogs']) {
          expect(Object.getOwnPropertyDescriptor(proto, key)).toBeUndefined();
        }
      }
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('leaves Object.prototype alone when handed plain mock objects', () => {
    // Prepare
    const middleware = auditMiddleware({
      logger: createAuditLogger({
        format: 'json',
        destination: createMemorySink(),
        ecsMetadata: false,
      }),
    });
    const req = { method: 'GET', url: '/m', originalUrl: '/m', headers: {}, socket: {} };
    const res = {
      statusCode: 200,
      setHeader() {},
      on() {},
      removeListener() {},
      headersSent: false,
    };
    let nextCalled = false;

    // Act
    middleware(req as never, res as never, () => {
      nextCalled = true;
    });

    // Assess
    expect(nextCalled).toBe(true);
    expect('traceId' in {}).toBe(false);
    expect('log' in {}).toBe(false);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('allLogs');
  });
});
