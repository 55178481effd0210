import { expectAudit } from '@auditline/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_USERS } from '../src/demo-users.js';
import { send } from '../src/http-client.js';
import { type RunningApp, startApp } from './helpers/in-process-app.js';

// Smoke test of the reference service (issue #5): every route, through the
// real middleware, produces the audit entry the README promises.

const alice = DEMO_USERS.find((u) => u.username === 'alice')!;
const bob = DEMO_USERS.find((u) => u.username === 'bob')!;
const carol = DEMO_USERS.find((u) => u.username === 'carol')!;

let app: RunningApp;
const tokens: Record<string, string> = {};

async function login(username: string, password: string, otp?: string): Promise<string> {
  const res = await send(app.baseUrl, {
    method: 'POST',
    path: '/api/login',
    body: otp === undefined ? { username, password } : { username, password, otp },
  });
  expect(res.status).toBe(200);
  return (res.body as { token: string }).token;
}

beforeAll(async () => {
  app = await startApp();
  tokens.alice = await login('alice', alice.password);
  tokens.bob = await login('bob', bob.password);
  tokens.carol = await login('carol', carol.password, carol.otp);
});

afterAll(async () => {
  await app?.close();
});

describe('the example app audits each route', () => {
  it('writes AUDIT_START first, from service example-shop', () => {
    // Assess
    expect(app.sink.entries[0]).toMatchObject({ action: 'AUDIT_START', service: 'example-shop' });
  });

  it('does not audit /health', async () => {
    // Prepare
    const before = app.sink.entries.length;

    // Act
    const res = await send(app.baseUrl, { method: 'GET', path: '/health' });

    // Assess: a later request's entry arrives, the probe's never does
    expect(res.status).toBe(200);
    await send(app.baseUrl, { method: 'GET', path: '/api/orders/o-1001', token: tokens.alice });
    await vi.waitFor(() => expect(app.sink.entries.length).toBe(before + 1));
    expect(app.sink.entries.some((e) => e.path === '/health')).toBe(false);
  });

  it('audits a successful login as LOGIN SUCCESS with mfa_used, from the client behind one proxy', async () => {
    // Act
    await send(app.baseUrl, {
      method: 'POST',
      path: '/api/login',
      clientIp: '198.51.100.77',
      body: { username: 'carol', password: carol.password, otp: carol.otp },
    });

    // Assess
    await vi.waitFor(() =>
      expectAudit(
        app.sink.entries,
        {
          action: 'LOGIN',
          status: 'SUCCESS',
          user_id: 'u-900',
          resource: '/api/login',
          method: 'POST',
          ip_address: '198.51.100.77',
          details: { mfa_used: true, statusCode: 200 },
        },
        1,
      ),
    );
    expectAudit(
      app.sink.entries,
      { action: 'LOGIN', user_id: 'u-100', details: { mfa_used: false } },
      1,
    );
  });

  it('audits a wrong password as exactly one LOGIN FAILED with a reason, and never logs the password', async () => {
    // Prepare
    const secret = 'not-alices-password-7f3a';

    // Act
    const res = await send(app.baseUrl, {
      method: 'POST',
      path: '/api/login',
      clientIp: '203.0.113.9',
      body: { username: 'alice', password: secret },
    });

    // Assess
    expect(res.status).toBe(401);
    await vi.waitFor(() =>
      expectAudit(
        app.sink.entries,
        {
          action: 'LOGIN',
          status: 'FAILED',
          user_id: 'u-100',
          ip_address: '203.0.113.9',
          details: { reason: 'invalid_password', statusCode: 401 },
        },
        1,
      ),
    );
    const fromThatIp = app.sink.entries.filter((e) => e.ip_address === '203.0.113.9');
    expect(fromThatIp).toHaveLength(1);
    expect(app.sink.lines.join('')).not.toContain(secret);
    for (const user of DEMO_USERS) expect(app.sink.lines.join('')).not.toContain(user.password);
  });

  it('audits an MFA user without a code as LOGIN FAILED mfa_required', async () => {
    // Act
    await send(app.baseUrl, {
      method: 'POST',
      path: '/api/login',
      body: { username: 'carol', password: carol.password },
    });

    // Assess
    await vi.waitFor(() =>
      expectAudit(
        app.sink.entries,
        {
          action: 'LOGIN',
          status: 'FAILED',
          user_id: 'u-900',
          details: { reason: 'mfa_required' },
        },
        1,
      ),
    );
  });

  it('audits GET, POST and DELETE of orders as READ, CREATE and DELETE with the resolved user', async () => {
    // Act
    const read = await send(app.baseUrl, {
      method: 'GET',
      path: '/api/orders/o-1002',
      token: tokens.bob,
      headers: { 'x-trace-id': 'smoke-trace-42' },
    });
    const created = await send(app.baseUrl, {
      method: 'POST',
      path: '/api/orders/o-3001',
      token: tokens.alice,
      body: { item: 'mug', quantity: 3 },
    });
    const deleted = await send(app.baseUrl, {
      method: 'DELETE',
      path: '/api/orders/o-3001',
      token: tokens.carol,
    });

    // Assess
    expect([read.status, created.status, deleted.status]).toEqual([200, 201, 204]);
    await vi.waitFor(() =>
      expectAudit(app.sink.entries, { action: 'DELETE', resource: '/api/orders/o-3001' }, 1),
    );
    expectAudit(
      app.sink.entries,
      {
        action: 'READ',
        status: 'SUCCESS',
        user_id: 'u-200',
        traceId: 'smoke-trace-42',
        resource: '/api/orders/o-1002',
        details: { statusCode: 200 },
      },
      1,
    );
    expectAudit(
      app.sink.entries,
      { action: 'CREATE', status: 'SUCCESS', user_id: 'u-100', details: { statusCode: 201 } },
      1,
    );
    expectAudit(
      app.sink.entries,
      { action: 'DELETE', status: 'SUCCESS', user_id: 'u-900', details: { statusCode: 204 } },
      1,
    );
  });

  it('audits a delete by a non-admin as ACCESS_DENIED with the attempted action', async () => {
    // Act
    const res = await send(app.baseUrl, {
      method: 'DELETE',
      path: '/api/orders/o-1001',
      token: tokens.bob,
    });

    // Assess
    expect(res.status).toBe(403);
    await vi.waitFor(() =>
      expectAudit(
        app.sink.entries,
        {
          action: 'ACCESS_DENIED',
          status: 'FAILED',
          user_id: 'u-200',
          resource: '/api/orders/o-1001',
          details: { statusCode: 403, attempted_action: 'DELETE' },
        },
        1,
      ),
    );
  });

  it('audits a request without a session as ACCESS_DENIED by anonymous', async () => {
    // Act
    const res = await send(app.baseUrl, { method: 'GET', path: '/api/orders/o-1002' });

    // Assess
    expect(res.status).toBe(401);
    await vi.waitFor(() =>
      expectAudit(
        app.sink.entries,
        {
          action: 'ACCESS_DENIED',
          user_id: 'anonymous',
          resource: '/api/orders/o-1002',
          details: { statusCode: 401, attempted_action: 'READ' },
        },
        1,
      ),
    );
  });

  it('audits a response the client abandoned as READ FAILED with details.aborted', async () => {
    // Act
    const res = await send(app.baseUrl, {
      method: 'GET',
      path: '/api/orders/o-1001?slow=1',
      token: tokens.alice,
      abortAfterHeaders: true,
    });

    // Assess
    expect(res.aborted).toBe(true);
    const [entry] = await vi.waitFor(
      () =>
        expectAudit(
          app.sink.entries,
          {
            action: 'READ',
            status: 'FAILED',
            path: '/api/orders/o-1001?slow=1',
            details: { aborted: true, answered: false },
          },
          1,
        ),
      // The entry waits answerWaitMs for the handler's answer, which never comes (SPEC §5.6).
      { timeout: 5_000 },
    );
    expect(entry?.user_id).toBe('u-100');
  });

  it('audits logout as LOGOUT SUCCESS with the user from the session, then refuses the ended session', async () => {
    // Act
    const first = await send(app.baseUrl, {
      method: 'POST',
      path: '/api/logout',
      token: tokens.bob,
    });
    const again = await send(app.baseUrl, {
      method: 'POST',
      path: '/api/logout',
      token: tokens.bob,
    });

    // Assess
    expect([first.status, again.status]).toEqual([204, 401]);
    await vi.waitFor(() =>
      expectAudit(
        app.sink.entries,
        { action: 'LOGOUT', status: 'FAILED', details: { reason: 'no_session' } },
        1,
      ),
    );
    expectAudit(app.sink.entries, { action: 'LOGOUT', status: 'SUCCESS', user_id: 'u-200' }, 1);
  });
});
