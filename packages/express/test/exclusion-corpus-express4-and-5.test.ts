import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type AuditEntry, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { auditMiddleware } from '@auditline/express';
import express5, { type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from './helpers/server.js';

// Issue #11: exclusion was matched on the raw URL, so a dot segment or an
// encoding that leaves the excluded prefix reached a handler with no line.
// exclusion-normalised-path.test.ts covers express.static and the
// outer/inner mount; this file runs the corpus against routers (app routes, a
// Router mounted at /api, a /health/:check param route that decodes `..%2f`)
// on Express 5 and on Express 4: every request outside the excluded prefixes
// has exactly one line with its own path and the status it got, and only the
// real excluded endpoints (/health, /health/live, /metrics) are skipped.

const require = createRequire(import.meta.url);
const express4 = require('express4') as typeof express5;

/** Targets whose decoded, normalised path leaves /health and /metrics: each must be audited. */
const AUDITED = [
  '/health/../secret',
  '/health/%2e%2e/secret',
  '/health/%2E%2E/secret',
  '/health/..%2fsecret', // the router serves it: /health/:check with check = '../secret'
  '/metrics/%2E%2E/secret',
  '/metrics/%2e%2e/api/secret',
  '/metrics/..%2F..%2Fapi/secret',
  '//health/../admin',
  '/health/./../x',
  '/health/../api/secret',
  '/health/..', // served by /health/:check with check = '..'; normalises to /
  '/health/%2e%2e',
  '/health%2fx',
  '/HEALTH/../x',
  '/HEALTH', // Express routes are case-insensitive, exclusion is not: audited (README)
  '/Health/live',
  '/API/secret',
  '/api/secret/..',
  '/secret',
  '/api/secret',
];

/** The real excluded endpoints: served, never audited. */
const EXCLUDED_SERVED = ['/health', '/health/', '/health/live', '/metrics', '/metrics?full=1'];

/** Targets that normalise inside an excluded prefix: never audited, whatever the router does. */
const EXCLUDED_OTHER = ['/health/./live', '/health/x/../live', '//health', '/health//live'];

interface Running {
  readonly port: number;
  readonly events: () => AuditEntry[];
  /** Raw targets a route handler ran for (`req.originalUrl`). */
  readonly served: Set<string>;
  close(): Promise<void>;
}

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(makeApp: typeof express5): Promise<Running> {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'exclusion-corpus',
    format: 'json',
    destination: sink,
    ecsMetadata: false,
  });
  const served = new Set<string>();
  const answer =
    (body: string): RequestHandler =>
    (req, res) => {
      served.add(req.originalUrl);
      res.type('text/plain').send(body);
    };
  const app = makeApp();
  app.set('env', 'test');
  app.use(auditMiddleware({ logger: audit, excludePaths: ['/health', '/metrics'] }));
  app.get('/health', answer('ok'));
  app.get('/health/live', answer('live'));
  app.get('/health/:check', answer('check'));
  app.get('/metrics', answer('metrics'));
  app.get('/secret', answer('secret'));
  app.get('/admin', answer('admin'));
  app.get('/x', answer('x'));
  const api = makeApp.Router();
  api.get('/secret', answer('api secret'));
  app.use('/api', api);
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    events: () => sink.events(),
    served,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each([
  ['Express 5', express5],
  ['Express 4', express4],
])('exclusion corpus against routers on %s (issue #11)', (_name, makeApp) => {
  it('audits every target that leaves an excluded prefix, once, with its status; skips only the real excluded endpoints', async () => {
    // Prepare
    running = await start(makeApp);
    const port = running.port;

    // Act: one request per target, in order, each on its own connection.
    const statuses = new Map<string, number>();
    for (const path of [...AUDITED, ...EXCLUDED_SERVED, ...EXCLUDED_OTHER]) {
      statuses.set(path, (await rawRequest(port, { path })).status);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    const entries = running.events();
    const paths = entries.map((e) => String(e.path));
    // Both routers hand an escaping param to /health/:check ('../secret', '..'):
    // served through the excluded prefix, so these lines are the point. The
    // routers do not resolve `..` themselves: /health/../secret is a 404, audited.
    for (const path of ['/health/..%2fsecret', '/health/..', '/health/%2e%2e', '/HEALTH']) {
      expect(running.served.has(path), `${path} served by a route`).toBe(true);
    }
    for (const path of AUDITED) {
      // Exactly one line per target, with the status the client got.
      const own = entries.filter((e) => e.path === path);
      expect(own, `${path} (status ${statuses.get(path)}) lines`).toHaveLength(1);
      const served = running.served.has(path);
      expect(own[0]?.details?.statusCode, path).toBe(statuses.get(path));
      expect(own[0]?.status, path).toBe(served ? 'SUCCESS' : 'FAILED');
      if (served) expect(statuses.get(path), path).toBe(200);
    }
    // The real excluded endpoints are served and skipped.
    for (const path of EXCLUDED_SERVED) {
      expect(statuses.get(path), path).toBe(200);
      expect(running.served.has(path), `${path} served`).toBe(true);
      expect(paths, `${path} was audited`).not.toContain(path);
    }
    for (const path of EXCLUDED_OTHER) expect(paths, `${path} was audited`).not.toContain(path);
    // Nothing else was written.
    expect(entries).toHaveLength(AUDITED.length);
  });
});
