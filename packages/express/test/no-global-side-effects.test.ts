import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import express from 'express';
import { describe, expect, it } from 'vitest';

// Issue #11: request-fields.ts used to define accessors (traceId, audit, id,
// log, allLogs, res[startTime], pino-http's reqObject symbol) on Express's
// shared express.request/express.response prototypes, which broke a second
// copy of the package, and it deleted an upstream req.id. A library must leave
// the framework's and Node's shared objects as it found them.

const SHARED = {
  'express.request': express.request,
  'express.response': express.response,
  'http.IncomingMessage.prototype': http.IncomingMessage.prototype,
  'http.ServerResponse.prototype': http.ServerResponse.prototype,
} as const;

/** Every own key (names and symbols) with the identity of what its descriptor holds. */
function snapshot(target: object): Map<string | symbol, unknown[]> {
  const out = new Map<string | symbol, unknown[]>();
  for (const key of [
    ...Object.getOwnPropertyNames(target),
    ...Object.getOwnPropertySymbols(target),
  ]) {
    const d = Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor;
    out.set(key, [d.value, d.get, d.set, d.writable, d.enumerable, d.configurable]);
  }
  return out;
}

// Taken before @auditline/express is even loaded, so a patch at import time shows too.
const BEFORE_IMPORT = Object.fromEntries(
  Object.entries(SHARED).map(([name, t]) => [name, snapshot(t)]),
);
const { auditMiddleware } = await import('@auditline/express');

function describeKeys(m: Map<string | symbol, unknown[]>): string[] {
  return [...m.keys()].map(String).sort();
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('auditMiddleware leaves shared objects alone', () => {
  it('serving requests adds, removes or replaces no own property or symbol on express.request/response or http.IncomingMessage/ServerResponse prototypes', async () => {
    // Prepare: the snapshot was taken before the package was imported; build the middleware and an app.
    const before = BEFORE_IMPORT;
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'side-effects',
      format: 'json',
      destination: sink,
      ecsMetadata: false,
    });
    const app = express();
    app.set('env', 'test');
    app.use(auditMiddleware({ logger: audit }));
    app.get('/orders/:id', (req, res) => {
      req.audit({ action: 'READ_PII', resource: `/orders/${req.params.id}`, status: 'SUCCESS' });
      req.log.info('served');
      res.json({ traceId: req.traceId });
    });
    app.get('/boom', () => {
      throw new Error('handler failure');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const port = (server.address() as AddressInfo).port;

    // Act: successful, failing and unmatched requests.
    const results = [
      await get(port, '/orders/1'),
      await get(port, '/boom'),
      await get(port, '/nowhere'),
      await get(port, '/orders/2'),
    ];
    await new Promise<void>((r) => server.close(() => r()));
    await audit.close();

    // Assess: the requests really went through the middleware...
    expect(results.map((r) => r.status)).toEqual([200, 500, 404, 200]);
    expect(sink.events().filter((e) => e.action !== 'READ_PII')).toHaveLength(4);
    // ...and every shared object has exactly the keys and descriptors it had before.
    for (const [name, target] of Object.entries(SHARED)) {
      const after = snapshot(target);
      const was = before[name] as Map<string | symbol, unknown[]>;
      expect(describeKeys(after), `${name}: keys added or removed`).toEqual(describeKeys(was));
      for (const [key, desc] of after) {
        expect(desc, `${name}[${String(key)}] was redefined`).toEqual(was.get(key));
      }
    }
  });

  it('an upstream req.id set by earlier middleware survives the audit middleware and reaches the handler', async () => {
    // Prepare: a request-id middleware mounted before auditMiddleware.
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'side-effects',
      format: 'json',
      destination: sink,
      ecsMetadata: false,
    });
    const app = express();
    app.set('env', 'test');
    app.use((req, _res, next) => {
      (req as unknown as { id: string }).id = 'upstream-req-7';
      next();
    });
    app.use(auditMiddleware({ logger: audit }));
    app.get('/id', (req, res) => {
      res.json({ id: (req as unknown as { id?: unknown }).id ?? null });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));

    // Act
    const res = await get((server.address() as AddressInfo).port, '/id');
    await new Promise<void>((r) => server.close(() => r()));
    await audit.close();

    // Assess: the old middleware deleted req.id (null here) or replaced it with pino-http's counter.
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ id: 'upstream-req-7' });
  });
});
