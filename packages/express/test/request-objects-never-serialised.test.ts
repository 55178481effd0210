import { logAudit } from '@auditline/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

// issue #12: on main, `logAudit({ …, req })` wrote a 9 KB line whose
// details.unexpected_fields held the whole Express request (socket, parser,
// server, rawHeaders with Cookie and Authorization in clear). A request,
// response or socket is now a short marker wherever it appears.

const COOKIE_CANARY = 'CANARY-COOKIE-7f3a';
const AUTH_CANARY = 'CANARY-AUTH-91bc';
const BODY_CANARY = 'CANARY-BODY-55de';
const MAX_LINE_BYTES = 2048;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(path: string): Promise<void> {
  if (server === undefined) throw new Error('no server');
  const res = await fetch(`${server.base}${path}`, {
    method: 'POST',
    headers: {
      cookie: `sid=${COOKIE_CANARY}`,
      authorization: `Bearer ${AUTH_CANARY}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ password: BODY_CANARY, note: BODY_CANARY }),
  });
  await res.text();
}

function assertNoLeak(lines: readonly string[]): void {
  const out = lines.join('');
  expect(out).not.toContain(COOKIE_CANARY);
  expect(out).not.toContain(AUTH_CANARY);
  expect(out).not.toContain(BODY_CANARY);
  expect(out).not.toContain('rawHeaders');
  for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThan(MAX_LINE_BYTES);
}

describe('a request, response or socket is never serialised into a line (issue #12)', () => {
  it('writes markers for req, res and the socket in details at any depth, as req and as details itself', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.use(express.json());
        app.post('/api/login', (req, res) => {
          // Act: every place a real request object can reach a line.
          logAudit({
            userId: 'u-1',
            action: 'LOGIN',
            resource: '/api/login',
            status: 'SUCCESS',
            req,
            details: { mfa_used: false, request: req, deep: { a: { b: [res, req.socket] } } },
          });
          logAudit({
            action: 'LOGIN',
            resource: '/api/login',
            status: 'SUCCESS',
            details: req as unknown as Record<string, unknown>,
          });
          res.send('ok');
        });
      },
    });
    await post('/api/login?token=CANARY-QUERY-0');
    const entries = await server.waitForEvents(3);

    // Assess
    const manual = entries.filter((e) => e.action === 'LOGIN');
    expect(manual).toHaveLength(2);
    expect(manual[0]?.user_id).toBe('u-1');
    expect(manual[0]?.details).toMatchObject({
      mfa_used: false,
      request: '[IncomingMessage POST /api/login]',
      deep: { a: { b: ['[ServerResponse]', '[Socket]'] } },
    });
    expect(JSON.stringify(manual[1]?.details)).toContain('[IncomingMessage POST /api/login]');
    assertNoLeak(server.sink.lines);
    expect(server.sink.lines.join('')).not.toContain('CANARY-QUERY-0');
  });

  it('writes a marker for a request in child bindings and in unexpected_fields', async () => {
    // Prepare
    server = await startServer({
      routes: (app, audit) => {
        app.use(express.json());
        app.post('/api/orders', (req, res) => {
          // Act
          audit.child({ request: req, response: res }).log({
            action: 'CREATE',
            resource: '/api/orders',
            status: 'SUCCESS',
          });
          audit.log({
            action: 'CREATE',
            resource: '/api/orders',
            status: 'SUCCESS',
            request: req,
          } as unknown as Parameters<typeof audit.log>[0]);
          res.send('ok');
        });
      },
    });
    await post('/api/orders');
    const entries = await server.waitForEvents(3);

    // Assess
    const [viaChild, viaUnexpected] = entries.filter((e) => e.action === 'CREATE');
    expect(viaChild?.details).toMatchObject({
      request: '[IncomingMessage POST /api/orders]',
      response: '[ServerResponse]',
    });
    expect(viaUnexpected?.details).toMatchObject({
      unexpected_fields: { request: '[IncomingMessage POST /api/orders]' },
    });
    assertNoLeak(server.sink.lines);
  });
});
