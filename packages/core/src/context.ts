import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What auditline knows about the unit of work in progress (SPEC §4.9).
 * `log()` fills `traceId`, `user_id`, `ip_address`, `user_agent`, `method` and
 * `path` from it when the caller leaves them out.
 *
 * @example
 * ```ts
 * const ctx: AuditContext = { traceId: job.id, userId: 'system:cron' };
 * await runWithAuditContext(ctx, () => runJob(job));
 * ```
 */
export interface AuditContext {
  traceId?: string | undefined;
  userId?: string | undefined;
  ip?: string | undefined;
  userAgent?: string | undefined;
  method?: string | undefined;
  path?: string | undefined;
  /**
   * The logger bound to this unit of work: `logAudit()` writes through it, so a
   * request audited by a middleware's logger keeps one `instance` and one chain.
   */
  logger?: ContextLogger | undefined;
}

/** The subset of a logger the context needs; kept structural to avoid an import cycle. */
export interface ContextLogger {
  log(params: never): unknown;
}

const storage = new AsyncLocalStorage<AuditContext>();

/**
 * Runs `fn` with an audit context, so `logAudit()` anywhere inside it (across
 * awaits, timers and promises) carries the context's fields. Use it for jobs and
 * queue consumers; the Express middleware does it for requests.
 *
 * @example
 * ```ts
 * await runWithAuditContext({ traceId: msg.id, userId: 'system:billing' }, async () => {
 *   await chargeCustomer(msg);
 *   logAudit({ action: 'CHARGE', resource: `/customers/${msg.customer}`, status: 'SUCCESS' });
 * });
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
 * const ctx = getAuditContext();
 * if (ctx) ctx.userId = user.id;
 * ```
 */
export function getAuditContext(): AuditContext | undefined {
  return storage.getStore();
}
