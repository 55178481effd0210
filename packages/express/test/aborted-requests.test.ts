import { get as httpGet, request as httpRequest } from 'node:http';
import { createAppLogger } from '@auditline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A gate the test opens; the handler waits on it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('aborted requests are audited exactly once (SPEC §5.6)', () => {
  it('writes one entry with aborted: true when the client closes mid-response, with the status the handler then finished with', async () => {
    // Prepare: the handler sends headers and a first chunk, then waits.
    const release = gate();
    const handlerDone = gate();
    const firstChunk = gate();
    server = await startServer({
      middleware: (audit) => ({ appLogger: createAppLogger({ audit, level: 'debug' }) }),
      routes: (app) => {
        app.get('/stream', async (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('part one\n');
          await release.wait;
          res.end('part two\n'); // the client is gone: must not add an entry
          setImmediate(handlerDone.open);
        });
      },
    });
    const port = server.port;

    // Act: read the first chunk, then drop the connection.
    const client = httpGet({ host: '127.0.0.1', port, path: '/stream', agent: false }, (res) => {
      res.once('data', () => firstChunk.open());
    });
    client.on('error', () => {});
    await firstChunk.wait;
    client.destroy();
    // The entry waits (bounded) for the handler's answer: none before it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.events()).toHaveLength(0);
    release.open();
    await handlerDone.wait;
    const [entry] = await server.waitForEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Assess: one entry; the handler finished its 200, so the outcome follows it (SPEC §5.6).
    expect(server.events()).toHaveLength(1);
    expect(entry).toMatchObject({
      action: 'READ',
      status: 'SUCCESS',
      resource: '/stream',
      details: { aborted: true, statusCode: 200 },
    });
    expect(entry?.details?.duration_ms).toBeGreaterThanOrEqual(0);
    const debugLines = server.appLines().filter((l) => l.level === 'debug');
    expect(debugLines.map((l) => l.msg)).toEqual(['request aborted']);
  });

  it('writes one entry when the client closes before any response was sent', async () => {
    // Prepare
    const release = gate();
    const received = gate();
    const handlerDone = gate();
    server = await startServer({
      routes: (app) => {
        app.post('/slow', async (_req, res) => {
          received.open();
          await release.wait;
          res.status(201).json({ late: true });
          setImmediate(handlerDone.open);
        });
      },
    });
    const port = server.port;

    // Act
    const client = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/slow',
      agent: false,
    });
    client.on('error', () => {});
    client.end();
    await received.wait;
    client.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.events()).toHaveLength(0);
    release.open();
    await handlerDone.wait;
    const [entry] = await server.waitForEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Assess: the handler acted and answered 201 after the client left. A line
    // saying FAILED would let a client make every action look like a failed
    // attempt (issue #11); the line says what the handler did, and that the client left.
    expect(server.events()).toHaveLength(1);
    expect(entry).toMatchObject({
      action: 'CREATE',
      status: 'SUCCESS',
      details: { aborted: true, statusCode: 201 },
    });
  });

  it('says so, FAILED, when the handler never answers within answerWaitMs', async () => {
    // Prepare: a handler that hangs forever after the client left.
    const received = gate();
    server = await startServer({
      middleware: () => ({ answerWaitMs: 150 }),
      routes: (app) => {
        app.delete('/hang', () => {
          received.open();
        });
      },
    });
    const client = httpRequest({
      host: '127.0.0.1',
      port: server.port,
      method: 'DELETE',
      path: '/hang',
      agent: false,
    });
    client.on('error', () => {});
    client.end();
    await received.wait;

    // Act
    client.destroy();
    const [entry] = await server.waitForEvents(1);

    // Assess: no status was ever sent, so none is claimed; the line says the wait ran out.
    expect(entry).toMatchObject({
      action: 'DELETE',
      status: 'FAILED',
      details: { aborted: true, answered: false },
    });
    expect(entry?.details).not.toHaveProperty('statusCode');
    expect(String(entry?.details?.error)).toContain('within 150 ms');
  });
});
