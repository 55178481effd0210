import { getAuditContext } from './context.js';
import { type AuditLogger, createAuditLogger } from './logger.js';
import { resolveRequest } from './request-resolver.js';
import type { AuditEntry, AuditParams } from './schema.js';

let defaultLogger: AuditLogger | undefined;

/**
 * The process-wide default logger behind {@link logAudit}. Created on first
 * use from environment variables only, so importing auditline writes nothing.
 * One created this way closes itself: it writes `AUDIT_STOP` on normal exit,
 * on a crash and on SIGTERM/SIGINT (then lets the signal act as it would have),
 * so a stream it wrote to is never reported as cut short (SPEC §4.1, issue #16).
 *
 * @example
 * ```ts
 * getDefaultAuditLogger().stats().seq;
 * ```
 */
export function getDefaultAuditLogger(): AuditLogger {
  // handleSignals re-raises a signal the app does not handle, so the process ends
  // as it would have without us; it only adds the stop entry (SPEC §4.4).
  defaultLogger ??= createAuditLogger({ handleSignals: true });
  return defaultLogger;
}

/**
 * Makes `logger` the default behind {@link logAudit}, so a service that builds
 * its own logger (with plugins, a key, signal handling) keeps one instance and
 * one chain everywhere.
 *
 * @example
 * ```ts
 * setDefaultAuditLogger(createAuditLogger({ service: 'orders', handleSignals: true }));
 * ```
 */
export function setDefaultAuditLogger(logger: AuditLogger): void {
  defaultLogger = logger;
}

/**
 * Writes one audit entry: through the logger bound to the current request or
 * job context if there is one (SPEC §5.7), else through the default logger.
 * Context fields (traceId, user, ip, user agent, method, path) fill whatever
 * `params` leaves out; explicit params win. The guide's call works unchanged:
 * `userId` is the spelling of `user_id`, and `req` gives the entry that
 * request's context, as the middleware resolved it, even outside its async
 * scope (issue #12).
 *
 * @example
 * ```ts
 * import { logAudit, AUDIT_ACTIONS } from '@auditline/core';
 * logAudit({ action: AUDIT_ACTIONS.UPDATE, resource: `/users/${id}/roles`, status: 'SUCCESS',
 *   details: { added: ['admin'] } });
 * ```
 */
export function logAudit(params: AuditParams): AuditEntry {
  const bound = (requestLogger(params) ?? getAuditContext()?.logger) as AuditLogger | undefined;
  return (bound ?? getDefaultAuditLogger()).log(params);
}

/**
 * The logger bound to an explicit `req` (the guide's call, issue #12), so an
 * entry written outside the request's async scope still joins the request's
 * instance and chain.
 */
function requestLogger(params: AuditParams): unknown {
  let req: unknown;
  try {
    req = params.req;
  } catch {
    return undefined;
  }
  if (typeof req !== 'object' || req === null) return undefined;
  return resolveRequest(req)?.context.logger;
}
