import { METHODS, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { emf, extractEmfMetrics, KNOWN_HTTP_METHODS, OTHER_METHOD } from '@auditline/emf';
import { auditMiddleware, OTHER_METHOD_ACTION } from '@auditline/express';
import express from 'express';
import { describe, expect, it } from 'vitest';

// issue #13: an automatic entry's action is its HTTP method when the method
// has no built-in action, and every distinct dimension value is a billed
// custom metric. Measured: 34 unauthenticated requests, one per method Node
// parses, added 114 metrics (Action=PROPFIND, MKCALENDAR…). The Action (and a
// Method) dimension must take only the known verbs' values plus one catch-all.
function send(port: number, method: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: '/api/things' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('EMF dimensions fed by HTTP methods', () => {
  it('collapse every method Node parses to the known verbs plus one catch-all', async () => {
    // Prepare: the real middleware, EMF on, a Method dimension too; one route for every method.
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'orders',
      format: 'json',
      destination: sink,
      ecsMetadata: false,
      plugins: [
        emf({
          dimensions: { Action: 'action', Status: 'status', Method: 'method' },
          dimensionSets: [['Action'], ['Action', 'Status'], ['Method']],
        }),
      ],
    });
    const app = express();
    app.use(auditMiddleware({ logger: audit }));
    app.all('/api/things', (_req, res) => {
      res.status(200).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    // CONNECT is a tunnel request, not routed to Express.
    const methods = METHODS.filter((m) => m !== 'CONNECT');

    try {
      // Act
      for (const method of methods) await send(port, method);
      for (let i = 0; i < 100 && sink.lines.length < methods.length + 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    // Assess
    const requestLines = sink.lines.filter((l) => l.includes('"/api/things"'));
    expect(requestLines).toHaveLength(methods.length);
    const metrics = requestLines.flatMap((line) => extractEmfMetrics(line));
    const actions = new Set(metrics.map((m) => m.dimensions.Action).filter(Boolean));
    const methodValues = new Set(metrics.map((m) => m.dimensions.Method).filter(Boolean));
    // One catch-all: emf's equals the adapter's action for methods that are no action name (M-SEARCH).
    expect(OTHER_METHOD).toBe(OTHER_METHOD_ACTION);
    // Positive control: PROPFIND was sent, and it is counted, under the catch-all.
    expect(requestLines.some((l) => l.includes('"action":"PROPFIND"'))).toBe(true);
    expect(actions.has(OTHER_METHOD)).toBe(true);
    for (const value of actions) {
      expect([
        'READ',
        'CREATE',
        'UPDATE',
        'DELETE',
        'HEAD',
        'OPTIONS',
        'TRACE',
        OTHER_METHOD,
      ]).toContain(value);
    }
    for (const value of methodValues)
      expect([...KNOWN_HTTP_METHODS, OTHER_METHOD]).toContain(value);
    // Distinct custom metrics (namespace, name, dimensions): bounded by the verbs, not by the methods sent.
    const distinct = new Set(
      metrics.map((m) => JSON.stringify([m.namespace, m.name, m.dimensions])),
    );
    expect(distinct.size).toBeLessThan(60);
  });
});
