import methodOverride from 'method-override';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

// Issue #11: mounted first (as the README says), the middleware recorded the
// method before method-override ran. A POST with X-HTTP-Method-Override: DELETE
// deleted the order but was recorded as POST / CREATE / SUCCESS, which the
// DeleteActions filter never sees.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('method-override (issue #11)', () => {
  it('records the method the router dispatched, and keeps the original in details', async () => {
    // Prepare: real method-override 3, after the audit middleware.
    const deleted: string[] = [];
    server = await startServer({
      routes: (app) => {
        app.use(methodOverride('X-HTTP-Method-Override'));
        app.delete('/api/orders/:id', (req, res) => {
          deleted.push(String(req.params.id));
          res.sendStatus(204);
        });
      },
    });

    // Act
    const res = await fetch(`${server.base}/api/orders/42`, {
      method: 'POST',
      headers: { 'x-http-method-override': 'DELETE' },
    });
    const [entry] = await server.waitForEvents(1);

    // Assess: the order was deleted, and the line says DELETE.
    expect(res.status).toBe(204);
    expect(deleted).toEqual(['42']);
    expect(entry).toMatchObject({
      action: 'DELETE',
      method: 'DELETE',
      status: 'SUCCESS',
      details: { statusCode: 204, original_method: 'POST' },
    });
  });

  it('adds no original_method when nothing overrode the method', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.use(methodOverride('X-HTTP-Method-Override'));
        app.post('/api/orders', (_req, res) => {
          res.sendStatus(201);
        });
      },
    });

    // Act
    await fetch(`${server.base}/api/orders`, { method: 'POST' });
    const [entry] = await server.waitForEvents(1);

    // Assess
    expect(entry).toMatchObject({ action: 'CREATE', method: 'POST' });
    expect(entry?.details).not.toHaveProperty('original_method');
  });
});
