import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// issue #12, "What must show it": the guide's app.ts (login with MFA detail, a
// failed login, an admin-only delete, health) with only its imports changed.
// The guide's audit module is replaced by these two imports, nothing else:
import { AUDIT_ACTIONS, createAuditLogger, logAudit, setDefaultAuditLogger } from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { auditMiddleware } from '@auditline/express';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const COOKIE_CANARY = 'CANARY-COOKIE-g1';
const AUTH_CANARY = 'CANARY-AUTH-g2';
const BODY_CANARY = 'CANARY-BODY-g3';

// ---- the guide's app.ts, unchanged below this line (apart from the imports above) ----
interface User {
  id: string;
  email: string;
  password: string;
  role: 'admin' | 'user';
  mfaEnabled: boolean;
}
const users: User[] = [
  { id: 'u-100', email: 'ana@example.com', password: BODY_CANARY, role: 'admin', mfaEnabled: true },
  { id: 'u-200', email: 'bo@example.com', password: 'bo-pass', role: 'user', mfaEnabled: false },
];
const sessions = new Map<string, User>([[AUTH_CANARY, users[0] as User]]);

function buildApp() {
  const app = express();
  app.use(express.json());
  app.use(auditMiddleware({ excludePaths: ['/health'] }));

  const authenticate = (req: Request, _res: Response, next: NextFunction) => {
    const token = req.headers.authorization?.replace('Bearer ', '');
    const user = token ? sessions.get(token) : undefined;
    if (user) (req as Request & { user?: User }).user = user;
    next();
  };
  const requireAdmin = (req: Request, res: Response, next: NextFunction) => {
    const user = (req as Request & { user?: User }).user;
    if (user?.role !== 'admin') {
      res.status(403).json({ error: 'Forbidden' });
      return;
    }
    next();
  };

  app.post('/api/login', (req, res) => {
    const { email, password } = req.body as { email: string; password: string };
    const user = users.find((u) => u.email === email && u.password === password);
    if (!user) {
      logAudit({
        userId: email,
        action: AUDIT_ACTIONS.LOGIN,
        resource: '/api/login',
        status: 'FAILED',
        req,
        details: { reason: 'Invalid credentials' },
      });
      res.status(401).json({ error: 'Invalid credentials' });
      return;
    }
    logAudit({
      userId: user.id,
      action: AUDIT_ACTIONS.LOGIN,
      resource: '/api/login',
      status: 'SUCCESS',
      req,
      details: { mfa_used: user.mfaEnabled },
    });
    res.json({ ok: true });
  });

  app.delete('/api/admin/users/:id', authenticate, requireAdmin, (req, res) => {
    const admin = (req as Request & { user?: User }).user as User;
    logAudit({
      userId: admin.id,
      action: AUDIT_ACTIONS.DELETE,
      resource: `/api/admin/users/${req.params.id}`,
      status: 'SUCCESS',
      req,
      details: { deleted_user: req.params.id },
    });
    res.status(204).end();
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return app;
}
// ---- end of the guide's app.ts ----

let sink: MemorySink;
let server: Server;
let base: string;
beforeAll(async () => {
  // The guide's logAudit writes through the default logger: point it at a sink
  // that records exactly what would reach stdout.
  sink = createMemorySink();
  setDefaultAuditLogger(
    createAuditLogger({ service: 'guide-app', destination: sink, ecsMetadata: false }),
  );
  server = buildApp().listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const headers = {
  'content-type': 'application/json',
  cookie: `session=${COOKIE_CANARY}`,
};

describe("the guide's app.ts, ported with only the imports changed (issue #12)", () => {
  it('names the right user on every line, with no validation issue, no line over 2 KB and no canary', async () => {
    // Act: the guide's four flows over real HTTP.
    const login = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'ana@example.com', password: BODY_CANARY }),
    });
    const failed = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'mallory@example.com', password: BODY_CANARY }),
    });
    const deleted = await fetch(`${base}/api/admin/users/u-200`, {
      method: 'DELETE',
      headers: { ...headers, authorization: `Bearer ${AUTH_CANARY}` },
    });
    const health = await fetch(`${base}/health`, { headers });
    await Promise.all([login.text(), failed.text(), deleted.text(), health.text()]);
    expect([login.status, failed.status, deleted.status, health.status]).toEqual([
      200, 401, 204, 200,
    ]);
    // The automatic entries are written at finish; wait for the last one.
    await expect
      .poll(() => sink.events().filter((e) => e.path?.startsWith('/api/admin')).length)
      .toBeGreaterThanOrEqual(2);

    // Assess
    const events = sink.events();
    const explicit = events.filter((e) => e.action === 'LOGIN' || e.action === 'DELETE');
    expect(explicit.map((e) => [e.action, e.status, e.user_id])).toEqual([
      ['LOGIN', 'SUCCESS', 'u-100'],
      ['LOGIN', 'FAILED', 'mallory@example.com'],
      ['DELETE', 'SUCCESS', 'u-100'],
    ]);
    expect(explicit[0]?.details).toMatchObject({ mfa_used: true });
    // Each explicit line carries its request's fields, from the middleware's context.
    for (const e of explicit) {
      expect(e.method).toBeDefined();
      expect(e.ip_address).toBe('127.0.0.1');
      // The adapter's context, not core's raw node:http fallback.
      expect(e.details?.request_unresolved).toBeUndefined();
    }
    // The admin's request lines, explicit and automatic, name the admin.
    for (const e of events.filter((e) => e.path?.startsWith('/api/admin'))) {
      expect(e.user_id).toBe('u-100');
    }
    // Health is excluded, as the guide configured.
    expect(events.some((e) => e.path === '/health')).toBe(false);
    const out = sink.lines.join('');
    expect(out).not.toContain('validation_errors');
    expect(out).not.toContain('unexpected_fields');
    expect(out).not.toContain(COOKIE_CANARY);
    expect(out).not.toContain(AUTH_CANARY);
    expect(out).not.toContain(BODY_CANARY);
    for (const line of sink.lines) expect(Buffer.byteLength(line)).toBeLessThan(2048);
    // One DELETE line for one DELETE: the explicit entry claims the request (SPEC §5.7).
    expect(events.filter((e) => e.action === 'DELETE')).toHaveLength(1);
  });
});
