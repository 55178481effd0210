// Opt-in typing of `req.user` (issue #16): `import '@auditline/express/user'`.
// The middleware reads `req.user?.id` by default (SPEC §5.3), but Express's
// types have no `user`, so the README's `authenticate` example failed with
// TS2339. This file adds it the way @types/passport does, on the documented
// merge point `Express.User` / `Express.Request`, so the two merge cleanly
// (identical `user?: User | undefined`), and it stays opt-in: an app whose auth
// library already types `req.user` does not need it.

declare global {
  namespace Express {
    /** The authenticated user. `id` is what the audit middleware writes as `user_id` by default. */
    interface User {
      id?: string | number | undefined;
    }
    interface Request {
      /** Set by your authentication middleware; read by `auditMiddleware()` when the response finishes. */
      user?: User | undefined;
    }
  }
}

/**
 * The user type `import '@auditline/express/user'` adds to `req.user`; extend
 * `Express.User` to add your own fields.
 *
 * @example
 * ```ts
 * import type { RequestHandler } from 'express';
 * import '@auditline/express/user';
 *
 * const authenticate: RequestHandler = (req, _res, next) => {
 *   req.user = { id: 'u-7' }; // typechecks; becomes user_id
 *   next();
 * };
 * ```
 */
export type AuditUser = Express.User;
