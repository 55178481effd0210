import { DEMO_USERS } from './demo-users.js';
import { send, type TrafficRequest, type TrafficResponse } from './http-client.js';
import type { SeedUser } from './users.js';

/** The client that tries passwords in a burst (a TEST-NET-3 address, RFC 5737). */
export const ATTACKER_IP = '203.0.113.66';
/** Failed logins in the burst: more than the brute-force alarm's 20 per 5 minutes (SPEC §9). */
export const FAILED_LOGIN_BURST = 25;
/** Requests in flight at once during the burst. */
const BURST_CONCURRENCY = 5;
/** Trace id sent by one request, to show it carried into the audit entry (SPEC §5.2). */
export const DEMO_TRACE_ID = 'demo-trace-0001';

/** Client addresses of the legitimate users (TEST-NET ranges, RFC 5737). */
const CLIENT_IPS: Readonly<Record<string, string>> = Object.freeze({
  alice: '198.51.100.10',
  bob: '198.51.100.20',
  carol: '192.0.2.30',
});

/** Announces one step of the story; awaited, so the demo can let the previous step's lines arrive first. */
export type Narrate = (text: string) => void | Promise<void>;

/** What the script did, for the caller's own checks. */
export interface TrafficReport {
  /** Requests sent. */
  readonly requests: number;
  /** Responses whose status differed from the one the script expected. */
  readonly surprises: readonly string[];
}

function seedUser(username: string): SeedUser {
  const user = DEMO_USERS.find((u) => u.username === username);
  if (user === undefined) throw new Error(`demo user ${username} missing`);
  return user;
}

/**
 * Drives realistic traffic against a running example app: logins (one with
 * MFA), a burst of failed logins from one address, order reads and creates,
 * admin deletes, denied deletes, an unauthenticated read, an aborted request
 * and logouts. Each step states what the audit trail should show.
 *
 * @example
 * ```ts
 * await runTraffic('http://127.0.0.1:3000', (text) => console.log(text));
 * ```
 */
export async function runTraffic(baseUrl: string, narrate: Narrate): Promise<TrafficReport> {
  let requests = 0;
  const surprises: string[] = [];
  const call = async (label: string, expected: number, req: TrafficRequest) => {
    requests++;
    const res: TrafficResponse = await send(baseUrl, req);
    if (res.status !== expected)
      surprises.push(`${label}: expected ${expected}, got ${res.status}`);
    return res;
  };
  const login = async (username: string, extra: { otp?: string } = {}): Promise<string> => {
    const user = seedUser(username);
    const res = await call(`login ${username}`, 200, {
      method: 'POST',
      path: '/api/login',
      clientIp: CLIENT_IPS[username],
      body: { username, password: user.password, ...extra },
    });
    const token = (res.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string') throw new Error(`login of ${username} returned no token`);
    return token;
  };

  await narrate('GET /health (a probe: excluded from the audit trail)');
  await call('health', 200, { method: 'GET', path: '/health' });

  await narrate('alice and bob log in → LOGIN SUCCESS');
  const alice = await login('alice');
  const bob = await login('bob');

  const carol = seedUser('carol');
  await narrate(
    'carol (admin, MFA) forgets her code, then sends it → LOGIN FAILED mfa_required, LOGIN SUCCESS mfa_used',
  );
  await call('carol without otp', 401, {
    method: 'POST',
    path: '/api/login',
    clientIp: CLIENT_IPS.carol,
    body: { username: 'carol', password: carol.password },
  });
  const admin = await login('carol', { otp: carol.otp ?? '' });

  await narrate(
    `${FAILED_LOGIN_BURST} failed logins from ${ATTACKER_IP} in a burst → LOGIN FAILED (brute force)`,
  );
  const guesses = Array.from({ length: FAILED_LOGIN_BURST }, (_, i) =>
    i % 3 === 0
      ? { username: `admin${i}`, password: `guess-${i}` }
      : { username: i % 3 === 1 ? 'alice' : 'carol', password: `Password${i}!` },
  );
  for (let i = 0; i < guesses.length; i += BURST_CONCURRENCY) {
    await Promise.all(
      guesses.slice(i, i + BURST_CONCURRENCY).map((body) =>
        call('failed login', 401, {
          method: 'POST',
          path: '/api/login',
          clientIp: ATTACKER_IP,
          body,
        }),
      ),
    );
  }

  await narrate(
    `alice reads an order (with x-trace-id: ${DEMO_TRACE_ID}), a missing one, and creates two → READ, CREATE`,
  );
  await call('read', 200, {
    method: 'GET',
    path: '/api/orders/o-1001',
    token: alice,
    clientIp: CLIENT_IPS.alice,
    headers: { 'x-trace-id': DEMO_TRACE_ID },
  });
  await call('read missing', 404, {
    method: 'GET',
    path: '/api/orders/o-9999',
    token: alice,
    clientIp: CLIENT_IPS.alice,
  });
  for (const [id, item] of [
    ['o-2001', 'kettle'],
    ['o-2002', 'saucers'],
  ] as const) {
    await call('create', 201, {
      method: 'POST',
      path: `/api/orders/${id}`,
      token: alice,
      clientIp: CLIENT_IPS.alice,
      body: { item, quantity: 2 },
    });
  }
  await call('create invalid', 400, {
    method: 'POST',
    path: '/api/orders/o-2003',
    token: alice,
    clientIp: CLIENT_IPS.alice,
    body: { item: 'spoons', quantity: -1 },
  });

  await narrate('bob tries to delete an order → 403 → ACCESS_DENIED (attempted DELETE)');
  await call('denied delete', 403, {
    method: 'DELETE',
    path: '/api/orders/o-1002',
    token: bob,
    clientIp: CLIENT_IPS.bob,
  });

  await narrate('a request without a session → 401 → ACCESS_DENIED (attempted READ)');
  await call('no session', 401, {
    method: 'GET',
    path: '/api/orders/o-1001',
    clientIp: ATTACKER_IP,
  });

  await narrate(
    'carol deletes two orders, then one that is gone → DELETE SUCCESS ×2, DELETE FAILED',
  );
  for (const id of ['o-2001', 'o-2002']) {
    await call('delete', 204, {
      method: 'DELETE',
      path: `/api/orders/${id}`,
      token: admin,
      clientIp: CLIENT_IPS.carol,
    });
  }
  await call('delete missing', 404, {
    method: 'DELETE',
    path: '/api/orders/o-2001',
    token: admin,
    clientIp: CLIENT_IPS.carol,
  });

  await narrate('alice gives up on a slow response mid-body → READ FAILED, details.aborted');
  await call('aborted', 200, {
    method: 'GET',
    path: '/api/orders/o-1001?slow=1',
    token: alice,
    clientIp: CLIENT_IPS.alice,
    abortAfterHeaders: true,
  });

  await narrate('alice and carol log out; a logout without a session fails → LOGOUT');
  await call('logout alice', 204, {
    method: 'POST',
    path: '/api/logout',
    token: alice,
    clientIp: CLIENT_IPS.alice,
  });
  await call('logout carol', 204, {
    method: 'POST',
    path: '/api/logout',
    token: admin,
    clientIp: CLIENT_IPS.carol,
  });
  await call('logout again', 401, {
    method: 'POST',
    path: '/api/logout',
    token: alice,
    clientIp: CLIENT_IPS.alice,
  });

  return { requests, surprises };
}
