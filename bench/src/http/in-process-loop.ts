// The middleware's own per-request CPU, without sockets (issue #15): real
// node:http IncomingMessage/ServerResponse objects on a socket stand-in whose
// writes complete at once, through a real Express 5 app, ten requests in
// flight. No syscalls and no client share the CPU, so the figure moves far
// less with the machine's load than the autocannon driver's, and a
// `--cpu-prof` or `--trace-gc` of it shows only JavaScript and GC. It is a
// diagnostic, not a target: the targets are the http driver's ratios.
//
//   node dist/http/in-process-loop.js audit 100000
//   node --trace-gc dist/http/in-process-loop.js audit 50000
//
// Variants: bare, noop (bare plus one middleware that only calls next), audit (auditMiddleware with a destination that drops every
// line), pino-http (pinoHttp() defaults to /dev/null), naive (the naive
// middleware's work minus its write).
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import express, { type RequestHandler } from 'express';
import { BENCH_SERVICE } from '../entry.js';
import { REQUEST_HEADERS, ROUTE_PATH } from './variants.js';

/** Requests in flight at once, as the http driver's autocannon connections. */
const IN_FLIGHT = 10;
const WARM_UP_REQUESTS = 20_000;

/** The naive variant's last line, kept so its stringify is not optimised away. */
let naiveLine = '';

async function middlewareFor(variant: string): Promise<RequestHandler | undefined> {
  if (variant === 'bare') return undefined;
  // Express's own price of one more middleware layer (the router matches it,
  // then calls next): the floor any middleware, auditline's included, starts from.
  if (variant === 'noop') return (_req, _res, next) => next();
  if (variant === 'audit') {
    const { createAuditLogger } = await import('@auditline/core');
    const { auditMiddleware } = await import('@auditline/express');
    const logger = createAuditLogger({
      service: BENCH_SERVICE,
      format: 'json',
      destination: { write: () => true },
    });
    return auditMiddleware({ logger });
  }
  if (variant === 'pino-http') {
    const { pinoHttp } = await import('pino-http');
    const { pino } = await import('pino');
    return pinoHttp({ logger: pino(pino.destination({ dest: '/dev/null', sync: false })) });
  }
  if (variant === 'naive') {
    return (req, res, next) => {
      const start = performance.now();
      const traceId = (req.headers['x-trace-id'] as string | undefined) ?? randomUUID();
      res.on('finish', () => {
        naiveLine = JSON.stringify({
          audit: true,
          traceId,
          timestamp: new Date().toISOString(),
          action: req.method === 'GET' ? 'READ' : req.method,
          resource: req.originalUrl,
          status: res.statusCode >= 400 ? 'FAILED' : 'SUCCESS',
          details: { statusCode: res.statusCode, duration_ms: performance.now() - start },
        });
      });
      next();
    };
  }
  throw new Error(`unknown variant ${variant} (bare, noop, audit, pino-http, naive)`);
}

function socketStandIn(): Socket {
  const socket = new Duplex({
    write(_chunk, _encoding, done) {
      done();
    },
    writev(_chunks, done) {
      done();
    },
    read() {},
  }) as unknown as Socket & { remoteAddress: string; remotePort: number };
  Object.assign(socket, { remoteAddress: '127.0.0.1', remotePort: 40_000, encrypted: false });
  return socket;
}

const headers = { host: '127.0.0.1', ...REQUEST_HEADERS };
const rawHeaders = Object.entries(headers).flat();

function oneRequest(app: express.Express, socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const req = new IncomingMessage(socket);
    Object.assign(req, {
      method: 'GET',
      url: ROUTE_PATH,
      httpVersion: '1.1',
      httpVersionMajor: 1,
      httpVersionMinor: 1,
      headers: { ...headers },
      rawHeaders,
      complete: true,
    });
    req.push(null);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = true;
    res.assignSocket(socket);
    res.on('finish', () => {
      res.detachSocket(socket);
      resolve();
    });
    app(req, res);
  });
}

async function run(app: express.Express, sockets: Socket[], total: number): Promise<void> {
  const each = Math.ceil(total / sockets.length);
  await Promise.all(
    sockets.map(async (socket) => {
      for (let i = 0; i < each; i++) await oneRequest(app, socket);
    }),
  );
}

const variant = process.argv[2] ?? 'audit';
const requests = Number(process.argv[3] ?? 100_000);
const app = express();
const middleware = await middlewareFor(variant);
if (middleware) app.use(middleware);
app.get('/orders/:id', (req, res) => {
  res.json({ id: req.params.id, status: 'CONFIRMED', items: 3, total: 149.99, currency: 'EUR' });
});
const sockets = Array.from({ length: IN_FLIGHT }, socketStandIn);
await run(app, sockets, WARM_UP_REQUESTS);
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
await run(app, sockets, requests);
const cpu = process.cpuUsage(cpuBefore);
const wallMs = performance.now() - wallBefore;
console.log(
  `${variant} on Node ${process.versions.node}: ${((cpu.user + cpu.system) / requests).toFixed(2)} µs CPU/req, ${((wallMs * 1000) / requests).toFixed(2)} µs wall/req over ${requests} requests${naiveLine === '' ? '' : ` (naive line ${naiveLine.length} B)`}`,
);
