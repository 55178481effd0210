import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuditContext,
  type AuditLogParams,
  AuditValidationError,
  createAuditLogger,
  runWithAuditContext,
} from '@auditline/core';
import { registerRequestResolver } from '@auditline/core/internal';
import { createMemorySink } from '@auditline/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

// issue #12: the guide's call `logAudit({ userId, action, resource, status, req, details })`
// must work unchanged. These tests use node:http directly; the Express side is in
// packages/express/test/guide-app-ported.test.ts and request-objects-never-serialised.test.ts.

function newLogger(onInvalid: 'emit' | 'throw' = 'emit') {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'guide',
    destination: sink,
    ecsMetadata: false,
    onInvalid,
  });
  return { sink, audit };
}

function issuesOf(details: unknown): { path: string }[] | undefined {
  return (details as { validation_errors?: { path: string }[] } | null | undefined)
    ?.validation_errors;
}

let server: Server | undefined;
let unregister: (() => void) | undefined;
afterEach(async () => {
  unregister?.();
  unregister = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/**
 * Serves one request on 127.0.0.1 and returns the raw request object. `during`
 * runs in the handler, while the socket is open, outside any audit context.
 */
async function captureRequest(
  path: string,
  headers: Record<string, string>,
  during?: (req: IncomingMessage) => void,
): Promise<IncomingMessage> {
  let captured: IncomingMessage | undefined;
  server = createServer((req, res) => {
    captured = req;
    during?.(req);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
  if (captured === undefined) throw new Error('no request captured');
  return captured;
}

describe('userId is the guide spelling of user_id (issue #12)', () => {
  it('writes userId as user_id, without a validation issue or an unexpected field', () => {
    // Prepare
    const { sink, audit } = newLogger();
    // Act
    audit.log({ userId: 'u-1', action: 'LOGIN', resource: '/api/login', status: 'SUCCESS' });
    // Assess: on main this was "anonymous" plus "Unrecognized keys: userId".
    const [entry] = sink.events();
    expect(entry?.user_id).toBe('u-1');
    expect(entry?.details).toBeNull();
    expect(sink.lines.join('')).not.toContain('userId');
  });

  it('keeps the explicit user_id and records an issue when both spellings differ', () => {
    // Prepare
    const { sink, audit } = newLogger();
    // Act
    audit.log({
      userId: 'u-mallory',
      user_id: 'u-alice',
      action: 'DELETE',
      resource: '/x',
      status: 'SUCCESS',
    });
    // Assess
    const [entry] = sink.events();
    expect(entry?.user_id).toBe('u-alice');
    const issues = issuesOf(entry?.details);
    expect(issues?.map((i) => i.path)).toEqual(['userId']);
  });

  it('says nothing when both spellings agree', () => {
    const { sink, audit } = newLogger();
    audit.log({ userId: 'u-1', user_id: 'u-1', action: 'READ', resource: '/x', status: 'SUCCESS' });
    expect(sink.events()[0]?.details).toBeNull();
  });

  it("throws on differing spellings with onInvalid 'throw', as for any other issue", () => {
    const { audit } = newLogger('throw');
    expect(() =>
      audit.log({ userId: 'a', user_id: 'b', action: 'READ', resource: '/x', status: 'SUCCESS' }),
    ).toThrow(AuditValidationError);
  });

  it('validates userId as user_id: an over-long value is cut, with an issue', () => {
    const { sink, audit } = newLogger();
    audit.log({ userId: 'u'.repeat(5_000), action: 'READ', resource: '/x', status: 'SUCCESS' });
    const [entry] = sink.events();
    expect(entry?.user_id.length).toBeLessThan(5_000);
    const issues = issuesOf(entry?.details);
    expect(issues?.map((i) => i.path)).toEqual(['user_id']);
  });
});

describe('req gives the entry its request context (issue #12)', () => {
  it('reads a request no middleware saw from node:http itself: no user, no x-forwarded-for, query redacted, flagged', async () => {
    // Prepare: a client that claims another address and carries a token in the query.
    const { sink, audit } = newLogger();
    // Act: in a plain node:http handler, outside any context.
    await captureRequest(
      '/api/login?token=CANARY-QUERY&page=2',
      {
        'user-agent': 'guide-client/1.0',
        'x-forwarded-for': '6.6.6.6',
        cookie: 'sid=CANARY-COOKIE',
        authorization: 'Bearer CANARY-AUTH',
      },
      (req) => {
        const params: AuditLogParams = {
          action: 'LOGIN',
          resource: '/api/login',
          status: 'FAILED',
          req,
          details: { reason: 'bad password' },
        };
        audit.log(params);
      },
    );
    // Assess
    const [entry] = sink.events();
    expect(entry).toMatchObject({
      user_id: 'anonymous',
      method: 'GET',
      ip_address: '127.0.0.1',
      user_agent: 'guide-client/1.0',
      path: '/api/login?token=[REDACTED]&page=2',
      details: { reason: 'bad password', request_unresolved: true },
    });
    const out = sink.lines.join('');
    expect(out).not.toContain('6.6.6.6');
    expect(out).not.toMatch(/CANARY/);
    expect(Buffer.byteLength(sink.lines[1] ?? '')).toBeLessThan(2048);
  });

  it('takes a registered adapter context for that request, outside the async scope, over the ambient one', async () => {
    // Prepare: an adapter that resolved the request (trusted IP, user) and registered it.
    const req = await captureRequest('/orders/42', { 'user-agent': 'raw-agent' });
    const contexts = new WeakMap<object, AuditContext>();
    contexts.set(req, {
      traceId: 'trace-alice-1',
      userId: 'alice',
      ip: '203.0.113.7',
      userAgent: 'adapter-agent',
      method: 'DELETE',
      path: '/orders/42',
    });
    unregister = registerRequestResolver((r) => contexts.get(r));
    const { sink, audit } = newLogger();
    // Act: inside a different unit of work, which must not win over the named request.
    runWithAuditContext({ traceId: 'job-9', userId: 'system:job' }, () => {
      audit.log({ action: 'DELETE', resource: '/orders/42', status: 'SUCCESS', req });
    });
    // Assess
    const [entry] = sink.events();
    expect(entry).toMatchObject({
      traceId: 'trace-alice-1',
      user_id: 'alice',
      ip_address: '203.0.113.7',
      user_agent: 'adapter-agent',
      method: 'DELETE',
      path: '/orders/42',
    });
    expect(entry?.details).toBeNull();
  });

  it('lets the explicit userId win over the request user', async () => {
    const req = await captureRequest('/login', {});
    unregister = registerRequestResolver(() => ({ userId: 'anonymous-session' }));
    const { sink, audit } = newLogger();
    audit.log({ userId: 'u-1', action: 'LOGIN', resource: '/login', status: 'SUCCESS', req });
    expect(sink.events()[0]?.user_id).toBe('u-1');
  });

  it('treats a throwing resolver as "not mine"', async () => {
    const req = await captureRequest('/x', {});
    unregister = registerRequestResolver(() => {
      throw new Error('broken adapter');
    });
    const { sink, audit } = newLogger();
    audit.log({ action: 'READ', resource: '/x', status: 'SUCCESS', req });
    expect(sink.events()[0]).toMatchObject({
      method: 'GET',
      details: { request_unresolved: true },
    });
  });

  it('shares the resolver registry between two copies of core (SPEC §2)', async () => {
    // Prepare: a second module instance of the resolver, as a nested copy of core would load.
    const req = await captureRequest('/x', {});
    const url = new URL(import.meta.resolve('@auditline/core/internal'));
    url.searchParams.set('copy', '2');
    const second = (await import(
      /* @vite-ignore */ url.href
    )) as typeof import('@auditline/core/internal');
    // Act: the adapter registered through the other copy.
    unregister = second.registerRequestResolver(() => ({ userId: 'from-other-copy' }));
    const { sink, audit } = newLogger();
    audit.log({ action: 'READ', resource: '/x', status: 'SUCCESS', req });
    // Assess
    expect(sink.events()[0]?.user_id).toBe('from-other-copy');
  });

  it('ignores a req that is not an object, with an issue', () => {
    const { sink, audit } = newLogger();
    audit.log({
      action: 'READ',
      resource: '/x',
      status: 'SUCCESS',
      req: 'GET /x' as unknown as IncomingMessage,
    });
    const issues = issuesOf(sink.events()[0]?.details);
    expect(issues?.map((i) => i.path)).toEqual(['req']);
  });
});
