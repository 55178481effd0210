import { IncomingMessage, ServerResponse } from 'node:http';
import { type AuditEntry, type AuditParams, runWithAuditContext } from '@auditline/core';
import { startTime } from 'pino-http';
import type { RequestAuditContext, RequestSlots } from './request-context.js';

/**
 * Each request's audit context; also marks a request already being audited.
 * A WeakMap rather than a symbol property: see REQUEST_FIELDS for why adding
 * any own property to an Express request is expensive.
 */
const contexts = new WeakMap<object, RequestAuditContext>();

/** The audit context of a request, if the middleware has seen it. */
export function contextOf(req: object | undefined): RequestAuditContext | undefined {
  return req === undefined ? undefined : contexts.get(req);
}

function ownValue(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}

function auditWith(ctx: RequestAuditContext): (params: AuditParams) => AuditEntry {
  // Explicit params win over the context: core only fills what params leave out (SPEC §5.7).
  return (params) => runWithAuditContext(ctx, () => ctx.logger.log(params));
}

/**
 * An accessor that keeps a per-request value in the request's slots. Outside an
 * audited request (no context yet), assigning makes an ordinary own property.
 */
function slot(
  key: PropertyKey,
  name: keyof RequestSlots,
  contextFor: (self: object) => RequestAuditContext | undefined,
): PropertyDescriptor {
  return {
    configurable: true,
    get(this: object) {
      return contextFor(this)?.slots[name];
    },
    set(this: object, value: unknown) {
      const ctx = contextFor(this);
      if (ctx === undefined) ownValue(this, key, value);
      else ctx.slots[name] = value;
    },
  };
}

const ofRequest = (self: object): RequestAuditContext | undefined => contextOf(self);
// Express sets `res.req` before any middleware runs.
const ofResponse = (self: object): RequestAuditContext | undefined =>
  contextOf((self as { req?: object }).req);

/**
 * Express calls `Object.setPrototypeOf(req, app.request)` on every request.
 * After that, V8 no longer shares hidden classes between requests: adding the
 * same property to two requests gives two maps (checked with %HaveSameMap), so
 * every own property added per request allocates a new map. Measured over HTTP
 * on the dev machine (2 shared cores, noisy): ten such properties added
 * 20–60 µs of CPU per request. So the
 * fields this package adds (`traceId`, `audit`) and those pino-http adds
 * (`id`, `log`, `allLogs`, `res[startTime]`) are accessors, defined once on
 * Express's request/response prototypes, reading the request's context. On a
 * request this middleware has not seen they read `undefined`, and assigning
 * any of them makes an ordinary own property, as before.
 */
const REQUEST_FIELDS: PropertyDescriptorMap = {
  traceId: {
    configurable: true,
    get(this: object) {
      return contextOf(this)?.traceId;
    },
    set(this: object, value: unknown) {
      ownValue(this, 'traceId', value);
    },
  },
  audit: {
    configurable: true,
    get(this: object) {
      const ctx = contextOf(this);
      return ctx === undefined ? undefined : auditWith(ctx);
    },
    set(this: object, value: unknown) {
      ownValue(this, 'audit', value);
    },
  },
  id: slot('id', 'id', ofRequest),
  log: slot('log', 'reqLog', ofRequest),
  allLogs: slot('allLogs', 'reqAllLogs', ofRequest),
};

const RESPONSE_FIELDS: PropertyDescriptorMap = {
  log: slot('log', 'resLog', ofResponse),
  allLogs: slot('allLogs', 'resAllLogs', ofResponse),
  [startTime]: slot(startTime, 'startTime', ofResponse),
};

const prepared = new WeakSet<object>();

/**
 * The prototype Express puts right above Node's class: `express.request` /
 * `express.response`, shared by every app of this Express copy. Each app's
 * `app.request` inherits from it, and so does a mounted sub-app's, which
 * Express swaps in while the sub-app runs: fields defined on one app's
 * prototype would vanish inside a sub-app. Undefined when there is none (plain
 * node:http, mocks, plain objects): then nothing shared is touched.
 */
function expressBase(proto: object | null, nodeProto: object): object | undefined {
  let current = proto;
  while (current !== null && current !== nodeProto) {
    const parent: object | null = Object.getPrototypeOf(current);
    if (parent === nodeProto) return current;
    current = parent;
  }
  return undefined;
}

/** Defines `fields` once on the Express base prototype above `proto`; false when there is none. */
function prepare(proto: object | null, nodeProto: object, fields: PropertyDescriptorMap): boolean {
  const base = expressBase(proto, nodeProto);
  if (base === undefined) return false;
  if (!prepared.has(base)) {
    if (!Object.isExtensible(base)) return false;
    prepared.add(base);
    Object.defineProperties(base, fields);
  }
  return true;
}

/**
 * pino-http also stores the request on the response under a symbol it does not
 * export (`Symbol('reqObject')`, pino-http 11 logger.js). That one own property
 * per response cost about 2.7 µs per request in a profile (issue 6), so once
 * the first response shows the symbol, it joins the accessors above. If a
 * pino-http version names it differently, nothing is found and nothing changes.
 */
const PINO_HTTP_REQUEST_SYMBOL = 'reqObject';
let requestSymbolAdopted = false;

/** After pino-http ran on `res` once: moves its request symbol onto the accessors. */
export function adoptPinoHttpSymbols(res: object): void {
  if (requestSymbolAdopted) return;
  requestSymbolAdopted = true;
  const symbol = Object.getOwnPropertySymbols(res).find(
    (s) => s.description === PINO_HTTP_REQUEST_SYMBOL,
  );
  if (symbol === undefined) return;
  const base = expressBase(Object.getPrototypeOf(res), ServerResponse.prototype);
  if (base === undefined || Object.hasOwn(base, symbol) || !Object.isExtensible(base)) return;
  Object.defineProperty(base, symbol, slot(symbol, 'reqObject', ofResponse));
}

let lastRequestPrototype: object | null = null;
let lastResponsePrototype: object | null = null;

/** Binds `ctx` to `req` and makes the accessors above available. */
export function attachContext(req: object, res: object, ctx: RequestAuditContext): void {
  contexts.set(req, ctx);
  const reqProto: object | null = Object.getPrototypeOf(req);
  if (reqProto !== lastRequestPrototype || reqProto === null) {
    if (prepare(reqProto, IncomingMessage.prototype, REQUEST_FIELDS)) {
      lastRequestPrototype = reqProto;
    } else {
      // No Express prototype: only our own two fields, as own accessors.
      Object.defineProperties(req, {
        traceId: REQUEST_FIELDS.traceId,
        audit: REQUEST_FIELDS.audit,
      } as PropertyDescriptorMap);
    }
  }
  const resProto: object | null = Object.getPrototypeOf(res);
  if (
    resProto !== lastResponsePrototype &&
    prepare(resProto, ServerResponse.prototype, RESPONSE_FIELDS)
  ) {
    lastResponsePrototype = resProto;
  }
}
