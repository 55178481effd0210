import type { AuditEntry, AuditParams } from '@auditline/core';
import type { Request } from 'express';
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
