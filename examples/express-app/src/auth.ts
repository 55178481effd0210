import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SessionStore } from './sessions.js';
import type { Role, User, UserStore } from './users.js';

declare global {
  namespace Express {
    interface Request {
      /** Set by {@link authenticate}; `@auditline/express` reads `req.user.id` at finish (SPEC §5.3). */
      user?: User;
      /** The bearer token the user was authenticated with, for logout. */
      sessionToken?: string;
    }
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{1,128})$/;

/** The bearer token of a request, if it has a well-formed one. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  return BEARER.exec(header)?.[1];
}

/**
 * Resolves `Authorization: Bearer <token>` to `req.user`. Mounted AFTER the
 * audit middleware on purpose: the audit entry still gets the user, because
 * `@auditline/express` resolves `user_id` when the response finishes (SPEC §5.3).
 *
 * @example
 * ```ts
 * app.use(auditMiddleware({ logger: audit }));
 * app.use(authenticate(sessions, users));
 * ```
 */
export function authenticate(sessions: SessionStore, users: UserStore): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req);
    const userId = token === undefined ? undefined : sessions.userOf(token);
    const user = userId === undefined ? undefined : users.byId(userId);
    if (user !== undefined) {
      req.user = user;
      req.sessionToken = token;
    }
    next();
  };
}

/**
 * 401 without a session. The audit middleware turns it into `ACCESS_DENIED`
 * with `details.attempted_action` (SPEC §5.5): no audit code here.
 *
 * @example
 * ```ts
 * app.get('/api/orders/:id', requireUser, readOrder);
 * ```
 */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.user === undefined) {
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'authentication required' });
    return;
  }
  next();
}

/**
 * 403 unless the user has `role`; audited as `ACCESS_DENIED` by the middleware (SPEC §5.5).
 *
 * @example
 * ```ts
 * app.delete('/api/orders/:id', requireUser, requireRole('admin'), deleteOrder);
 * ```
 */
export function requireRole(role: Role): RequestHandler {
  return (req, res, next) => {
    if (req.user?.role !== role) {
      res.status(403).json({ error: `${role} role required` });
      return;
    }
    next();
  };
}
