import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AUDIT_ACTIONS,
  AUDIT_STATUSES,
  type AuditParams,
  createAppLogger,
  createAuditLogger,
  runWithAuditContext,
} from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { emf } from '@auditline/emf';
import { auditMiddleware } from '@auditline/express';
import express from 'express';

/** One raw line the library wrote, labelled with the case that produced it. */
export interface LabelledLine {
  readonly label: string;
  readonly line: string;
}

const A = AUDIT_ACTIONS;
const S = AUDIT_STATUSES;

/** Audit cases, as an app (or the express middleware) would log them inside a request. */
const AUDIT_CASES: ReadonlyArray<readonly [string, AuditParams]> = [
  [
    'login-failed',
    {
      action: A.LOGIN,
      resource: '/api/login',
      status: S.FAILED,
      user_id: 'alice',
      details: { reason: 'bad password', statusCode: 401, duration_ms: 12.5 },
    },
  ],
  [
    'login-success',
    {
      action: A.LOGIN,
      resource: '/api/login',
      status: S.SUCCESS,
      user_id: 'alice',
      details: { mfa_used: true, statusCode: 200, duration_ms: 40 },
    },
  ],
  [
    'logout-success',
    { action: A.LOGOUT, resource: '/api/logout', status: S.SUCCESS, user_id: 'alice' },
  ],
  [
    'create-failed',
    {
      action: A.CREATE,
      resource: '/api/orders/7',
      status: S.FAILED,
      details: { statusCode: 422, error: 'quantity must be positive', duration_ms: 3 },
    },
  ],
  [
    'update-failed',
    {
      action: A.UPDATE,
      resource: '/api/orders/7',
      status: S.FAILED,
      details: { statusCode: 500, error: new Error('db down') },
    },
  ],
  [
    'read-failed',
    {
      action: A.READ,
      resource: '/api/orders/404',
      status: S.FAILED,
      details: { statusCode: 404, duration_ms: 1 },
    },
  ],
  [
    'read-success',
    {
      action: A.READ,
      resource: '/api/orders/7',
      status: S.SUCCESS,
      details: { statusCode: 200, duration_ms: 2.25 },
    },
  ],
  [
    'delete-success',
    {
      action: A.DELETE,
      resource: '/api/orders/7',
      status: S.SUCCESS,
      user_id: 'admin',
      details: { statusCode: 204, duration_ms: 8 },
    },
  ],
  [
    'delete-failed',
    {
      action: A.DELETE,
      resource: '/api/orders/8',
      status: S.FAILED,
      user_id: 'admin',
      details: { statusCode: 500, error: 'locked' },
    },
  ],
  [
    'access-denied',
    {
      action: A.ACCESS_DENIED,
      resource: '/api/orders/7',
      status: S.FAILED,
      user_id: 'bob',
      details: { statusCode: 403, reason: 'admin only', duration_ms: 0.5 },
    },
  ],
  ['custom-success', { action: 'EXPORT_REPORT', resource: '/reports/q3', status: S.SUCCESS }],
];

/**
 * Requests sent to a real Express app with `auditMiddleware`: the automatic entry
 * is what most services write, and it differs from a hand-made one (a 401/403 is
 * `ACCESS_DENIED` with `details.attempted_action` and `details.error`, SPEC §5.5).
 */
const MIDDLEWARE_CASES: ReadonlyArray<
  readonly [label: string, method: string, path: string, user?: string]
> = [
  ['mw-login-denied', 'POST', '/api/login'],
  ['mw-delete-denied', 'DELETE', '/api/admin/orders/9', 'bob'],
  ['mw-read-success', 'GET', '/api/orders/7', 'alice'],
  ['mw-read-failed', 'GET', '/api/orders/404', 'alice'],
  ['mw-delete-success', 'DELETE', '/api/orders/7', 'admin'],
];

/** Labels of the audit cases above plus the logger's own lifecycle lines. */
export const AUDIT_LABELS = [
  ...AUDIT_CASES.map(([label]) => label),
  ...MIDDLEWARE_CASES.map(([label]) => label),
  'mw-echo',
  'lifecycle',
] as const;

/**
 * The body of issue #13's forgery: a client posts it, the app logs it through
 * `req.log`, and on `main` before the fix the line could pass for a failed login
 * and create EMF metrics. No generated filter, query or widget may count it.
 */
