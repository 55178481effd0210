import {
  type AuditLogger,
  type AuditLoggerOptions,
  createAuditLogger,
  DEFAULT_REDACT_KEYS,
  REDACTED,
  runWithAuditContext,
} from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// SPEC §6: secrets are censored at any depth, in any letter case, in arrays,
// in URL query strings and in Buffers. Every secret below is a unique canary;
// the test searches the raw output for each of them, like `grep` would.

const BASE = { action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' } as const;

let counter = 0;
/** Unique by construction; the trailing Z keeps CNRY1Z from matching inside CNRY11Z. */
function canary(): string {
  return `CNRY${++counter}Z`;
}

/** lower, UPPER, Title, aLtErNaTe, and the first letter of each segment upper (`Set-Cookie`). */
function letterCases(key: string): string[] {
  const alternate = [...key].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
  const segments = key.replace(
    /(^|[-_])([a-z])/g,
    (_m, sep: string, c: string) => sep + c.toUpperCase(),
  );
  const title = key.charAt(0).toUpperCase() + key.slice(1);
  return [...new Set([key, key.toUpperCase(), title, alternate, segments])];
}

/** `{ l1: { l2: … { [key]: value } } }` with the key at `depth` (1 = directly in details). */
function nestAt(depth: number, key: string, value: unknown): Record<string, unknown> {
  let node: Record<string, unknown> = { [key]: value };
  for (let level = depth - 1; level >= 1; level--) node = { [`l${level}`]: node };
  return node;
}

function setup(options: Partial<AuditLoggerOptions> = {}): {
  sink: MemorySink;
  audit: AuditLogger;
} {
  const sink = createMemorySink();
  return { sink, audit: createAuditLogger({ destination: sink, format: 'json', ...options }) };
}

function leaked(sink: MemorySink, canaries: readonly string[]): string[] {
  const output = sink.lines.join('');
  return canaries.filter((c) => output.includes(c));
}

describe('canary corpus: no secret reaches the output (SPEC §6)', () => {
  it('censors every default key, in every letter case, at every depth 1..8', () => {
    // Prepare
    const { sink, audit } = setup({ maxEntryBytes: 262_000 });
    const planted: string[] = [];
    // Act
    const spelled = ['PassWord', 'Set-Cookie', 'X-Api-Key', 'Access_Token', 'cLiEnT_sEcReT'];
    for (const key of [...DEFAULT_REDACT_KEYS, ...spelled]) {
      for (const variant of letterCases(key)) {
        const details: Record<string, unknown> = {};
        for (let depth = 1; depth <= 8; depth++) {
          const secret = canary();
          planted.push(secret);
          details[`d${depth}`] = nestAt(depth, variant, secret);
        }
        audit.log({ ...BASE, details });
      }
    }
    // Assess: nothing leaked, and the censor is really there (not a dropped entry).
    expect(planted.length).toBeGreaterThan(18 * 3 * 8);
    expect(leaked(sink, planted)).toEqual([]);
    const last = sink.events().at(-1)?.details as Record<string, unknown>;
    expect(JSON.stringify(last)).toContain(REDACTED);
    expect(sink.events()).toHaveLength(planted.length / 8);
  });

  it('censors objects and arrays held under a sensitive key whole', () => {
    const { sink, audit } = setup();
    const planted = [canary(), canary(), canary()];
    audit.log({
      ...BASE,
      details: { Password: { value: planted[0] }, TOKEN: [planted[1], { x: planted[2] }] },
    });
    expect(leaked(sink, planted)).toEqual([]);
    expect(sink.events()[0]?.details).toEqual({ Password: REDACTED, TOKEN: REDACTED });
  });

  it('censors inside arrays, arrays of arrays, Sets and Maps', () => {
    const { sink, audit } = setup();
    const planted = Array.from({ length: 7 }, canary);
    audit.log({
      ...BASE,
      details: {
        list: [{ password: planted[0] }],
        grid: [[{ 'X-API-KEY': planted[1] }], [[{ Secret: planted[2] }]]],
        set: new Set([{ cvv: planted[3] }]),
        map: new Map<string, unknown>([
          ['Authorization', planted[4]],
          ['inner', new Map([['set-cookie', planted[5]]])],
        ]),
        mapInList: [new Map([['SSN', planted[6]]])],
      },
    });
    expect(leaked(sink, planted)).toEqual([]);
    const details = sink.events()[0]?.details as Record<string, unknown>;
    expect(details.map).toEqual({ Authorization: REDACTED, inner: { 'set-cookie': REDACTED } });
    expect(details.grid).toEqual([[{ 'X-API-KEY': REDACTED }], [[{ Secret: REDACTED }]]]);
  });

  it('never writes Buffer bytes, under any key', () => {
    const { sink, audit } = setup();
    const planted = [canary(), canary(), canary()];
    audit.log({
      ...BASE,
      details: {
        body: Buffer.from(planted[0] as string),
        nested: { list: [Buffer.from(planted[1] as string)] },
        u8: new TextEncoder().encode(planted[2]),
      },
    });
    expect(leaked(sink, planted)).toEqual([]);
    // Nor their base64 or hex forms.
    const output = sink.lines.join('');
    for (const secret of planted) {
      expect(output).not.toContain(Buffer.from(secret).toString('base64').slice(0, 8));
      expect(output).not.toContain(Buffer.from(secret).toString('hex'));
    }
  });

  it('censors sensitive query parameters in resource, path, details strings and Error messages', () => {
    const { sink, audit } = setup();
    const planted: string[] = [];
    const query = (key: string): string => {
      const secret = canary();
      planted.push(secret);
      return `${key}=${secret}`;
    };
    for (const key of DEFAULT_REDACT_KEYS) {
      for (const variant of letterCases(key)) {
        audit.log({
          ...BASE,
          resource: `/a?page=2&${query(variant)}`,
          path: `/b?${query(variant)}&page=2`,
          details: {
            url: `https://example.test/c?x=1;${query(variant)}#top`,
            fragment: `/cb#${query(variant)}&state=1`,
            nested: [`see /d?${query(variant)}`],
            error: new Error(`GET /e?${query(variant)} failed`),
          },
        });
      }
    }
    expect(leaked(sink, planted)).toEqual([]);
    const first = sink.events()[0];
    expect(first?.resource).toBe(`/a?page=2&password=${REDACTED}`);
    expect(first?.path).toBe(`/b?password=${REDACTED}&page=2`);
  });

  it('censors query secrets taken from the request context, nested params and quoted values', () => {
    const { sink, audit } = setup();
    const planted = Array.from({ length: 4 }, canary);
    runWithAuditContext({ traceId: 't-1', path: `/ctx?access_token=${planted[0]}` }, () => {
      audit.log({
        ...BASE,
        resource: `/f?user[password]=${planted[1]}`,
        details: { q: `/g?token=x"${planted[2]}`, h: `/h?Refresh_Token=${planted[3]}` },
      });
    });
    expect(leaked(sink, planted)).toEqual([]);
    expect(sink.events()[0]?.path).toBe(`/ctx?access_token=${REDACTED}`);
  });

  it('censors secrets in child bindings, unexpected top-level fields and invalid params', () => {
    const { sink, audit } = setup();
    const planted = Array.from({ length: 5 }, canary);
    audit.child({ Authorization: planted[0], ctx: { apiKey: planted[1] } }).log({ ...BASE });
    audit.log({ ...BASE, password: planted[2] } as never);
    audit.log(`/login?token=${planted[3]}` as never);
    audit.log({
      ...BASE,
      status: 'NOPE',
      details: { statusCode: 'x', secret: planted[4] },
    } as never);
    expect(sink.events()).toHaveLength(4);
    expect(leaked(sink, planted)).toEqual([]);
    expect(sink.events()[1]?.details).toMatchObject({ unexpected_fields: { password: REDACTED } });
  });

  it('censors user-added keys (any case, any depth) and dotted paths, with * matching keys and indices', () => {
    // Prepare
    const { sink, audit } = setup({ redact: ['iban', 'customer.*.email'] });
    const planted = Array.from({ length: 6 }, canary);
    // Act
    audit.log({
      ...BASE,
      resource: `/pay?IBAN=${planted[0]}`,
      details: {
        IBAN: planted[1],
        deep: { list: [{ Iban: planted[2] }] },
        customer: { c1: { email: planted[3] }, c2: { EMAIL: planted[4], name: 'kept' } },
        customers: [{ email: 'public@example.test' }],
      },
    });
    audit.log({ ...BASE, details: { customer: [{ email: planted[5] }] } });
    // Assess: the path censors only where it points.
    expect(leaked(sink, planted)).toEqual([]);
    const [first, second] = sink.events();
    expect(first?.details).toMatchObject({
      customer: { c1: { email: REDACTED }, c2: { EMAIL: REDACTED, name: 'kept' } },
      customers: [{ email: 'public@example.test' }],
    });
    expect(second?.details).toEqual({ customer: [{ email: REDACTED }] });
  });

  it('censors a secret placed anywhere by a random path of objects, arrays, Maps and Sets (2,000 runs)', () => {
    // Prepare: one sensitive key in random letter case, under a random chain of containers.
    const { sink, audit } = setup();
    const container = fc.constantFrom('object', 'array', 'map', 'set', 'arrayOfArrays');
    const sensitiveKey = fc
      .tuple(
        fc.constantFrom(...DEFAULT_REDACT_KEYS),
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
      )
      .map(([key, upper]) => [...key].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
    const placement = fc.record({
      path: fc.array(fc.tuple(container, fc.string({ maxLength: 6 })), {
        minLength: 0,
        maxLength: 7,
      }),
      key: sensitiveKey,
      siblings: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), {
        maxKeys: 3,
      }),
    });
    // Act and assess
    fc.assert(
      fc.property(placement, ({ path, key, siblings }) => {
        sink.clear();
        const secret = canary();
        let node: unknown = { ...siblings, [key]: secret };
        for (const [kind, name] of [...path].reverse()) {
          if (kind === 'object') node = { [name || 'k']: node };
          else if (kind === 'array') node = [1, node];
          else if (kind === 'arrayOfArrays') node = [[node]];
          else if (kind === 'map') node = new Map([[name || 'k', node]]);
          else node = new Set([node]);
        }
        audit.log({ ...BASE, details: { root: node } });
        expect(sink.lines).toHaveLength(1);
        expect(sink.lines[0]).not.toContain(secret);
      }),
      { numRuns: 2_000 },
    );
  });

  it('drops query strings and fragments entirely with stripQueryStrings: true', () => {
    const { sink, audit } = setup({ stripQueryStrings: true });
    const planted = [canary(), canary(), canary()];
    runWithAuditContext({ path: `/ctx?session=${planted[0]}` }, () => {
      audit.log({ ...BASE, resource: `/orders/1?id=${planted[1]}#frag`, path: `/p#${planted[2]}` });
    });
    expect(leaked(sink, planted)).toEqual([]);
    const entry = sink.events()[0];
    expect(entry?.resource).toBe('/orders/1');
    expect(entry?.path).toBe('/p');
  });

  it('leaves values that only look alike untouched (no over-eager censoring)', () => {
    const { sink, audit } = setup();
    audit.log({
      ...BASE,
      resource: '/tokens?page=2&mytoken_count=3',
      details: { tokenizer: 'ok', password_policy_version: 4, note: 'password rotated' },
    });
    const entry = sink.events()[0];
    expect(entry?.resource).toBe('/tokens?page=2&mytoken_count=3');
    expect(entry?.details).toEqual({
      tokenizer: 'ok',
      password_policy_version: 4,
      note: 'password rotated',
    });
  });
});
