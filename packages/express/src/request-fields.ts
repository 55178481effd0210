import { IncomingMessage } from 'node:http';
import { type AuditEntry, type AuditParams, runWithAuditContext } from '@auditline/core';
import type { RequestAuditContext } from './request-context.js';

/** Where a request's audit context lives; also marks a request already being audited. */
const CONTEXT = Symbol('auditline.requestContext');
type WithContext = { [CONTEXT]?: RequestAuditContext };

/** The audit context of a request, if the middleware has seen it. */
export function contextOf(req: object): RequestAuditContext | undefined {
  return (req as WithContext)[CONTEXT];
}

function ownValue(target: object, key: string, value: unknown): void {
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
 * `req.traceId` and `req.audit` as accessors that read the request's context.
 * Express requests never share a hidden class (measured with V8's
 * %HaveSameMap), so every own property added per request allocates a new map;
 * accessors defined once on the app's request prototype cost nothing per
 * request. Assigning either property still works: it becomes an own value.
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
};

const prepared = new WeakSet<object>();
let lastPrototype: object | null = null;

/**
 * Binds `ctx` to `req` and makes `req.traceId` / `req.audit` available. The
 * accessors go on the request's prototype (Express's per-app `app.request`),
 * never on Node's shared `IncomingMessage.prototype`: without Express, they
 * go on the request itself.
 */
export function attachContext(req: object, ctx: RequestAuditContext): void {
  (req as WithContext)[CONTEXT] = ctx;
  const proto: object | null = Object.getPrototypeOf(req);
  if (proto === lastPrototype && proto !== null) return;
  if (proto === null || proto === IncomingMessage.prototype || !Object.isExtensible(proto)) {
    Object.defineProperties(req, REQUEST_FIELDS);
    return;
  }
  lastPrototype = proto;
  if (prepared.has(proto)) return;
  prepared.add(proto);
  Object.defineProperties(proto, REQUEST_FIELDS);
}
