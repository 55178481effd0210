import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { auditMiddleware } from '@auditline/express';
import { compileFilterPattern, METRIC_FILTERS } from '@auditline/infra';
import express from 'express';
import { describe, expect, it } from 'vitest';

// SPEC §5.7, issue #12: one sensitive action in one request is one counted event. The
// lines come from a real server; each generated metric filter, run through the in-repo
// evaluator, must count every action of its kind exactly once, whether the handler
// wrote an explicit entry, left it to the automatic one, failed after logging SUCCESS,
// or lost its client.

/** Sends one request on a raw socket and destroys it before any answer: a client that left. */
async function abandon(port: number, method: string, path: string): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
}

describe('generated metric filters on a real request mix', () => {
  it('count each failed action, delete, failed login and denial once', async () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ service: 'orders-api', format: 'json', destination: sink });
    const app = express();
    app.use(auditMiddleware({ logger: audit, answerWaitMs: 100 }));
    // 1: explicit DELETE, then 204. 2: explicit DELETE SUCCESS, then a 500.
    app.delete('/orders/:id', (req, res) => {
      const id = req.params.id;
      if (id === 'auto') return void res.sendStatus(204); // 3: automatic entry only
      if (id === 'denied') return void res.sendStatus(403); // 4: automatic ACCESS_DENIED
      req.audit({ action: 'DELETE', resource: `/orders/${id}`, status: 'SUCCESS' });
      if (id === 'hang') return; // 6: logged SUCCESS, then the client leaves, no answer
      res.sendStatus(id === 'boom' ? 500 : 204);
    });
    // 5: explicit LOGIN FAILED, then 401.
    app.post('/login', (req, res) => {
      req.audit({ action: 'LOGIN', resource: '/login', status: 'FAILED', user_id: 'a@b.c' });
      res.sendStatus(401);
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;

    // Act
    for (const id of ['ok', 'boom', 'auto', 'denied']) {
      await fetch(`${base}/orders/${id}`, { method: 'DELETE' }).then((r) => r.arrayBuffer());
    }
    await fetch(`${base}/login`, { method: 'POST' }).then((r) => r.arrayBuffer());
    await abandon(port, 'DELETE', '/orders/hang');
    const deadline = Date.now() + 5_000;
    while (sink.events().length < 10 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    server.closeAllConnections();
    server.close();
    await audit.close();

    // Assess: 4 deletes (ok, boom, auto, hang); failures: boom and hang contradict their
    // SUCCESS claim, denied, and the failed login; the outcome lines of claimed requests
    // that agree with their claim are not counted a second time.
    const lines = sink.lines.map((line) => line.trimEnd());
    const count = (pattern: string): number => lines.filter(compileFilterPattern(pattern)).length;
    expect(sink.events()).toHaveLength(10);
    expect({
      deletes: count(METRIC_FILTERS.deleteActions.pattern),
      failed: count(METRIC_FILTERS.failedActions.pattern),
      failedLogins: count(METRIC_FILTERS.failedLogins.pattern),
      denied: count(METRIC_FILTERS.accessDenied.pattern),
    }).toEqual({ deletes: 4, failed: 4, failedLogins: 1, denied: 1 });
  });
});
