import type { AddressInfo } from 'node:net';
import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { auditMiddleware } from '@auditline/express';
import express from 'express';
import { describe, expect, it, vi } from 'vitest';
import { openSocket, requestBytes, sleep } from './helpers/raw-client.js';

// Two middlewares of one copy of the package (an app's and an admin
// sub-router's, each with its own logger) can audit requests pipelined on one
// socket. When that socket dies, each request must be settled by the
// middleware that audits it: settled by the other one, it was written but left
// in its own middleware's in-flight list, so that logger's close() waited the
// whole drainTimeoutMs for a request already written (issue #15, the
// per-socket list through the request states).
describe('a socket shared by two auditing middlewares', () => {
  // The test's own timeout is far below the inner drainTimeoutMs: a close()
  // that waits for an already written request fails it.
  it('hands each queued request to its own middleware when the socket dies', {
    timeout: 20_000,
  }, async () => {
    // Prepare: the outer middleware excludes /admin, which the router audits itself.
    const outerSink = createMemorySink();
    const innerSink = createMemorySink();
    const outer = createAuditLogger({ format: 'json', destination: outerSink, ecsMetadata: false });
    const inner = createAuditLogger({ format: 'json', destination: innerSink, ecsMetadata: false });
    const reached: string[] = [];
    const app = express();
    app.use(auditMiddleware({ logger: outer, excludePaths: ['/admin'], answerWaitMs: 30 }));
    const admin = express.Router();
    // A drain this long outlives the test: close() must not need it.
    admin.use(auditMiddleware({ logger: inner, answerWaitMs: 30, drainTimeoutMs: 60_000 }));
    admin.get('/hang', () => {
      reached.push('admin');
    });
    app.use('/admin', admin);
    app.get('/public/hang', () => {
      reached.push('public');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const port = (server.address() as AddressInfo).port;

    try {
      // Act: the outer middleware's request first, so its listener is the socket's.
      const socket = await openSocket(port);
      socket.write(requestBytes('GET', '/public/hang') + requestBytes('GET', '/admin/hang'));
      await vi.waitFor(() => expect(reached).toHaveLength(2), { interval: 2 });
      socket.resetAndDestroy();
      await vi.waitFor(() => {
        expect(outerSink.events()).toHaveLength(1);
        expect(innerSink.events()).toHaveLength(1);
      });
      await inner.close();
      await outer.close();
      await sleep(10);

      // Assess: one unanswered line each, in its own logger, and both closed.
      expect(outerSink.events()[0]).toMatchObject({
        path: '/public/hang',
        status: 'FAILED',
        details: { aborted: true, answered: false },
      });
      expect(innerSink.events()[0]).toMatchObject({
        path: '/admin/hang',
        status: 'FAILED',
        details: { aborted: true, answered: false },
      });
      expect(innerSink.lines.at(-1)).toContain('"AUDIT_STOP"');
      expect(outerSink.lines.at(-1)).toContain('"AUDIT_STOP"');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
