import { createAuditLogger, REDACTED } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §6 / issue #13: secrets carried by something other than their own key
// (pairs, Headers, URLSearchParams, DSNs, bearer text, JWTs, JSON in a
// string, Error messages). Each of these leaked in the red-team pass.

const BASE = { action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' } as const;
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJDQU5BUlkifQ.c2lnbmF0dXJlLUNBTkFSWQ';

function logDetails(details: Record<string, unknown>): {
  raw: string;
  details: Record<string, unknown>;
} {
  const sink = createMemorySink();
  const audit = createAuditLogger({ destination: sink, format: 'json' });
  audit.log({ ...BASE, details });
  const raw = sink.lines.at(-1) as string;
  return { raw, details: (JSON.parse(raw) as { details: Record<string, unknown> }).details };
}

describe('secrets without a key of their own are censored (SPEC §6, issue #13)', () => {
  it('censors the value after a sensitive name in flat rawHeaders and in [name, value] pairs', () => {
    // Prepare: what Node and fetch give an app that logs its headers.
    const rawHeaders = [
      'Host',
      'api.test',
      'Authorization',
      'Bearer CANARY1',
      'x-api-key',
      'CANARY2',
    ];
    const headers = { cookie: 'sid=CANARY3', accept: '*/*' };
    const fetchHeaders = new Headers({ 'proxy-authorization': 'Basic Q0FOQVJZOnB3', accept: 'a' });
    // Act
    const { raw, details } = logDetails({
      rawHeaders,
      entries: Object.entries(headers),
      spread: [...fetchHeaders],
      deep: { list: [[['set-cookie', 'CANARY4']]] },
    });
    // Assess: every value after a sensitive name is censored, the rest kept.
    expect(raw).not.toContain('CANARY');
    expect(details.rawHeaders).toEqual([
      'Host',
      'api.test',
      'Authorization',
      REDACTED,
      'x-api-key',
      REDACTED,
    ]);
    expect(details.entries).toEqual([
      ['cookie', REDACTED],
      ['accept', '*/*'],
    ]);
    expect(details.spread).toEqual([
      ['accept', 'a'],
      ['proxy-authorization', REDACTED],
    ]);
  });

  it('writes Headers, URLSearchParams and Map as objects, censoring sensitive entries', () => {
    const { raw, details } = logDetails({
      headers: new Headers({ Authorization: 'Bearer CANARY1', 'Content-Type': 'json' }),
      query: new URLSearchParams('accessToken=CANARY2&page=1&page=2'),
      map: new Map<string, unknown>([
        ['clientSecret', 'CANARY3'],
        ['id', 7],
      ]),
    });
    expect(raw).not.toContain('CANARY');
    // An empty `{}` here would mean Headers was written by its own keys (it has none).
    expect(details.headers).toEqual({ authorization: REDACTED, 'content-type': 'json' });
    expect(details.query).toEqual({ accessToken: REDACTED, page: ['1', '2'] });
    expect(details.map).toEqual({ clientSecret: REDACTED, id: 7 });
  });

  it('censors Bearer and Basic credentials, URL user-info and JWTs inside free text', () => {
    const { raw, details } = logDetails({
      header: 'Bearer CANARY1.x',
      basic: 'basic Q0FOQVJZMjpwdw==',
      dsn: 'postgres://app:CANARY3@db.internal:5432/orders',
      rawAt: 'mysql://root:p@ss-CANARY4@db/x',
      remote: 'https://CANARY5@github.com/acme/repo.git',
      note: `session ${JWT} expired`,
    });
    expect(raw).not.toContain('CANARY');
    expect(raw).not.toContain(JWT.split('.')[1]);
    expect(details.header).toBe(`Bearer ${REDACTED}`);
    expect(details.dsn).toBe(`postgres://app:${REDACTED}@db.internal:5432/orders`);
    expect(details.remote).toBe(`https://${REDACTED}@github.com/acme/repo.git`);
    expect(details.note).toBe(`session ${REDACTED} expired`);
  });

  it('censors name=value and name: value pairs in text, Error messages and JSON inside a string', () => {
    const { raw, details } = logDetails({
      log: 'retrying GET /cb?code=1&refresh_token=CANARY1 after 500',
      dump: 'Host: api\r\nX-Api-Key: CANARY2 extra\r\nAccept: */*',
      error: new Error('login failed for password=CANARY3 (user bob)'),
      json: JSON.stringify({ user: 'bob', password: 'CANARY4', nested: { token: ['CANARY5', 1] } }),
      twice: JSON.stringify(JSON.stringify({ apiKey: 'CANARY6' })),
      jsish: "{ authorization: 'Bearer CANARY7', id: 3 }",
    });
    expect(raw).not.toContain('CANARY');
    // Quoted values keep their quotes: the JSON inside the string stays JSON.
    expect(JSON.parse(details.json as string)).toEqual({
      user: 'bob',
      password: REDACTED,
      nested: { token: REDACTED },
    });
    expect(details.dump).toBe(`Host: api\r\nX-Api-Key: ${REDACTED}\r\nAccept: */*`);
    expect(details.error).toEqual({
      name: 'Error',
      message: `login failed for password=${REDACTED} (user bob)`,
    });
  });

  it('leaves prose that only looks alike untouched', () => {
    const prose = {
      a: 'Basic plan, Bearer tokens are described in RFC 6750',
      b: 'see https://example.test/docs?page=2 at 12:30',
      c: 'user@example.test wrote: token rotation is weekly',
    };
    expect(logDetails(prose).details).toEqual(prose);
  });
});
