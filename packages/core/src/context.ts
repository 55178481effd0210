import { AsyncLocalStorage } from 'node:async_hooks';
import { WARNING_CODES } from './constants.js';

/**
 * What auditline knows about the unit of work in progress (SPEC §4.9).
 * `log()` fills `traceId`, `user_id`, `ip_address`, `user_agent`, `method`,
 * `route` and `path` from it when the caller leaves them out.
 *
 * @example
 * ```ts
 * const ctx: AuditContext = { traceId: id, userId: 'system:cron' };
 * runWithAuditContext(ctx, () => {
 *   logAudit({ action: 'EXPORT_REPORT', resource: '/reports/nightly', status: 'SUCCESS' });
 * });
 * ```
 */
export interface AuditContext {
  traceId?: string | undefined;
  /**
   * The active OpenTelemetry span's id (16 lowercase hex), written as `span_id`
   * on lines whose `traceId` is this context's `traceId` (SPEC §3).
   */
  spanId?: string | undefined;
  userId?: string | undefined;
  ip?: string | undefined;
  userAgent?: string | undefined;
  method?: string | undefined;
  /** The matched route template, mounts included (`/api/orders/:id`), once the router matched one. */
  readonly route?: string | undefined;
  path?: string | undefined;
  /**
   * The logger bound to this unit of work: `logAudit()` writes through it, so a
   * request audited by a middleware's logger keeps one `instance` and one chain.
   */
  logger?: ContextLogger | undefined;
  /**
   * True once the unit of work is over (the request's entry was written). A
   * callback that inherited an ended context (a pooled socket, a timer started
   * during the request) gets no request fields from it (SPEC §4.9).
   */
  readonly ended?: boolean | undefined;
  /**
   * Called by `log()` for each entry written inside this context, before the
   * line is built: the middleware uses it to claim the request (SPEC §5.7) and
   * returns extra `details` members that link the lines of one request.
   */
  onEntry?:
    | ((entry: ContextEntryInfo) => Readonly<Record<string, unknown>> | undefined)
    | undefined;
  /** Called with the entry's `seq` once its line is written (the claim's link, SPEC §5.7). */
  onEntryWritten?: ((seq: number) => void) | undefined;
}

/** What {@link AuditContext.onEntry} is told about an entry being written. */
export interface ContextEntryInfo {
  readonly action: string;
  readonly status: string;
  /** The `user_id` the caller passed, if any. */
  readonly userId: string | undefined;
}

/** The subset of a logger the context needs; kept structural to avoid an import cycle. */
export interface ContextLogger {
  log(params: never): unknown;
}

/**
 * State every copy of `@auditline/core` in the process shares. Two copies
 * (npm nests one when versions differ) would otherwise have two
 * AsyncLocalStorage instances, and `logAudit()` from one copy would not see a
 * request context set by the other (issue #11). `Symbol.for` is the
 * cross-copy registry; the `v1` suffix lets a future layout coexist.
 */
interface SharedContextRegistry {
  readonly storage: AsyncLocalStorage<AuditContext>;
  /** Request object → the context the middleware resolved for it (the guide's `req` param). */
  readonly requests: WeakMap<object, AuditContext>;
  copies: number;
}

const REGISTRY_KEY = Symbol.for('auditline.core.context.v1');

function sharedRegistry(): SharedContextRegistry {
  const holder = globalThis as { [REGISTRY_KEY]?: SharedContextRegistry };
  const existing = holder[REGISTRY_KEY];
  if (existing !== undefined) {
    existing.copies++;
    if (existing.copies === 2) {
      // Once per process, not once per extra copy: the fix is the same.
      process.emitWarning(
        'auditline: a second copy of @auditline/core was loaded (two versions in node_modules). The copies share the request context, but each has its own default logger. Fix: dedupe to one @auditline/core (npm dedupe, or align the versions that @auditline/express, emf and infra accept as a peer).',
        { code: WARNING_CODES.duplicateCore },
      );
    }
    return existing;
  }
  const created: SharedContextRegistry = {
    storage: new AsyncLocalStorage<AuditContext>(),
    requests: new WeakMap(),
    copies: 1,
  };
  Object.defineProperty(holder, REGISTRY_KEY, { value: created, enumerable: false });
  return created;
}

const registry = sharedRegistry();
const storage = registry.storage;

/**
 * Runs `fn` with an audit context, so `logAudit()` anywhere inside it (across
 * awaits, timers and promises) carries the context's fields. Use it for jobs and
 * queue consumers; the Express middleware does it for requests.
 *
 * @example
 * ```ts
 * async function onMessage(msg: { id: string; customer: string }): Promise<void> {
 *   await runWithAuditContext({ traceId: msg.id, userId: 'system:billing' }, async () => {
 *     // … charge the customer, then record it with the job's context:
 *     logAudit({ action: 'CHARGE', resource: `/customers/${msg.customer}`, status: 'SUCCESS' });
 *   });
 * }
 * ```
 */
export function runWithAuditContext<T>(context: AuditContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The current audit context, or `undefined` outside one. The object is live:
 * middleware may set `userId` on it once authentication has run.
 *
 * @example
 * ```ts
 * function onAuthenticated(user: { id: string }): void {
 *   const ctx = getAuditContext();
 *   if (ctx) ctx.userId = user.id;
 * }
 * ```
 */
export function getAuditContext(): AuditContext | undefined {
  return storage.getStore();
}

/**
 * The key of a request's audit context on the request object itself, the same
 * symbol in every copy of core (`Symbol.for`), so copies share it (issue #11).
 * An own property of that one request rather than a WeakMap entry: V8's
 * young-generation GC keeps every WeakMap key alive until a full GC, so a
 * WeakMap keyed by requests had every request (its response, state and
 * buffers) promoted to the old generation. Measured on Node 24 in an
 * in-process request loop: scavenges of 25–165 ms promoting ~15 MB each, and
 * about 9 µs of GC per request between this map and a Set of the same states
 * (issue #15).
 */
const REQUEST_CONTEXT = Symbol.for('auditline.core.request-context.v1');

type ContextHolder = { [REQUEST_CONTEXT]?: AuditContext };

/**
 * Binds a request object to its audit context, so `log({ …, req })` takes that
 * request's fields even outside the AsyncLocalStorage scope (SPEC §4.1). The
 * middleware calls it. The context is a non-enumerable symbol property of the
 * request (never of a prototype), so nothing outlives the request and spreads
 * or `Object.keys` of the request do not show it; a frozen object falls back to
 * the shared WeakMap.
 *
 * @example
 * ```ts
 * const ctx: AuditContext = { traceId: 't-1', userId: 'u-7' };
 * bindRequestContext(req, ctx);
 * requestContextOf(req) === ctx; // true
 * ```
 */
export function bindRequestContext(req: object, context: AuditContext): void {
  const holder = req as ContextHolder;
  if (Object.hasOwn(holder, REQUEST_CONTEXT)) {
    holder[REQUEST_CONTEXT] = context;
  } else if (Object.isExtensible(holder)) {
    Object.defineProperty(holder, REQUEST_CONTEXT, {
      value: context,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  } else {
    registry.requests.set(req, context);
  }
}

/**
 * The audit context a middleware bound to `req`, if any.
 *
 * @example
 * ```ts
 * const traceId = requestContextOf(req)?.traceId;
 * ```
 */
export function requestContextOf(req: object): AuditContext | undefined {
  return Object.hasOwn(req, REQUEST_CONTEXT)
    ? (req as ContextHolder)[REQUEST_CONTEXT]
    : registry.requests.get(req);
}
