import { type AuditLoggerOptions, createAuditLogger } from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.6: every log() call writes exactly one line that JSON.parse accepts,
// nothing throws out of log(), and odd values follow fixed rules. Each test
// asserts on the raw line as well as on the parsed entry.

const BASE = { action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' } as const;

function setup(options: Partial<AuditLoggerOptions> = {}) {
  const sink = createMemorySink();
  const audit = createAuditLogger({ destination: sink, format: 'json', ...options });
  sink.clear(); // drop AUDIT_START
  return { sink, audit };
}

/** Logs one entry and returns its raw line and parsed `details`. */
function logOne(
  sink: MemorySink,
  log: () => unknown,
): { raw: string; details: Record<string, unknown> } {
  const before = sink.lines.length;
  log();
  expect(sink.lines.length).toBe(before + 1);
  const raw = sink.lines[before] as string;
  const parsed = JSON.parse(raw) as { details: Record<string, unknown> };
  return { raw, details: parsed.details };
}

function nestingOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, nestingOf(child));
  return deepest + 1;
}

describe('hostile and odd values in details (SPEC §4.6)', () => {
  it('writes a circular reference as "[Circular]", keeping its siblings', () => {
    // Prepare
    const { sink, audit } = setup();
    const loop: Record<string, unknown> = { name: 'a' };
    loop.self = loop;
    const list: unknown[] = [1];
    list.push(list);
    // Act
    const { raw, details } = logOne(sink, () =>
      audit.log({ ...BASE, details: { loop, list, shared: [loop, loop] } }),
    );
    // Assess: a repeated (non-circular) reference is not a cycle: it was written
    // once (under `loop`) and is then marked, so shared references cannot
    // multiply the work (SPEC §4.6 as amended by issue #13).
    expect(details.loop).toEqual({ name: 'a', self: '[Circular]' });
    expect(details.list).toEqual([1, '[Circular]']);
    expect(details.shared).toEqual(['[Shared]', '[Shared]']);
    expect(raw).toContain('"self":"[Circular]"');
  });

  it('writes a BigInt as its decimal string, at any depth and in arrays', () => {
    const { sink, audit } = setup();
    const huge = 2n ** 100n;
    const { raw, details } = logOne(sink, () =>
      audit.log({ ...BASE, details: { n: huge, nested: { m: -7n }, list: [1n] } }),
    );
    expect(details).toEqual({
      n: '1267650600228229401496703205376',
      nested: { m: '-7' },
      list: ['1'],
    });
    expect(raw).toContain('"n":"1267650600228229401496703205376"');
  });

  it('writes an Error anywhere as {name, message, code}, without stack by default', () => {
    const { sink, audit } = setup();
    const coded = Object.assign(new TypeError('bad input'), { code: 'E_BAD', secretField: 's3' });
    const { raw, details } = logOne(sink, () =>
      audit.log({
        ...BASE,
        details: { error: coded, deep: { list: [new RangeError('too far')] } },
      }),
    );
    expect(details.error).toEqual({ name: 'TypeError', message: 'bad input', code: 'E_BAD' });
    expect(details.deep).toEqual({ list: [{ name: 'RangeError', message: 'too far' }] });
    // The stack reveals file paths; other own fields may hold anything.
    expect(raw).not.toContain('stack');
    expect(raw).not.toContain('at ');
    expect(raw).not.toContain('s3');
  });

  it('adds the stack only with errorStack: true, still on one line', () => {
    const { sink, audit } = setup({ errorStack: true });
    const { raw, details } = logOne(sink, () =>
      audit.log({ ...BASE, details: { error: new Error('boom') } }),
    );
    const error = details.error as { stack?: string };
    expect(error.stack).toContain('boom');
    expect(error.stack).toContain('\n    at ');
    expect(raw.indexOf('\n')).toBe(raw.length - 1);
  });

  it('writes an Error given as details itself as {name, message, code}', () => {
    const { sink, audit } = setup();
    const { details } = logOne(sink, () =>
      audit.log({ ...BASE, details: Object.assign(new Error('whole'), { code: 42 }) as never }),
    );
    expect(details).toEqual({ name: 'Error', message: 'whole', code: 42 });
  });

  it('writes a Buffer or typed array as "[Buffer N bytes]" and never its bytes', () => {
    // Prepare: bytes that spell a canary, as text and as numbers.
    const { sink, audit } = setup();
    const bytes = Buffer.from('CANARYBYTES');
    // Act
    const nested = logOne(sink, () =>
      audit.log({
        ...BASE,
        details: {
          body: bytes,
          list: [bytes],
          u8: new Uint8Array([1, 2, 3]),
          ab: new ArrayBuffer(5),
        },
      }),
    );
    const root = logOne(sink, () => audit.log({ ...BASE, details: bytes as never }));
    // Assess
    expect(nested.details).toEqual({
      body: '[Buffer 11 bytes]',
      list: ['[Buffer 11 bytes]'],
      u8: '[Uint8Array 3 bytes]',
      ab: '[ArrayBuffer 5 bytes]',
    });
    expect(root.details).toEqual({ value: '[Buffer 11 bytes]' });
    for (const raw of [nested.raw, root.raw]) {
      expect(raw).not.toContain('CANARYBYTES');
      expect(raw).not.toContain('Q0FOQVJZ'); // base64 of the canary
      expect(raw).not.toContain('67,65,78'); // its bytes as numbers
      expect(raw).not.toContain('"data"');
    }
  });

  it('keeps the line valid when a typed array spoofs its constructor name or length', () => {
    // Both are own properties an attacker-shaped object can set to any text.
    const { sink, audit } = setup();
    const u8 = new Uint8Array(2);
    Object.defineProperty(u8, 'constructor', { value: { name: '"}\n{"forged":true' } });
    const buf = Buffer.from('ab');
    Object.defineProperty(buf, 'length', { value: '"},"x":"' });
    const { raw, details } = logOne(sink, () => audit.log({ ...BASE, details: { u8, buf } }));
    expect(raw.slice(0, -1)).not.toContain('\n');
    expect(details).toEqual({
      u8: '["}\n{"forged":true 2 bytes]',
      buf: '[Buffer "},"x":" bytes]',
    });
  });

  it('writes a Map as an object and a Set as an array, nested or as details', () => {
    const { sink, audit } = setup();
    const map = new Map<unknown, unknown>([
      ['a', 1],
      [2, new Set(['x', 'y'])],
    ]);
    const nested = logOne(sink, () =>
      audit.log({ ...BASE, details: { map, set: new Set([1, { b: 2 }]) } }),
    );
    const asRoot = logOne(sink, () => audit.log({ ...BASE, details: map as never }));
    expect(nested.details).toEqual({ map: { a: 1, '2': ['x', 'y'] }, set: [1, { b: 2 }] });
    expect(asRoot.details).toEqual({ a: 1, '2': ['x', 'y'] });
  });

  it('writes NaN and ±Infinity as null (documented; JSON has no such numbers)', () => {
    const { sink, audit } = setup();
    const { raw, details } = logOne(sink, () =>
      audit.log({
        ...BASE,
        details: {
          nan: Number.NaN,
          inf: Number.POSITIVE_INFINITY,
          list: [Number.NEGATIVE_INFINITY],
        },
      }),
    );
    expect(details).toEqual({ nan: null, inf: null, list: [null] });
    expect(raw).not.toMatch(/NaN|Infinity/);
  });

  it('replaces only the field whose getter or toJSON throws with "[Unserializable]"', () => {
    const { sink, audit } = setup();
    const getter = {
      ok: 1,
      get bad(): never {
        throw new Error('getter');
      },
    };
    const badJson = {
      toJSON(): never {
        throw new Error('toJSON');
      },
    };
    const { details } = logOne(sink, () =>
      audit.log({ ...BASE, details: { getter, badJson, list: [badJson, 2], after: 'kept' } }),
    );
    expect(details).toEqual({
      getter: { ok: 1, bad: '[Unserializable]' },
      badJson: '[Unserializable]',
      list: ['[Unserializable]', 2],
      after: 'kept',
    });
  });

  it('calls toJSON once per value, so a toJSON returning itself or a fresh object cannot recurse', () => {
    const { sink, audit } = setup();
    const self = {
      a: 1,
      toJSON() {
        return self;
      },
    };
    let calls = 0;
    const fresh = (): object => ({
      b: 2,
      toJSON() {
        calls++;
        return fresh();
      },
    });
    const { details } = logOne(sink, () =>
      audit.log({ ...BASE, details: { self, fresh: fresh(), when: new Date(0) } }),
    );
    expect(details).toEqual({ self: { a: 1 }, fresh: { b: 2 }, when: '1970-01-01T00:00:00.000Z' });
    expect(calls).toBe(1);
  });

  it('throws nothing out of log() for throwing getters or Proxy traps on params', () => {
    const { sink, audit } = setup();
    const getterParams = {
      get action(): never {
        throw new Error('action getter');
      },
      resource: '/r',
      status: 'SUCCESS',
    };
    const trapParams = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('ownKeys');
        },
        get: () => {
          throw new Error('get');
        },
      },
    );
    const detailsTrap = {
      ...BASE,
      details: {
        statusCode: 'x',
        get boom(): never {
          throw new Error('b');
        },
      },
    };
    const a = logOne(sink, () => audit.log(getterParams as never));
    const b = logOne(sink, () => audit.log(trapParams as never));
    const c = logOne(sink, () => audit.log(detailsTrap as never));
    expect(a.details.validation_errors).toBeDefined();
    expect(b.details).toMatchObject({ invalid_params: '[Unserializable]' });
    expect(c.details).toMatchObject({ statusCode: 'x', boom: '[Unserializable]' });
  });

  // Each param is read once (validate.ts readValidParams) and that value is what
  // gets written; a getter that changes its answer on a later read could otherwise
  // inject a raw `"` and newline: a forged second line.
  it('keeps one line when a param getter changes its value after validation', () => {
    const { sink, audit } = setup();
    let reads = 0;
    const forged = { length: 1, charCodeAt: () => 65, toString: () => '"}\n{"forged":true' };
    const params = {
      get action(): unknown {
        return reads++ < 2 ? 'READ' : forged;
      },
      resource: '/r',
      status: 'SUCCESS',
    };
    const { raw } = logOne(sink, () => audit.log(params as never));
    expect(raw.slice(0, -1)).not.toContain('\n');
  });

  it('caps depth at 8 with a "[Depth limit]" marker', () => {
    // Prepare: 20 levels of nesting.
    const { sink, audit } = setup();
    let deep: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    // Act
    const { raw, details } = logOne(sink, () => audit.log({ ...BASE, details: deep }));
    // Assess: details + 8 levels of objects, the 9th is the marker.
    expect(raw).toContain('"[Depth limit]"');
    expect(raw).not.toContain('bottom');
    expect(nestingOf(details)).toBe(9);
    let cursor: unknown = details;
    for (let i = 0; i < 9; i++) cursor = (cursor as { next: unknown }).next;
    expect(cursor).toBe('[Depth limit]');
  });

  it('caps keys per object at 256 and items per array at 1,000, with markers', () => {
    const { sink, audit } = setup({ maxEntryBytes: 262_000 });
    const wide = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]));
    const long = Array.from({ length: 1_500 }, (_, i) => i);
    const big = new Set(Array.from({ length: 1_200 }, (_, i) => i));
    const { details } = logOne(sink, () => audit.log({ ...BASE, details: { wide, long, big } }));
    const writtenWide = details.wide as Record<string, unknown>;
    expect(Object.keys(writtenWide)).toHaveLength(257);
    expect(writtenWide['[truncated_keys]']).toBe(44);
    expect(writtenWide.k255).toBe(255);
    expect(writtenWide.k256).toBeUndefined();
    expect(details.long).toHaveLength(1_001);
    expect((details.long as unknown[])[1_000]).toBe('[500 more items]');
    expect((details.big as unknown[])[1_000]).toBe('[200 more items]');
  });

  it('never lets the key-cap marker duplicate a user key of the same name', () => {
    const { sink, audit } = setup({ maxEntryBytes: 262_000 });
    const wide: Record<string, unknown> = { '[truncated_keys]': 'mine' };
    for (let i = 0; i < 300; i++) wide[`k${i}`] = i;
    const { raw, details } = logOne(sink, () => audit.log({ ...BASE, details: wide }));
    expect(details['[truncated_keys]']).toBe('mine');
    expect(raw.split('"[truncated_keys]"')).toHaveLength(2);
  });

  it('drops __proto__, constructor and prototype keys, and pollutes no prototype', () => {
    // Prepare: the way attackers deliver these keys, through JSON.parse.
    const { sink, audit } = setup();
    const hostile = JSON.parse(
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},"ok":1,"nested":{"__proto__":{"polluted":"yes"}}}',
    ) as Record<string, unknown>;
    const map = new Map([['__proto__', { polluted: 'yes' }]]);
    // Act
    const { raw } = logOne(sink, () => audit.log({ ...BASE, details: { ...hostile, map } }));
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    // Downstream code often deep-merges parsed lines: do it naively.
    const merge = (target: Record<string, unknown>, source: Record<string, unknown>): void => {
      for (const key of Object.keys(source)) {
        const value = source[key];
        if (typeof value === 'object' && value !== null) {
          if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
          merge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
        } else target[key] = value;
      }
    };
    merge({}, parsed);
    Object.assign({}, parsed, parsed.details);
    // Assess
    expect(raw).not.toMatch(/"__proto__"|"constructor"|"prototype"|polluted/);
    expect((parsed.details as Record<string, unknown>).ok).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('keeps \\n, \\r, ESC, NUL, U+2028 and U+2029 escaped inside the one line', () => {
    const { sink, audit } = setup();
    const nasty = 'a\nb\rc\u001bd\u0000e\u2028f\u2029g';
    const { raw, details } = logOne(sink, () =>
      audit.log({
        ...BASE,
        resource: `/r/${nasty}`,
        user_agent: nasty,
        details: { [nasty]: nasty, list: [nasty] },
      }),
    );
    // Assess: the only raw line break is the final newline; every odd character is escaped.
    expect(raw.endsWith('}\n')).toBe(true);
    expect(raw.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029\u0000\u001b]/);
    expect(raw).toContain('\\n');
    expect(raw).toContain('\\r');
    expect(raw).toContain('\\u001b');
    expect(raw).toContain('\\u0000');
    expect(raw).toContain('\\u2028');
    expect(raw).toContain('\\u2029');
    expect(details[nasty]).toBe(nasty);
    expect(details.list).toEqual([nasty]);
    expect((JSON.parse(raw) as { user_agent: string }).user_agent).toBe(nasty);
  });

  // The logger no longer rescans whole lines for U+2028/U+2029 (issue #6): every
  // path that puts text in a line must escape them itself.
  it('escapes U+2028/U+2029 on every path: bindings, many keys, the size guard, a plugin', () => {
    const sep = 'x\u2028y\u2029z';
    const manyKeys = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`${sep}${i}`, sep]));
    const { sink, audit } = setup({
      maxEntryBytes: 16_384,
      plugins: [
        {
          name: 'separator-plugin',
          reservedKeys: ['plugin_note'],
          setup: () => ({ fragment: () => `,"plugin_note":"${sep}"` }),
        },
      ],
    });
    const child = audit.child({ component: sep });
    const lines = [
      logOne(sink, () => child.log({ ...BASE, details: { note: sep } })).raw,
      logOne(sink, () => audit.log({ ...BASE, details: manyKeys })).raw,
      logOne(sink, () => audit.log({ ...BASE, details: { big: sep.repeat(5000), keep: sep } })).raw,
    ];
    const trimmed = JSON.parse(lines[2] as string) as { truncated?: boolean };
    expect(trimmed.truncated).toBe(true);
    for (const raw of lines) {
      expect(raw.slice(0, -1)).not.toMatch(/[\u2028\u2029]/);
      expect(raw).toContain('\\u2028');
    }
  });

  it('keeps lone surrogates as escapes, so the line is valid UTF-8 JSON', () => {
    const { sink, audit } = setup();
    const lone = 'x\ud800y\udfffz';
    const { raw, details } = logOne(sink, () => audit.log({ ...BASE, details: { [lone]: lone } }));
    expect(raw).toContain('\\ud800');
    expect(Buffer.from(raw, 'utf8').toString('utf8')).toBe(raw);
    expect(details[lone]).toBe(lone);
  });

  it('unboxes boxed primitives, as JSON.stringify does', () => {
    const { sink, audit } = setup();
    const { details } = logOne(sink, () =>
      audit.log({
        ...BASE,
        details: { s: new String('ab'), n: new Number(3), b: new Boolean(false), big: Object(5n) },
      }),
    );
    expect(details).toEqual({ s: 'ab', n: 3, b: false, big: '5' });
  });

  it('skips undefined, functions and symbols in objects, and writes null for them in arrays', () => {
    const { sink, audit } = setup();
    const { details } = logOne(sink, () =>
      audit.log({
        ...BASE,
        details: {
          u: undefined,
          f: () => 1,
          s: Symbol('x'),
          list: [undefined, () => 1, Symbol('y')],
        },
      }),
    );
    expect(details).toEqual({ list: [null, null, null] });
  });
});
