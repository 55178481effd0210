import { AUDIT_ACTIONS, AUDIT_STATUSES, logAudit } from '@auditline/core';
import { type Request, Router } from 'express';
import { bearerToken } from './auth.js';
import type { SessionStore } from './sessions.js';
import type { UserStore } from './users.js';

/** The login route; audited explicitly, so excluded from the middleware's automatic entry. */
export const LOGIN_PATH = '/api/login';
/** The logout route; audited explicitly, so excluded from the middleware's automatic entry. */
export const LOGOUT_PATH = '/api/logout';

/** Longest username, password or code read from a login body. */
const MAX_CREDENTIAL_LENGTH = 256;

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CREDENTIAL_LENGTH
    ? value
    : undefined;
}

function loginFailed(userId: string | undefined, reason: string, statusCode: number): void {
  // The submitted password and code are never logged; an unknown username is
  // not logged either, since users sometimes type their password into it.
  logAudit({
    action: AUDIT_ACTIONS.LOGIN,
    resource: LOGIN_PATH,
    status: AUDIT_STATUSES.FAILED,
    user_id: userId ?? 'anonymous',
    details: { reason, statusCode },
  });
}

/**
 * `POST /api/login` and `POST /api/logout`, each writing one explicit LOGIN or
 * LOGOUT entry through `logAudit()`. They run inside the request's audit
 * context, so traceId, ip, user agent, method and path are filled in (SPEC §5.7).
 *
 * @example
 * ```ts
 * app.use(authRoutes(users, sessions));
 * ```
 */
export function authRoutes(users: UserStore, sessions: SessionStore): Router {
  const router = Router();

  router.post(LOGIN_PATH, async (req: Request, res) => {
    const username = field(req.body, 'username');
    const password = field(req.body, 'password');
    if (username === undefined || password === undefined) {
      loginFailed(undefined, 'malformed_request', 400);
      res.status(400).json({ error: 'expected {"username", "password"[, "otp"]}' });
      return;
    }
    let result: Awaited<ReturnType<UserStore['verify']>>;
    try {
      result = await users.verify(username, password, field(req.body, 'otp'));
    } catch (error) {
      loginFailed(undefined, 'internal_error', 500);
      throw error;
    }
    if (!result.ok) {
      loginFailed(result.user?.id, result.reason, 401);
      const message =
        result.reason === 'mfa_required' ? 'one-time code required' : 'invalid credentials';
      res.status(401).json({ error: message });
      return;
    }
    const token = sessions.create(result.user.id);
    logAudit({
      action: AUDIT_ACTIONS.LOGIN,
      resource: LOGIN_PATH,
      status: AUDIT_STATUSES.SUCCESS,
      user_id: result.user.id,
      details: { statusCode: 200, mfa_used: result.mfaUsed },
    });
    res.json({ token, user: { id: result.user.id, role: result.user.role } });
  });

  router.post(LOGOUT_PATH, (req, res) => {
    const token = req.sessionToken ?? bearerToken(req);
    if (req.user === undefined || token === undefined) {
      logAudit({
        action: AUDIT_ACTIONS.LOGOUT,
        resource: LOGOUT_PATH,
        status: AUDIT_STATUSES.FAILED,
        details: { reason: 'no_session', statusCode: 401 },
      });
      res.status(401).json({ error: 'no session' });
      return;
    }
    sessions.end(token);
    // user_id comes from the request context: the auth middleware set req.user.
    logAudit({
      action: AUDIT_ACTIONS.LOGOUT,
      resource: LOGOUT_PATH,
      status: AUDIT_STATUSES.SUCCESS,
      details: { statusCode: 204 },
    });
    res.sendStatus(204);
  });

  return router;
}