export const FORGED_BODY = Object.freeze({
  audit: true,
  action: A.LOGIN,
  status: S.FAILED,
  user_id: 'victim',
  // Beyond the body: a forger who knows the filters need a numeric seq.
  seq: 7,
  instance: 'forged',
  _aws: {
    Timestamp: 0,
    CloudWatchMetrics: [
      { Namespace: 'Forged', Dimensions: [['Action']], Metrics: [{ Name: 'AuditEventCount' }] },
    ],
  },
  Action: 'LOGIN',
  AuditEventCount: 1,
});

/** Labels of lines that are not audit lines, whatever keys they carry. */
export const APP_LABELS = ['app-info', 'app-error', 'app-lookalike', 'app-forged'] as const;

function send(port: number, method: string, path: string, user?: string, body?: string) {
  return new Promise<void>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(user ? { 'x-test-user': user } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A real Express app on 127.0.0.1:0 whose audit entries go through `audit`. */
async function startApp(audit: ReturnType<typeof createAuditLogger>) {
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    const user = req.headers['x-test-user'];
    if (typeof user === 'string') (req as unknown as { user: { id: string } }).user = { id: user };
    next();
  });
  app.use(auditMiddleware({ logger: audit }));
  app.post('/api/login', (_req, res) => {
    res.status(401).json({ error: 'bad credentials' });
  });
  app.delete('/api/admin/orders/:id', (_req, res) => {
    res.status(403).json({ error: 'admin only' });
  });
  app.get('/api/orders/:id', (req, res) => {
    if (req.params.id === '404') res.status(404).json({ error: 'no such order' });
    else res.json({ id: req.params.id });
  });
  app.delete('/api/orders/:id', (_req, res) => {
    res.status(204).end();
  });
  // Issue #13: an app that logs a client-chosen body through req.log.
  app.post('/api/echo', (req, res) => {
    req.log.info(req.body, 'client payload');
    res.status(202).end();
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs core's real logger (memory sink, JSON format) through every case and
 * returns each line it wrote, labelled. With `'emf'` the lines carry the EMF
 * members too, as with `AUDIT_LOG_FORMAT=emf`. Middleware lines come from real
 * requests to a real Express server. App-log lines come from the pino app logger
 * that shares the audit destination, as in a real service; one of them
 * deliberately carries audit-like `action`/`status` keys, and one is issue #13's
 * forged body logged through `req.log`.
 */
/** The middleware writes at `finish`, which may follow the client's `end`. */
async function waitForLine(sink: { lines: readonly string[] }, after: number): Promise<void> {
  for (let i = 0; i < 200 && sink.lines.length <= after; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function writeRealLines(format: 'json' | 'emf' = 'json'): Promise<LabelledLine[]> {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'filters-test',
    format: 'json',
    destination: sink,
    handleSignals: false,
    // EMF adds `_aws`, `Action`, `Status` and metric members to each line (SPEC §8.1).
    plugins: format === 'emf' ? [emf()] : [],
  });
  const app = createAppLogger({ audit, level: 'info' });
  const out: LabelledLine[] = [];
  let seen = 0;
  const take = (label: string) => {
    for (const line of sink.lines.slice(seen)) out.push({ label, line });
    seen = sink.lines.length;
  };
  take('lifecycle');

  const request = {
    traceId: 'trace-1',
    ip: '203.0.113.9',
    userAgent: 'curl/8.5.0',
    method: 'DELETE',
    path: '/api/orders/7',
  };
  for (const [label, params] of AUDIT_CASES) {
    runWithAuditContext({ ...request }, () => audit.log(params));
    take(label);
  }

  app.info({ route: '/health' }, 'health check ok');
  take('app-info');
  app.error(new Error('connection reset'), 'upstream failed');
  take('app-error');
  app.warn({ action: A.DELETE, status: S.FAILED, user_id: 'mallory' }, 'looks like audit, is not');
  take('app-lookalike');

  const server = await startApp(audit);
  try {
    for (const [label, method, path, user] of MIDDLEWARE_CASES) {
      await send(server.port, method, path, user);
      await waitForLine(sink, seen);
      take(label);
    }
    await send(server.port, 'POST', '/api/echo', undefined, JSON.stringify(FORGED_BODY));
    // The echo request writes its app line and then its own audit entry.
    await waitForLine(sink, seen + 1);
    const lines = sink.lines.slice(seen);
    const forged = lines.filter((l) => l.includes('client payload'));
    for (const line of forged) out.push({ label: 'app-forged', line });
    for (const line of lines.filter((l) => !forged.includes(l)))
      out.push({ label: 'mw-echo', line });
    seen = sink.lines.length;
  } finally {
    await server.close();
  }

  await audit.close();
  take('lifecycle');
  return out;
}
