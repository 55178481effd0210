import { type AuditLoggerOptions, createAuditLogger, REDACTED } from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §6 / issue #13: names are matched by meaning, not spelling. Each name
// below leaked in clear in the red-team pass; if one is written, the matcher
// compares spellings again.

const BASE = { action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' } as const;

function setup(options: Partial<AuditLoggerOptions> = {}): {
  sink: MemorySink;
  log: (params: Record<string, unknown>) => Record<string, unknown>;
} {
  const sink = createMemorySink();
  const audit = createAuditLogger({ destination: sink, format: 'json', ...options });
  return {
    sink,
    log: (params) => {
      audit.log({ ...BASE, ...params } as never);
      return JSON.parse(sink.lines.at(-1) as string) as Record<string, unknown>;
    },
  };
}

const CAMEL_FORMS_OF_SPEC_NAMES = [
  'accessToken',
  'refreshToken',
  'idToken',
  'clientSecret',
  'privateKey',
  'cardNumber',
  'xApiKey',
  'setCookie',
];
const COMPOUNDS = [
  'newPassword',
  'currentPassword',
  'authToken',
  'sessionToken',
  'jwt',
  'secretAccessKey',
  'Proxy-Authorization',
  'x-auth-token',
  'X-Amz-Security-Token',
  'api-key',
  'AWS_SECRET_ACCESS_KEY',
  'password2',
  'user.password',
  'oldPwd',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'creditCard',
  'apiKeys',
];
const ENCODED = [
  '%74oken',
  'access%5Ftoken',
  'pass%77ord',
  'token[]',
  'token%5B%5D',
  'user[password]',
];

/** camelCase, snake_case, kebab-case, UPPER_SNAKE, dotted and squashed forms of one name. */
function spellings(name: string): string[] {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const camel = words.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
  return [
    ...new Set([
      name,
      camel,
      words.join('_'),
      words.join('-'),
      words.join('_').toUpperCase(),
      words.join('.'),
      words.join(''),
      words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('-'),
    ]),
  ];
}

describe('sensitive names are matched by meaning, not spelling (SPEC §6, issue #13)', () => {
  it('censors the camelCase forms of SPEC §6 names and common compounds, in every spelling, at depths 1, 4 and 8', () => {
    // Prepare
    const { log } = setup({ maxEntryBytes: 262_000 });
    const names = [...CAMEL_FORMS_OF_SPEC_NAMES, ...COMPOUNDS].flatMap(spellings);
    // Act
    const leaks: string[] = [];
    for (const name of names) {
      for (const depth of [1, 4, 8]) {
        let details: Record<string, unknown> = { [name]: 'CANARY-value' };
        for (let d = 1; d < depth; d++) details = { [`l${d}`]: details };
        const line = log({ details });
        if (JSON.stringify(line).includes('CANARY')) leaks.push(`${name}@${depth}`);
      }
    }
    // Assess: none leaked, and there were many of them.
    expect(names.length).toBeGreaterThan(150);
    expect(leaks).toEqual([]);
  });

  it('censors a term followed by a word that does not describe it (password_hash, tokenValue)', () => {
    const { log } = setup();
    const names = [
      'passwordHash',
      'password_hash',
      'PASSWORD-HASH',
      'tokenValue',
      'secret_answer',
      'cookieJar',
    ];
    const line = log({ details: Object.fromEntries(names.map((n) => [n, 'CANARY'])) });
    // A squashed lower-case compound (`passwordhash`) is the documented limit: no word boundary to find.
    expect(JSON.stringify(line)).not.toContain('CANARY');
  });

  it('censors percent-encoded and bracketed names as keys and as query parameters in resource and path', () => {
    const { log } = setup();
    for (const name of [...ENCODED, 'accessToken', 'api-key', 'X-Amz-Security-Token']) {
      const line = log({
        resource: `/cb?page=2&${name}=CANARY1&x=1`,
        path: `/cb?${name}=CANARY2`,
        details: { [name]: 'CANARY3' },
      });
      // Assess: the value is censored where the app would read it, the rest kept.
      expect(line.resource).toBe(`/cb?page=2&${name}=${REDACTED}&x=1`);
      expect(line.path).toBe(`/cb?${name}=${REDACTED}`);
      expect(line.details).toEqual({ [name]: REDACTED });
    }
  });

  it('keeps the documented exceptions: names that describe a secret without holding one', () => {
    const { log } = setup();
    const kept = {
      tokenCount: 3,
      token_count: 3,
      tokenizer: 'bpe',
      password_policy_version: 4,
      passwordPolicy: 'strong',
      token_expires_at: '2026-01-01',
      tokenType: 'Bearer',
      card_last4: '4242',
      signature_version: 'v4',
      nextToken: 'page-2',
      className: 'Order',
      businessName: 'ACME',
      passwordless: true,
      keyId: 'k1',
      aws_access_key_id: 'AKIAEXAMPLE',
    };
    const line = log({ details: kept, resource: '/list?nextToken=abc&tokenCount=2' });
    expect(line.details).toEqual(kept);
    expect(line.resource).toBe('/list?nextToken=abc&tokenCount=2');
  });

  it('never censors names on the user allow-list, compared in normalised form', () => {
    const { log } = setup({ redactAllow: ['csrf_token', 'X-CSRF-Token'] });
    const line = log({
      details: { csrfToken: 'c1', 'X-CSRF-Token': 'c2', sessionToken: 'CANARY' },
    });
    expect(line.details).toEqual({ csrfToken: 'c1', 'X-CSRF-Token': 'c2', sessionToken: REDACTED });
  });

  it('matches user-added names by meaning too', () => {
    const { log } = setup({ redact: ['iban'] });
    const line = log({ details: { customerIban: 'CANARY1', iban_valid: true, IBAN2: 'CANARY2' } });
    expect(line.details).toEqual({ customerIban: REDACTED, iban_valid: true, IBAN2: REDACTED });
  });
});
