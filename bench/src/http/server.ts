import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { BENCH_SERVICE } from '../entry.js';
import type { ParentMessage, ServerMessage } from './variants.js';

function send(message: ServerMessage): void {
  process.send?.(message);
}

/** The middleware under test, or a reason to skip. */
async function middlewareFor(variant: string): Promise<RequestHandler | string | undefined> {
  if (variant === 'bare') return undefined;
  if (variant === 'pino-http') {
    const { pinoHttp } = await import('pino-http');
    // Defaults: pino() to stdout, every request and response serialised in full.
    return pinoHttp() as unknown as RequestHandler;
  }
  if (variant === 'pino-http-floor') {
    const { pinoHttp } = await import('pino-http');
    const { pino } = await import('pino');
    const { randomUUID } = await import('node:crypto');
    // Mirrors packages/express/src/middleware.ts's pinoHttp options, minus the audit hooks.
    return pinoHttp({
      logger: pino(),
      genReqId: (_req, res) => {
        const id = randomUUID();
        res.setHeader('x-trace-id', id);
        return id;
      },
      customAttributeKeys: { req: 'traceId' },
      wrapSerializers: false,
      serializers: { traceId: (req: { id?: unknown }) => req.id },
      customLogLevel: () => 'debug',
    }) as unknown as RequestHandler;
  }
  if (variant === 'naive') {
    const { randomUUID } = await import('node:crypto');
    // The hand-rolled middleware SPEC §1 describes, as the guide writes it: 12 fields,
    // JSON.stringify and process.stdout.write on finish (issue #15). None of auditline's
    // guarantees: a trusted x-forwarded-for, the raw query string, an async write to a pipe.
    return (req, res, next) => {
      const start = performance.now();
      const traceId = (req.headers['x-trace-id'] as string | undefined) ?? randomUUID();
      res.on('finish', () => {
        const entry = {
          audit: true,
          traceId,
          timestamp: new Date().toISOString(),
          user_id: 'anonymous',
          action: req.method === 'GET' ? 'READ' : req.method,
          resource: req.originalUrl,
          status: res.statusCode >= 400 ? 'FAILED' : 'SUCCESS',
          method: req.method,
          path: req.originalUrl,
          ip_address:
            (req.headers['x-forwarded-for'] as string | undefined) ?? req.socket.remoteAddress,
          user_agent: req.headers['user-agent'],
          details: { statusCode: res.statusCode, duration_ms: performance.now() - start },
        };
        process.stdout.write(`${JSON.stringify(entry)}\n`);
      });
      next();
    };
  }
  if (variant === 'floor-write') {
    const { writeSync } = await import('node:fs');
    // One prebuilt line of auditline's size per request, written like auditline writes it:
    // the price of one write(2) to a pipe per request, with nothing built (issue #15).
    const line = `${JSON.stringify({ audit: true, pad: 'x'.repeat(560) })}\n`;
    return (_req, res, next) => {
      res.on('finish', () => writeSync(1, line));
      next();
    };
  }
  if (variant === 'bare-als') {
    const { runWithAuditContext } = await import('@auditline/core');
    return (req, _res, next) => runWithAuditContext({ method: req.method }, () => next());
  }
  if (variant === 'audit' || variant === 'audit-null') {
    const { createAuditLogger } = await import('@auditline/core');
    // @auditline/express is written in parallel (issue #3); skip until it exports auditMiddleware().
    const mod = (await import('@auditline/express')) as unknown as Record<string, unknown>;
    const auditMiddleware = mod.auditMiddleware;
    if (typeof auditMiddleware !== 'function') {
      return '@auditline/express does not export auditMiddleware() yet';
    }
    const logger = createAuditLogger({
      service: BENCH_SERVICE,
      format: 'json',
      ...(variant === 'audit-null' ? { destination: { write: () => true } } : {}),
    });
    return (auditMiddleware as (options: unknown) => RequestHandler)({ logger });
  }
  return `unknown variant ${variant}`;
}

const variant = process.argv[2] ?? 'bare';
const middleware = await middlewareFor(variant);
if (typeof middleware === 'string') {
  send({ type: 'skip', reason: middleware });
  process.disconnect?.();
} else {
  const app = express();
  if (middleware) app.use(middleware);
  app.get('/orders/:id', (req, res) => {
    res.json({ id: req.params.id, status: 'CONFIRMED', items: 3, total: 149.99, currency: 'EUR' });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    send({ type: 'ready', port: (server.address() as AddressInfo).port });
  });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', user: usage.user, system: usage.system, rss: process.memoryUsage.rss() });
    } else if (message.type === 'stop') {
      server.closeAllConnections();
      server.close();
      process.disconnect?.();
    }
  });
}
