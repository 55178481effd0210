import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

// req.log is built on first read when the completion line's level (debug) is
// off (issue #15). These pin what pino-http gave every request before: the
// trace-id binding, req.id, and the error-level app line for a response error
// or a res.err, even when no handler read req.log.
describe('req.log built on first use', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('gives a req.log read late in the request the request trace id, and req.id is that id', async () => {
    // Prepare: the default app logger (info), req.log first read after an await.
    const seen: unknown[] = [];
    server = await startServer({
      routes: (app) => {
        app.get('/late', async (req, res) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          seen.push((req as { id?: unknown }).id);
          req.log.info({ step: 'late' }, 'read late');
          res.send('ok');
        });
      },
    });

    // Act
    const res = await fetch(`${server.base}/late`, { headers: { 'x-trace-id': 'late-trace-1' } });
    await res.text();
    await server.waitForEvents(1);

    // Assess: a logger without the binding, or a missing req.id, fails here.
    expect(seen).toEqual(['late-trace-1']);
    expect(server.appLines()).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'read late',
        step: 'late',
        traceId: 'late-trace-1',
      }),
    ]);
  });

  it('gives a handler that reads res.log or req.allLogs first what pino-http gave it', async () => {
    // Prepare: code written for pino-http logs through res.log (set by pino-http
    // beside req.log) and may read req.allLogs; deferring req.log must not leave
    // them undefined (a TypeError in the handler, a 500 instead of the answer).
    const seen: unknown[] = [];
    server = await startServer({
      routes: (app) => {
        app.get('/res-log', (req, res) => {
          const fromRes = (res as unknown as { log: typeof req.log }).log;
          fromRes.info({ step: 'res' }, 'via res.log');
          const all = (req as unknown as { allLogs?: unknown[] }).allLogs;
          seen.push(Array.isArray(all) ? all.length : all, typeof req.log.info);
          res.send('ok');
        });
      },
    });

    // Act
    const res = await fetch(`${server.base}/res-log`, { headers: { 'x-trace-id': 'res-log-1' } });
    const body = await res.text();
    await server.waitForEvents(1);

    // Assess
    expect([res.status, body]).toEqual([200, 'ok']);
    expect(seen).toEqual([1, 'function']);
    expect(server.appLines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'via res.log', traceId: 'res-log-1' }),
    ]);
  });

  it('logs a response error once at error level when no handler read req.log, and the process keeps serving', async () => {
    // Prepare: writing after end makes the response emit `error`; with no
    // listener that event would crash the process.
    server = await startServer({
      routes: (app) => {
        app.get('/twice', (_req, res) => {
          res.end('first');
          res.write('after end');
        });
        app.get('/next', (_req, res) => {
          res.send('still up');
        });
      },
    });

    // Act
    await fetch(`${server.base}/twice`, { headers: { 'x-trace-id': 'twice-1' } }).then((r) =>
      r.text(),
    );
    await server.waitForEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = await fetch(`${server.base}/next`).then((r) => r.text());

    // Assess
    expect(after).toBe('still up');
    const errors = server.appLines().filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'request errored',
        traceId: 'twice-1',
        err: expect.objectContaining({ code: 'ERR_STREAM_WRITE_AFTER_END' }),
      }),
    ]);
  });

  it('logs res.err at error level when the response finishes and no handler read req.log', async () => {
    // Prepare: an error handler that hands the error to pino-http the documented way.
    server = await startServer({
      routes: (app) => {
        app.get('/broken', () => {
          throw new Error('the order store is down');
        });
        app.use(
          (
            err: Error,
            _req: unknown,
            res: { err?: unknown; status(code: number): { send(body: string): void } },
            _next: unknown,
          ) => {
            res.err = err;
            res.status(500).send('sorry');
          },
        );
      },
    });

    // Act
    await fetch(`${server.base}/broken`, { headers: { 'x-trace-id': 'broken-1' } }).then((r) =>
      r.text(),
    );
    await server.waitForEvents(1);

    // Assess: the stack-carrying app line the audit entry does not have.
    const errors = server.appLines().filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'request errored',
        traceId: 'broken-1',
        err: expect.objectContaining({ message: 'the order store is down' }),
      }),
    ]);
  });
});
