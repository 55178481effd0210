import type { AuditEntry, AuditParams } from '@auditline/core';

/**
 * What the middleware adds to every Express request. `req.log` (the request's
 * pino child logger, carrying `traceId`) comes from pino-http's own typings.
 *
 * @example
 * ```ts
 * app.get('/orders/:id', (req, res) => {
 *   res.set('x-debug-trace', req.traceId);
 *   req.audit({ action: 'READ_PII', resource: `/orders/${req.params.id}`, status: 'SUCCESS' });
 *   res.json(order);
 * });
 * ```
 */
export interface AuditRequestFields {
  /**
   * Writes a manual audit entry carrying this request's traceId, user, ip,
   * user agent, method and path; explicit params win (SPEC §5.7).
   *
   * @example
   * ```ts
   * req.audit({ action: 'EXPORT_REPORT', resource: `/reports/${id}`, status: 'SUCCESS' });
   * ```
   */
  audit: (params: AuditParams) => AuditEntry;
  /** The request's accepted or generated trace id, also echoed as `x-trace-id` (SPEC §5.2). */
  traceId: string;
}

// `Express.Request` is the documented merge point of @types/express-serve-static-core
// (it is what @types/passport uses for `req.user`). Augmenting the module
// 'express-serve-static-core' by name would need that package resolvable from
// here, which pnpm does not give a package that only depends on @types/express.
declare global {
  namespace Express {
    interface Request extends AuditRequestFields {}
  }
}
