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

/** Labels of the audit cases above plus the logger's own lifecycle lines. */
export const AUDIT_LABELS = [...AUDIT_CASES.map(([label]) => label), 'lifecycle'] as const;

/**
 * Runs core's real logger (memory sink, JSON format) through every case and
 * returns each line it wrote, labelled. With `'emf'` the lines carry the EMF
 * members too, as with `AUDIT_LOG_FORMAT=emf`. App-log lines come from the pino app
 * logger that shares the audit destination, as in a real service; one of them
 * deliberately carries audit-like `action`/`status` keys.
 */
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

  await audit.close();
  take('lifecycle');
  return out;
}
