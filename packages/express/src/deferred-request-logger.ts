import type { IncomingMessage } from 'node:http';

/**
 * Builds `req.log` for one request (pino-http's middleware, called without
 * `next`); one function per middleware, never per request.
 */
export type RequestLoggerBuilder = (req: IncomingMessage) => void;

/** The builder a request's `req.log` is waiting for, under a symbol private to this copy. */
const PENDING = Symbol('auditline.pending-request-logger');

type DeferringRequest = IncomingMessage & {
  [PENDING]?: RequestLoggerBuilder | undefined;
  log?: unknown;
};

/**
 * `req.log` on first read: pino-http builds the request's child logger now
 * (its own `if (!req.log)` reads `undefined` here while it builds), and its
 * assignment lands in {@link writeLog}, which turns `log` into a plain data
 * property. A read after a failed build gets `undefined`, as before pino-http ran.
 */
function readLog(this: DeferringRequest): unknown {
  const build = this[PENDING];
  if (build === undefined) return undefined;
  this[PENDING] = undefined;
  build(this);
  return this.log;
}

function writeLog(this: DeferringRequest, value: unknown): void {
  this[PENDING] = undefined;
  Object.defineProperty(this, 'log', {
    value,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}

/** One descriptor for every request, so every deferred request shares one hidden class. */
const DEFERRED_LOG: PropertyDescriptor = Object.freeze({
  get: readLog,
  set: writeLog,
  configurable: true,
  enumerable: true,
});

/**
 * Defers pino-http's per-request work until `req.log` is first read (issue
 * #15): most handlers never read it, and building it per request (a child
 * logger, two arrays, three listeners, then pino-http's completion hook at a
 * level that is off) was the largest single cost of the middleware on Node 20.
 * Only used when the completion line's level (`debug`) is off; the trace-id
 * binding is unchanged, since the child logger is still pino-http's, built
 * with this middleware's options. An own accessor of this request only, never
 * of a prototype (issue #11); `req.log = x` replaces it with a plain value.
 */
export function deferRequestLogger(req: IncomingMessage, build: RequestLoggerBuilder): void {
  (req as DeferringRequest)[PENDING] = build;
  Object.defineProperty(req, 'log', DEFERRED_LOG);
}

/** Whether `req.log` is still waiting to be built. */
export function requestLoggerPending(req: IncomingMessage): boolean {
  return (req as DeferringRequest)[PENDING] !== undefined;
}
