import type { AuditEntry } from '@auditline/core';
import express, { type ErrorRequestHandler } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSocket, requestBytes, sleep } from './helpers/raw-client.js';
import { startServer, type TestServer } from './helpers/server.js';

// Issue #11: a client pipelined 200 DELETEs on one keep-alive connection and
// destroyed the socket at once. All 200 handlers ran, but only 3 lines were
// written: the queued responses never got the socket, so no finish or close
// fired on them. Every line must be written, and each must be true: the
// status it claims is the one the handler answered, and a request the handler
// never answered says so.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What the handlers really did, by request id: the status each answered. */
type Truth = Map<string, number>;

function idOf(entry: AuditEntry): string {
  return String(entry.path).split('/').pop()?.split('?')[0] ?? '';
}

/** Every line is true to what the handler did (or did not) do. */
function expectLinesTrue(entries: readonly AuditEntry[], truth: Truth): void {
  for (const entry of entries) {
    const answered = truth.get(idOf(entry));
    if (answered === undefined) {
      // The route handler never ran or never answered: never SUCCESS. Either
      // nothing answered (the line says so) or an error handler did (a 4xx/5xx).
      expect(entry.status, `${entry.path} was never served`).toBe('FAILED');
      const code = entry.details?.statusCode;
      if (code === undefined) expect(entry.details).toMatchObject({ answered: false });
      else expect(code).toBeGreaterThanOrEqual(400);
    } else {
      expect(entry.details?.statusCode, String(entry.path)).toBe(answered);
      expect(entry.status, String(entry.path)).toBe(answered < 400 ? 'SUCCESS' : 'FAILED');
    }
  }
}

describe('pipelined requests on a socket that dies (issue #11)', () => {
  it('200 pipelined DELETEs then an abrupt destroy give 200 lines, each true', async () => {
    // Prepare: odd ids answer at once, even ids after a short await (so some
    // answer after the socket is gone); ids ending in 7 do not exist (404).
    const truth: Truth = new Map();
    server = await startServer({
      middleware: () => ({ answerWaitMs: 2_000 }),
      routes: (app) => {
        app.delete('/api/orders/:id', async (req, res) => {
          const id = String(req.params.id);
          if (Number(id) % 2 === 0) await sleep(Number(id) % 20);
          const status = id.endsWith('7') ? 404 : 204;
          truth.set(id, status);
          res.sendStatus(status);
        });
      },
    });
    const socket = await openSocket(server.port);
    let bytes = '';
    for (let i = 0; i < 200; i++) bytes += requestBytes('DELETE', `/api/orders/${1000 + i}`);

    // Act: all 200 in one write, then reset the connection.
    socket.write(bytes);
    await vi.waitFor(() => expect(truth.size).toBeGreaterThan(0), { interval: 1 });
    socket.resetAndDestroy();
    const entries = await server.waitForEvents(200);
    await sleep(50);

    // Assess: one line per request, none twice, each true.
    expect(server.events()).toHaveLength(200);
    expect(new Set(entries.map(idOf)).size).toBe(200);
    expect(entries.every((e) => e.action === 'DELETE' || e.action === 'ACCESS_DENIED')).toBe(true);
    expect(entries.filter((e) => e.details?.aborted === true).length).toBeGreaterThan(0);
    expectLinesTrue(entries, truth);
    expect(truth.size).toBe(200);
  });

  it('1,000 requests over 50 connections, some destroyed mid-body, give one true line per request', async () => {
    // Prepare: POST bodies go through express.json; a body cut off mid-way
    // never reaches the handler (body-parser answers 400 "request aborted").
    const truth: Truth = new Map();
    const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
      if (!res.headersSent) res.status((error as { status?: number }).status ?? 500).end();
    };
    server = await startServer({
      middleware: () => ({ answerWaitMs: 2_000 }),
      routes: (app) => {
        app.use(express.json());
        app.post('/api/orders/:id', async (req, res) => {
          const id = String(req.params.id);
          await sleep(Number(id) % 7);
          truth.set(id, 201);
          res.status(201).json({ id, body: req.body });
        });
        app.delete('/api/orders/:id', (req, res) => {
          truth.set(String(req.params.id), 204);
          res.sendStatus(204);
        });
        app.use(errorHandler);
      },
    });

    // Act: 50 connections × 20 requests. Every 5th connection sends its last
    // request with half its declared body and is then destroyed.
    let sent = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, c) => {
        const socket = await openSocket((server as TestServer).port);
        const cut = c % 5 === 0;
        let bytes = '';
        for (let r = 0; r < 20; r++) {
          const id = String(10_000 + c * 20 + r);
          const body = JSON.stringify({ item: 'teapot', n: r });
          if (cut && r === 19) {
            bytes += requestBytes('POST', `/api/orders/${id}`, {
              body: body.slice(0, 5),
              declaredLength: Buffer.byteLength(body),
            });
          } else if (r % 3 === 0) {
            bytes += requestBytes('DELETE', `/api/orders/${id}`);
          } else {
            bytes += requestBytes('POST', `/api/orders/${id}`, { body });
          }
          sent++;
        }
        socket.write(bytes);
        if (cut) {
          await sleep(30);
          socket.resetAndDestroy();
        } else {
          await new Promise<void>((resolve) => {
            let text = '';
            socket.on('data', (chunk) => {
              text += chunk.toString('latin1');
              if ((text.match(/HTTP\/1\.1 \d{3}/g) ?? []).length >= 20) resolve();
            });
          });
          socket.destroy();
        }
      }),
    );
    const entries = await server.waitForEvents(1_000);
    await sleep(50);

    // Assess
    expect(sent).toBe(1_000);
    expect(server.events()).toHaveLength(1_000);
    expect(new Set(entries.map(idOf)).size).toBe(1_000);
    expectLinesTrue(entries, truth);
    // The ten requests cut off mid-body are each recorded once, as aborted.
    // Whether body-parser saw the abort (400) or skipped the finished request
    // and let the handler answer, the line says what happened (checked above).
    // Connections 0, 5, …, 45 were cut in their 20th request: ids 10019, 10119, …
    const cutIds = new Set(Array.from({ length: 10 }, (_, k) => String(10_019 + 100 * k)));
    const cutOff = entries.filter((e) => cutIds.has(idOf(e)));
    expect(cutOff).toHaveLength(10);
    for (const e of cutOff) expect(e.details).toMatchObject({ aborted: true });
  });
});
