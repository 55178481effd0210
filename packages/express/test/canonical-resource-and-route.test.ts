import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest, startServer, type TestServer } from './helpers/server.js';

// Issue #12: `resource` was the raw request target, so order 42 deleted seven
// ways was recorded seven ways and `resource = "/api/orders/42"` missed 6 of 7;
// and with no `route` field, latency by path grouped o-1001 and o-1002 apart.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Seven request targets Express routes to the same handler with id 42. */
const SPELLINGS = [
  '/api/orders/42',
  '/API/ORDERS/42',
  '/api/orders/%34%32',
  '/api/orders/42/',
  'http://billing.internal.example/api/orders/42',
  '/api/orders/42#x',
  '/api/orders/42?ref=mail&token=s3cr3t',
];

/** An app with the orders router mounted at /api, so the route includes a mount path. */
function ordersRoutes(deleted: string[]) {
  return (app: express.Express): void => {
    const orders = express.Router();
    orders.delete('/orders/:id', (req, res) => {
      deleted.push(String(req.params.id));
      res.sendStatus(204);
    });
    app.use('/api', orders);
  };
}

describe('canonical resource and route (issue #12, SPEC §3)', () => {
  it('writes one resource and one route for the seven spellings of order 42, and keeps each path as received', async () => {
    // Prepare
    const deleted: string[] = [];
    server = await startServer({ routes: ordersRoutes(deleted) });

    // Act
    for (const path of SPELLINGS) {
      const res = await rawRequest(server.port, { method: 'DELETE', path });
      expect(res.status, `DELETE ${path}`).toBe(204);
    }
    await server.waitForEvents(SPELLINGS.length);

    // Assess: the router sent every spelling to the handler with id 42 ...
    expect(deleted).toEqual(SPELLINGS.map(() => '42'));
    const events = server.events();
    expect(events).toHaveLength(SPELLINGS.length);
    // ... so a search for resource "/api/orders/42" must find all seven, and
    // latency by route must group them as one template (mount path included).
    expect(new Set(events.map((e) => e.resource))).toEqual(new Set(['/api/orders/42']));
    expect(new Set(events.map((e) => e.route))).toEqual(new Set(['/api/orders/:id']));
    // path stays the target as received (query secrets redacted, SPEC §6): a
    // canonical path would hide how the client spelled it.
    const paths = events.map((e) => e.path);
    expect(paths).toContain('/API/ORDERS/42');
    expect(paths).toContain('/api/orders/%34%32');
    expect(paths).toContain('/api/orders/42/');
    expect(paths.join(' ')).not.toContain('s3cr3t');
    for (const e of events) expect(e.details?.validation_errors).toBeUndefined();
  });

  it('gives two orders two resources and one route, so latency by route groups them', async () => {
    // Prepare
    server = await startServer({ routes: ordersRoutes([]) });

    // Act
    await rawRequest(server.port, { method: 'DELETE', path: '/api/orders/o-1001' });
    await rawRequest(server.port, { method: 'DELETE', path: '/api/orders/o-1002' });
    await server.waitForEvents(2);

    // Assess: one template for both, distinct resources (the params differ).
    const events = server.events();
    expect(events.map((e) => e.route)).toEqual(['/api/orders/:id', '/api/orders/:id']);
    expect(events.map((e) => e.resource)).toEqual(['/api/orders/o-1001', '/api/orders/o-1002']);
  });

  it('does not fold an id whose value ends in an encoded slash (42%2F) into order 42', async () => {
    // Prepare
    const deleted: string[] = [];
    server = await startServer({ routes: ordersRoutes(deleted) });

    // Act
    await rawRequest(server.port, { method: 'DELETE', path: '/api/orders/42%2F' });
    await server.waitForEvents(1);

    // Assess: the handler got id "42/", a different param, so a different resource.
    expect(deleted).toEqual(['42/']);
    const [event] = server.events();
    expect(event?.route).toBe('/api/orders/:id');
    expect(event?.resource).not.toBe('/api/orders/42');
  });

  it('carries the route on an explicit entry inside the handler', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        const orders = express.Router();
        orders.post('/orders/:id/refund', (req, res) => {
          req.audit({ action: 'REFUND_ISSUED', resource: req.originalUrl, status: 'SUCCESS' });
          res.sendStatus(200);
        });
        app.use('/api', orders);
      },
    });

    // Act
    await rawRequest(server.port, { method: 'POST', path: '/api/orders/7/refund' });
    await server.waitForEvents(2);

    // Assess: both lines of the request name the template, or "by route" misses the explicit one.
    const events = server.events();
    const explicit = events.find((e) => e.action === 'REFUND_ISSUED');
    expect(explicit?.route).toBe('/api/orders/:id/refund');
    expect(events.every((e) => e.route === '/api/orders/:id/refund')).toBe(true);
  });

  it('never writes a sensitive route param value into the canonical resource', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.post('/reset/:token', (_req, res) => {
          res.sendStatus(204);
        });
      },
    });

    // Act: the token, percent-encoded; the canonical resource decodes params.
    await rawRequest(server.port, { method: 'POST', path: '/reset/abc%2Ddef-123' });
    await server.waitForEvents(1);

    // Assess: building resource from decoded params must not leak the token.
    const [event] = server.events();
    expect(event?.route).toBe('/reset/:token');
    expect(event?.resource).toBe('/reset/[REDACTED]');
  });

  it('keeps the path as resource and writes no route when no route matched (404)', async () => {
    // Prepare
    server = await startServer({ routes: ordersRoutes([]) });

    // Act
    await rawRequest(server.port, { method: 'GET', path: '/API/nothing/here' });
    await server.waitForEvents(1);

    // Assess: no template to canonicalise with, so the target as received.
    const [event] = server.events();
    expect(event?.resource).toBe('/API/nothing/here');
    expect(event?.route).toBeUndefined();
  });
});
