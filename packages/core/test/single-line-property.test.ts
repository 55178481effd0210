import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { findDuplicateKey } from '@auditline/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// SPEC §4.6 and issue #2: for at least 10,000 arbitrary strings, keys and
// nested values, every call writes exactly one line, JSON.parse accepts it, the
// required fields are intact and typed, no key appears twice at any depth, and
// log() never throws.

const RUNS = 10_000;

/** One "unit" of text: any code point, a lone surrogate, or a character that breaks naive writers. */
const hostileChar = fc.oneof(
  {
    weight: 6,
    // Any code point but a half surrogate. (fc.string({ unit: 'binary' }) as a unit cost
    // over a second of set-up: it builds a reverse map of the whole code space.)
    arbitrary: fc
      .integer({ min: 0, max: 0x10ffff })
      .filter((c) => c < 0xd800 || c > 0xdfff)
      .map((c) => String.fromCodePoint(c)),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\n',
      '\r',
      '\u001b',
      '\u0000',
      '\u2028',
      '\u2029',
      '"',
      '\\',
      '=',
      '?',
      '&',
      '#',
    ),
  },
);
const hostileString = fc.string({ unit: hostileChar, maxLength: 24 });
const hostileKey = fc.oneof(
  hostileString,
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toJSON',
    'level',
    'timestamp',
    'audit',
    'seq',
    'service',
    'instance',
    'hash',
    '_aws',
    'password',
    'Authorization',
    'validation_errors',
    'unexpected_fields',
    '[truncated_keys]',
    'statusCode',
    'duration_ms',
    'error',
    'reason',
    'mfa_used',
  ),
);
const anything = fc.anything({
  key: hostileKey,
  maxDepth: 3,
  maxKeys: 5,
  withBigInt: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withDate: true,
  withBoxedValues: true,
  withObjectString: true,
  withSparseArray: true,
  withUnicodeString: true,
  stringUnit: hostileChar,
});

/** Objects fc.anything never makes: throwing getters and traps, lying toJSON, spoofed typed arrays, cycles. */
// One Error, thrown again and again: capturing a stack per throw cost seconds over 10,000 runs.
const TRAP = new Error('trap');
const trap = (): never => {
  throw TRAP;
};
const weird = fc
  .constantFrom(
    () => ({
      ok: 1,
      get bad(): never {
        return trap();
      },
    }),
    () => ({ toJSON: trap }),
    () => {
      const self: Record<string, unknown> = { a: 1 };
      self.toJSON = () => self;
      return self;
    },
    () => new Proxy({}, { ownKeys: trap, get: trap, getPrototypeOf: trap }),
    () => new Proxy([1, 2], { get: trap }),
    () => {
      const u8 = new Uint8Array(3);
      Object.defineProperty(u8, 'constructor', { value: { name: '"}\n{"x":"' } });
      return u8;
    },
    () => {
      const loop: Record<string, unknown> = {};
      loop.loop = loop;
      return new Map<unknown, unknown>([
        [loop, loop],
        [{ toString: trap }, 1],
      ]);
    },
    () => Object.assign(new Error('e\n?token=x'), { code: '"c"' }),
    () =>
      new (class Dto {
        id = 1;
        get computed(): number {
          return 2;
        }
      })(),
  )
  .map((make) => make() as unknown);
const value = fc.oneof({ weight: 6, arbitrary: anything }, { weight: 1, arbitrary: weird });

/** Params that are mostly plausible, often invalid, sometimes not params at all. */
const params = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        action: fc.oneof(fc.constantFrom('LOGIN', 'DELETE', 'EXPORT_REPORT'), hostileString),
        resource: fc.oneof(hostileString, fc.constant('/orders/1?token=abc')),
        status: fc.oneof(fc.constantFrom('SUCCESS', 'FAILED'), hostileString),
        user_id: hostileString,
        traceId: fc.oneof(fc.uuid(), hostileString),
        method: hostileString,
        path: hostileString,
        ip_address: fc.oneof(fc.ipV4(), fc.ipV6(), hostileString),
        user_agent: hostileString,
        details: fc.oneof(
          fc.dictionary(hostileKey, value, { maxKeys: 6 }),
          value,
          fc.constant(null),
        ),
        seq: anything,
        level: anything,
        _aws: anything,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: anything },
);
const bindings = fc.dictionary(hostileKey, value, { maxKeys: 4 });

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const REQUIRED_STRINGS = ['traceId', 'user_id', 'action', 'resource', 'status'] as const;

interface Line {
  level: unknown;
  audit: unknown;
  timestamp: unknown;
  service: unknown;
  instance: unknown;
  seq: unknown;
  traceId: unknown;
  user_id: unknown;
  action: unknown;
  resource: unknown;
  status: unknown;
  details: unknown;
}

describe('one line per call, for arbitrary input (property, SPEC §4.6)', () => {
  it('finds duplicate keys at any depth, decoded', () => {
    expect(findDuplicateKey('{"a":1,"b":{"c":[{"d":1,"d":2}]}}')).toBe('b/c/[]/d');
    expect(findDuplicateKey('{"a":1,"\\u0061":2}')).toBe('a');
    expect(
      findDuplicateKey('{"a":{"x":1},"b":{"x":1},"s":"{\\"a\\":1,\\"a\\":2}"}'),
    ).toBeUndefined();
  });

  it(`writes exactly one valid, complete line without duplicate keys (${RUNS} runs)`, () => {
    // Prepare: one logger, a child per run with arbitrary bindings.
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json', service: 'prop' });
    let lastSeq = (JSON.parse(sink.lines[0] as string) as { seq: number }).seq;

    // Plain checks instead of expect(): 10,000 runs × 20 expect() calls cost seconds.
    const check = (ok: boolean, what: string, raw?: string): void => {
      if (!ok) throw new Error(`${what}${raw === undefined ? '' : `\nline: ${raw}`}`);
    };
    fc.assert(
      fc.property(params, fc.option(bindings), (input, bound) => {
        sink.clear();
        const logger = bound ? audit.child(bound) : audit;
        // Act: must not throw.
        logger.log(input as never);
        // Assess
        check(sink.lines.length === 1, `wrote ${sink.lines.length} lines`);
        const raw = sink.lines[0] as string;
        check(raw.endsWith('}\n'), 'line does not end with }\\n', raw);
        check(!/[\n\r\u2028\u2029]/.test(raw.slice(0, -1)), 'raw line break inside the line', raw);
        const line = JSON.parse(raw) as Line;
        check(line.level === 'info' && line.audit === true, 'level/audit', raw);
        check(
          typeof line.timestamp === 'string' && TIMESTAMP.test(line.timestamp),
          'timestamp',
          raw,
        );
        check(line.service === 'prop' && line.instance === audit.instance, 'service/instance', raw);
        check(line.seq === ++lastSeq, `seq ${String(line.seq)} after ${lastSeq - 1}`, raw);
        for (const field of REQUIRED_STRINGS) {
          const value = line[field];
          check(
            typeof value === 'string' && value.length > 0,
            `${field} not a non-empty string`,
            raw,
          );
        }
        check(TRACE_ID.test(line.traceId as string), 'traceId written raw', raw);
        check(
          line.details === null ||
            (typeof line.details === 'object' && !Array.isArray(line.details)),
          'details neither object nor null',
          raw,
        );
        const duplicate = findDuplicateKey(raw);
        check(duplicate === undefined, `duplicate key ${duplicate}`, raw);
        check(({} as Record<string, unknown>).polluted === undefined, 'prototype polluted');
      }),
      { numRuns: RUNS },
    );
  });
});
