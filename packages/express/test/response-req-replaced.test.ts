import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { AuditEntry } from '@auditline/core';
import type { Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { openSocket, requestBytes } from './helpers/raw-client.js';
import { startServer, type TestServer } from './helpers/server.js';

// Attack on issue #15's adapter: the response keeps no audit state, and its
// one finish listener finds the state through `res.req`. `res.req` is an
// ordinary writable property, so a later middleware can replace it (a wrapper
// handing the response a request object of its own). Deleting it is not tried:
// Express's own res.send reads res.req, so no app can do that and answer. The
// request still finished: its entry must say so when it finishes, as it did
// when the state lived on the response, and not wait for the client to hang
// up (then it was written as `aborted`, a client that left, which it did not).

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends one keep-alive GET and resolves with the socket once the whole response is in. */
async function getKeepingSocket(port: number, path: string): Promise<Socket> {
  const socket = await openSocket(port);
  await new Promise<void>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\ndone')) resolve();
    });
    socket.write(requestBytes('GET', path));
  });
  return socket;
}

type Tamper = (req: IncomingMessage, res: Response) => void;

const TAMPERS: readonly [string, Tamper][] = [
  ['sets res.req to a plain object', (_req, res) => Object.assign(res, { req: {} })],
  [
    'sets res.req to a fresh object inheriting from the request',
    (req, res) => Object.assign(res, { req: Object.create(req) as IncomingMessage }),
  ],
];

describe('a response whose res.req another middleware deleted or replaced', () => {
  for (const [what, tamper] of TAMPERS) {
    it(`writes the finished entry as finished, not aborted, when a middleware ${what}`, async () => {
      // Prepare: the tampering middleware runs after auditline, before the handler.
      server = await startServer({
        routes: (app) => {
          app.use((req, res, next) => {
            tamper(req, res);
            next();
          });
          app.get('/api/orders/:id', (_req, res) => {
            res.status(200).send('done');
          });
        },
      });

      // Act: the whole response arrives on a kept-alive socket; only then does the client hang up.
      const socket = await getKeepingSocket(server.port, '/api/orders/1');
      socket.destroy();
      const [entry] = (await server.waitForEvents(1)) as [AuditEntry];

      // Assess: a request that finished, with no sign of a client that left early.
      expect(entry.status).toBe('SUCCESS');
      expect(entry.details?.statusCode).toBe(200);
      expect(entry.details).not.toHaveProperty('aborted');
      expect(entry.details).not.toHaveProperty('reason');
      expect(server.events()).toHaveLength(1);
    });
  }

  it('writes each entry for its own request when one response is handed another in-flight request', async () => {
    // Prepare: /a waits until /b is in its handler, then points its response's
    // req at /b's request and answers; /b answers after that, with 201.
    let bRequest: IncomingMessage | undefined;
    let bArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      bArrived = resolve;
    });
    let aAnswered: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      aAnswered = resolve;
    });
    server = await startServer({
      routes: (app) => {
        app.get('/api/a', async (_req, res) => {
          await arrived;
          Object.assign(res, { req: bRequest });
          res.status(200).send('done');
          aAnswered();
        });
        app.get('/api/b', async (req, res) => {
          bRequest = req;
          bArrived();
          await answered;
          res.status(201).send('done');
        });
      },
    });

    // Act: both on kept-alive sockets of their own; the clients hang up only after.
    const [a, b] = await Promise.all([
      getKeepingSocket(server.port, '/api/a'),
      getKeepingSocket(server.port, '/api/b'),
    ]);
    a.destroy();
    b.destroy();
    const entries = await server.waitForEvents(2);

    // Assess: /a's finish settled /a (not /b, and not on the hang-up), /b its own.
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get('/api/a')?.details).toMatchObject({ statusCode: 200 });
    expect(byPath.get('/api/a')?.details).not.toHaveProperty('aborted');
    expect(byPath.get('/api/b')?.details).toMatchObject({ statusCode: 201 });
    expect(byPath.get('/api/b')?.details).not.toHaveProperty('aborted');
    expect(entries).toHaveLength(2);
  });
});

describe('res.log when res.req was replaced (req.log deferred, issue #15)', () => {
  it('gives a handler reading res.log first a logger, and its line the request trace id', async () => {
    // Prepare: a middleware hands the response a plain object as its req; the
    // handler logs through res.log first, as code written for pino-http does.
    // Since the pending logger lives on the request only, res.log followed
    // res.req and read undefined: a TypeError in the handler, a 500.
    server = await startServer({
      routes: (app) => {
        app.use((_req, res, next) => {
          Object.assign(res, { req: {} });
          next();
        });
        app.get('/api/res-log', (_req, res) => {
          (res as unknown as { log: { info(o: object, m: string): void } }).log.info(
            { step: 'res' },
            'via res.log',
          );
          res.send('ok');
        });
      },
    });

    // Act
    const answer = await fetch(`${server.base}/api/res-log`, {
      headers: { 'x-trace-id': 'replaced-req-1' },
    });
    const body = await answer.text();
    await server.waitForEvents(1);

    // Assess
    expect([answer.status, body]).toEqual([200, 'ok']);
    expect(server.appLines()).toEqual([
      expect.objectContaining({ msg: 'via res.log', step: 'res', traceId: 'replaced-req-1' }),
    ]);
  });
});
