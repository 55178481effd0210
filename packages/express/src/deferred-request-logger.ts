import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Builds `req.log` for one request (pino-http's middleware, called without
 * `next`); one function per middleware, never per request.
 */
export type RequestLoggerBuilder = (req: IncomingMessage) => void;

/** What a deferred request still waits for: read through its request and its response. */
interface PendingLogger {
  readonly req: IncomingMessage;
  /** The response of `req`: a `res.req` that leads to another request's record is not this one's. */
  readonly res: ServerResponse;
  readonly build: RequestLoggerBuilder;
}

/**
 * The request a response answers when `res.req` does not lead to its pending
 * record (another middleware replaced `res.req`): the middleware's own lookup.
 */
export type RequestOfResponse = (res: ServerResponse) => IncomingMessage | undefined;

/** Where a request keeps its {@link PendingLogger}: a symbol private to this copy. */
const PENDING = Symbol('auditline.pending-request-logger');

type Deferring = { [PENDING]?: PendingLogger | undefined };

/**
 * The request that holds a deferred object's pending logger: the request
 * itself, or the one a response answers (`res.req`, set by Node on every
 * ServerResponse). Only the request carries it: on Node 20 each property added
 * to a response after Express re-prototypes it costs about 1.7 µs (issue #15).
 */
type HolderOf = (target: object) => Deferring | undefined;
const requestItself: HolderOf = (req) => req as Deferring;

/**
 * The request holding `res`'s pending record: `res.req`, unless another
 * middleware replaced it (with a wrapper object or another request), when
 * `fallback` finds it; without that `res.log` read `undefined` (issue #15 attack).
 */
function pendingHolderOf(res: ServerResponse, fallback: RequestOfResponse): Deferring | undefined {
  const req = (res as { req?: Deferring | null }).req;
  if (typeof req === 'object' && req !== null && req[PENDING]?.res === res) return req;
  return fallback(res) as Deferring | undefined;
}

/**
 * The properties pino-http sets on every request and response (pino-http 11
 * `logger.js`): code written for pino-http reads any of them first, `res.log`
 * as often as `req.log`, so each one builds the logger on first read.
 */
const DEFERRED_KEYS = ['log', 'allLogs'] as const;

/** Runs pino-http for this request now, once; its assignments turn the accessors into data. */
function buildNow(holder: Deferring | undefined): void {
  const pending = holder?.[PENDING];
  if (pending === undefined) return;
  (pending.req as Deferring)[PENDING] = undefined;
  pending.build(pending.req);
}

/**
 * One accessor per key, shared by every request and response, so deferred
 * objects share one hidden class. A read builds pino-http's logger (its own
 * `if (!req.log)` reads `undefined` here while it builds) and returns what it
 * assigned; an assignment, by pino-http or by the app, replaces the accessor
 * with a plain data property. A read after a failed build gets `undefined`,
 * as before pino-http ran.
 */
function deferredDescriptor(
  key: (typeof DEFERRED_KEYS)[number],
  holderOf: HolderOf,
): PropertyDescriptor {
  return Object.freeze({
    get(this: object): unknown {
      buildNow(holderOf(this));
      const own = Object.getOwnPropertyDescriptor(this, key);
      return own !== undefined && 'value' in own ? own.value : undefined;
    },
    set(this: object, value: unknown): void {
      Object.defineProperty(this, key, {
        value,
        writable: true,
        configurable: true,
        enumerable: true,
      });
    },
    configurable: true,
    enumerable: true,
  });
}

type Descriptors = readonly (readonly [string, PropertyDescriptor])[];
const REQUEST_DESCRIPTORS: Descriptors = DEFERRED_KEYS.map(
  (key) => [key, deferredDescriptor(key, requestItself)] as const,
);

function deferOn(target: object, descriptors: Descriptors): void {
  for (const [key, descriptor] of descriptors) {
    if (!Object.hasOwn(target, key)) Object.defineProperty(target, key, descriptor);
  }
}

/**
 * Defers pino-http's per-request work until `req.log`, `res.log` or their
 * `allLogs` is first read (issue #15): most handlers never read them, and
 * building them per request (a child logger, two arrays, three listeners, then
 * pino-http's completion hook at a level that is off) was the largest single
 * cost of the middleware on Node 20. Only used when the completion line's level
 * (`debug`) is off; the trace-id binding is unchanged, since the child logger is
 * still pino-http's, built with this middleware's options. Own accessors of
 * this request and response only, never of a prototype (issue #11), and never
 * over a property another middleware set.
 */
export interface RequestLoggerDeferral {
  /** Defers pino-http for this request and response. */
  defer(req: IncomingMessage, res: ServerResponse, build: RequestLoggerBuilder): void;
  /** The request whose logger is still pending for `res`, if any. */
  pendingRequestOf(res: ServerResponse): IncomingMessage | undefined;
}

/**
 * One per middleware: the response accessors, shared by every response of
 * the middleware, find the request through `res.req` or, when another
 * middleware replaced it, through `requestOf`.
 */
export function createRequestLoggerDeferral(requestOf: RequestOfResponse): RequestLoggerDeferral {
  const holderOf: HolderOf = (res) => pendingHolderOf(res as ServerResponse, requestOf);
  const responseDescriptors: Descriptors = DEFERRED_KEYS.map(
    (key) => [key, deferredDescriptor(key, holderOf)] as const,
  );
  return {
    defer(req, res, build): void {
      (req as Deferring)[PENDING] = { req, res, build };
      deferOn(req, REQUEST_DESCRIPTORS);
      deferOn(res, responseDescriptors);
    },
    pendingRequestOf(res): IncomingMessage | undefined {
      const holder = pendingHolderOf(res, requestOf);
      return holder?.[PENDING] === undefined ? undefined : (holder as IncomingMessage);
    },
  };
}

/** Whether pino-http has not yet run for this request. */
export function requestLoggerPending(req: IncomingMessage): boolean {
  return (req as Deferring)[PENDING] !== undefined;
}

/** Runs pino-http for this request now if it has not run yet. */
export function buildDeferredRequestLogger(req: IncomingMessage): void {
  buildNow(req as Deferring);
}
