import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { logAudit } from '@auditline/core';
import type { NextFunction, Request, Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

// SPEC §4.9, issue #12: a context ends with its request. A callback on a
// resource created during alice's request (a pooled socket, a timer started on
// first use) runs in alice's AsyncLocalStorage context long after her request
// finished; on main that gave mallory's ACCOUNT_DELETED alice's user, traceId
// and path.

const EXIT_FIXTURE = fileURLToPath(new URL('./fixtures/exit-inside-request.mjs', import.meta.url));

let server: TestServer | undefined;
let backend: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  backend?.close();
  backend = undefined;
});

function authFromHeader(req: Request, _res: Response, next: NextFunction): void {
  const user = req.headers['x-user'];
  if (typeof user === 'string') (req as Request & { user?: { id: string } }).user = { id: user };
  next();
}

/** A local TCP "database" that answers each line with `ok:<line>`. */
async function startBackend(): Promise<number> {
  backend = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) socket.write(`ok:${line}\n`);
    });
  });
  await new Promise<void>((resolve) => backend?.listen(0, '127.0.0.1', resolve));
  return (backend.address() as { port: number }).port;
}

describe('a context ends with its request (SPEC §4.9, issue #12)', () => {
  it("never attributes mallory's action, answered on a socket opened during alice's request, to alice", async () => {
    // Prepare: a lazily opened pooled connection, created on first use (alice's request).
    const port = await startBackend();
    const { connect } = await import('node:net');
    let pooled: Socket | undefined;
    const pending: Array<(reply: string) => void> = [];
    function query(text: string, done: (reply: string) => void): void {
      if (pooled === undefined) {
        pooled = connect(port, '127.0.0.1');
        pooled.setEncoding('utf8');
        // This listener is created in alice's context, and so is every callback it runs.
        pooled.on('data', (chunk: string) => {
          for (const line of chunk.split('\n').filter(Boolean)) pending.shift()?.(line);
        });
      }
      pending.push(done);
      pooled.write(`${text}\n`);
    }
    server = await startServer({
      routes: (app) => {
        app.use(authFromHeader);
        app.get('/api/profile', (_req, res) => {
          query('select profile', () => res.send('profile'));
        });
        app.delete('/api/accounts/:id', (req, res) => {
          const mallorysReq = req;
          query(`delete ${req.params.id}`, () => {
            // Act: the guide's style without req (ambient context), and with req.
            logAudit({
              action: 'ACCOUNT_DELETED',
              resource: `/accounts/${req.params.id}`,
              status: 'SUCCESS',
            });
            logAudit({
              action: 'ACCOUNT_DELETED_EXPLICIT',
              resource: `/accounts/${req.params.id}`,
              status: 'SUCCESS',
              req: mallorysReq,
            });
            res.status(204).end();
          });
        });
      },
    });
    const alice = await fetch(`${server.base}/api/profile`, { headers: { 'x-user': 'alice' } });
    await alice.text();
    await server.waitForEvents(1, (e) => e.user_id === 'alice' && e.action === 'READ');
    const mallory = await fetch(`${server.base}/api/accounts/acct-9`, {
      method: 'DELETE',
      headers: { 'x-user': 'mallory' },
    });
    await mallory.text();
    await server.waitForEvents(1, (e) => e.action === 'ACCOUNT_DELETED_EXPLICIT');

    // Assess
    const events = server.events();
    const aliceRead = events.find((e) => e.user_id === 'alice' && e.action === 'READ');
    const ambient = events.find((e) => e.action === 'ACCOUNT_DELETED');
    const explicit = events.find((e) => e.action === 'ACCOUNT_DELETED_EXPLICIT');
    expect(ambient?.user_id).not.toBe('alice');
    expect(ambient?.traceId).not.toBe(aliceRead?.traceId);
    expect(ambient?.path).toBeUndefined();
    expect(ambient?.method).toBeUndefined();
    expect(ambient?.ip_address).toBeUndefined();
    expect(ambient?.details).toMatchObject({ context_ended: true });
    // The caller that names mallory's request gets mallory's context.
    expect(explicit?.user_id).toBe('mallory');
    expect(explicit?.traceId).not.toBe(aliceRead?.traceId);
    expect(explicit?.method).toBe('DELETE');
  });

  it("never attributes a flush timer started during alice's request to alice", async () => {
    // Prepare: a batching writer whose interval starts on first use, inside alice's request.
    let timer: NodeJS.Timeout | undefined;
    const queue: string[] = [];
    function enqueue(action: string): void {
      queue.push(action);
      timer ??= setInterval(() => {
        for (const queued of queue.splice(0)) {
          logAudit({ action: queued, resource: '/batch', status: 'SUCCESS' });
        }
      }, 20);
    }
    server = await startServer({
      routes: (app) => {
        app.use(authFromHeader);
        app.post('/api/a', (_req, res) => {
          enqueue('ALICE_QUEUED');
          res.send('ok');
        });
        app.post('/api/m', (_req, res) => {
          enqueue('MALLORY_QUEUED');
          res.send('ok');
        });
      },
    });
    try {
      // Act
      await (
        await fetch(`${server.base}/api/a`, { method: 'POST', headers: { 'x-user': 'alice' } })
      ).text();
      await server.waitForEvents(1, (e) => e.action === 'CREATE' && e.user_id === 'alice');
      await server.waitForEvents(1, (e) => e.action === 'ALICE_QUEUED');
      await (
        await fetch(`${server.base}/api/m`, { method: 'POST', headers: { 'x-user': 'mallory' } })
      ).text();
      await server.waitForEvents(1, (e) => e.action === 'MALLORY_QUEUED');
    } finally {
      clearInterval(timer);
    }

    // Assess: the timer runs in alice's context, ended by the time mallory's
    // action is flushed. (ALICE_QUEUED may be flushed before alice's request
    // finishes, where alice is right, so it is not asserted.)
    const events = server.events();
    const aliceTrace = events.find((e) => e.action === 'CREATE' && e.user_id === 'alice')?.traceId;
    for (const action of ['MALLORY_QUEUED']) {
      const line = events.find((e) => e.action === action);
      expect(line?.user_id, action).not.toBe('alice');
      expect(line?.traceId, action).not.toBe(aliceTrace);
      expect(line?.path, action).toBeUndefined();
      expect(line?.details, action).toMatchObject({ context_ended: true });
    }
  });

  it('writes AUDIT_STOP without request fields when a handler calls process.exit() (real child process)', async () => {
    // Prepare
    const child = spawn(process.execPath, [EXIT_FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
        const found = /PORT=(\d+)/.exec(stderr);
        if (found) resolve(Number(found[1]));
      });
      child.once('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    const closed = once(child, 'close');

    // Act: the request whose handler exits the process.
    await fetch(`http://127.0.0.1:${port}/api/accounts/a-1/close?token=t`, {
      method: 'POST',
      headers: { 'user-agent': 'exit-client/1.0' },
    }).catch(() => undefined);
    await closed;

    // Assess
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const stop = lines.find((l) => l.action === 'AUDIT_STOP');
    expect(stop, stdout).toBeDefined();
    expect(stop?.user_id).toBe('system');
    for (const field of ['method', 'path', 'ip_address', 'user_agent']) {
      expect(stop?.[field], field).toBeUndefined();
    }
    expect(JSON.stringify(stop)).not.toContain('alice');
    expect(lines.at(-1)?.action).toBe('AUDIT_STOP');
  });
});
