import { auditParamsSchema, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// SPEC §4.3 and issue #2: log() skips zod when a hand-written check says the
// params are valid (zod costs 1.0–1.5 µs). That check may never accept what
// zod rejects. Observable through the public API: a line carries
// details.validation_errors exactly when auditParamsSchema.safeParse fails.

const RUNS = 10_000;

const chars = (n: number, c = 'x'): string => c.repeat(n);
/** A value of the wrong type for any field. */
const wrongType = fc.constantFrom<unknown>(null, 0, 1.5, true, [], {}, Symbol.for('s'), 10n);
/** Optional string fields: absent, explicitly undefined, at and around their bounds, or mistyped. */
const optionalText = (min: number, max: number) =>
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(chars(min), chars(max), chars(max + 1), min > 0 ? '' : chars(1)),
    fc.string({ maxLength: 20 }),
    wrongType,
  );

const action = fc.oneof(
  fc.constantFrom('CREATE', 'READ', 'ACCESS_DENIED', 'AUDIT_START', 'X', `A${chars(63, 'B')}`),
  fc.constantFrom(
    `A${chars(64, 'B')}`,
    'login',
    'LOGIN\n',
    ' LOGIN',
    'LOG-IN',
    '1LOGIN',
    '',
    'LOGİN',
  ),
  fc.stringMatching(/^[A-Z][A-Z0-9_]{0,70}$/),
  wrongType,
);
const resource = fc.oneof(
  fc.constantFrom('/', '/orders/1', chars(1_024), chars(1_025), ''),
  fc.string({ maxLength: 30 }),
  wrongType,
);
const status = fc.oneof(fc.constantFrom('SUCCESS', 'FAILED', 'success', 'FAILURE', ''), wrongType);
const traceId = fc.oneof(
  fc.constant(undefined),
  fc.uuid(),
  fc.constantFrom(chars(128, 'a'), chars(129, 'a'), '', 'a b', 'a/b', 'Root=1-abc:def.ghi_-', 'ü'),
  fc.string({ maxLength: 10 }),
  wrongType,
);
const ipAddress = fc.oneof(
  fc.constant(undefined),
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom(
    '::ffff:10.0.0.1',
    'fe80::1%eth0',
    `fe80::1%${chars(60)}`,
    '999.0.0.1',
    '1.2.3',
    ' 1.2.3.4',
    '',
  ),
  wrongType,
);
const numberish = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    2 ** 53,
    -(2 ** 53),
    2 ** 53 - 1,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e21,
    200,
  ),
  fc.constantFrom<unknown>('200', null, true, 5n),
);
const reservedDetail = fc.record(
  {
    statusCode: numberish,
    duration_ms: numberish,
    error: fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.constantFrom<unknown>(
        new Error('e'),
        new TypeError('t'),
        { message: 'not an Error' },
        null,
      ),
    ),
    reason: fc.oneof(fc.string({ maxLength: 5 }), wrongType),
    mfa_used: fc.oneof(fc.boolean(), fc.constantFrom<unknown>('true', 0, null)),
    orderId: fc.string({ maxLength: 5 }),
  },
  { requiredKeys: [] },
);
const details = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  reservedDetail,
  reservedDetail.map((d) => Object.assign(Object.create(null) as object, d)),
  fc.constantFrom<unknown>(
    [],
    ['a'],
    'text',
    7,
    new Map([['a', 1]]),
    new Date(0),
    new (class Dto {
      id = 1;
    })(),
  ),
);

/** Mostly a plainly valid value, sometimes an edge case (valid or not): most runs differ from valid in 0–2 fields. */
const mostly = <T>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 8, arbitrary: valid as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: edge },
  );

const params = fc
  .record(
    {
      action: mostly(fc.constantFrom('CREATE', 'READ', 'EXPORT_REPORT'), action),
      resource: mostly(fc.constantFrom('/orders/1', '/login'), resource),
      status: mostly(fc.constantFrom('SUCCESS', 'FAILED'), status),
      user_id: mostly(fc.constantFrom(undefined, 'u-1'), optionalText(1, 256)),
      traceId: mostly(fc.constantFrom(undefined, 'trace-1'), traceId),
      method: mostly(fc.constantFrom(undefined, 'GET'), optionalText(1, 32)),
      path: mostly(fc.constantFrom(undefined, '/orders/1'), optionalText(1, 2_048)),
      ip_address: mostly(fc.constantFrom(undefined, '10.0.0.1', '::1'), ipAddress),
      user_agent: mostly(fc.constantFrom(undefined, 'curl/8'), optionalText(0, 512)),
      details: mostly(fc.constantFrom(undefined, null, { orderId: 'o-1' }), details),
      seq: fc.constantFrom<unknown>(1, undefined),
    },
    { requiredKeys: ['action', 'resource', 'status'] },
  )
  .chain((p) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constant<unknown>(p) },
      {
        weight: 1,
        arbitrary: fc.constant<unknown>(Object.assign(Object.create(null) as object, p)),
      },
      // Inherited members: both sides must treat them alike.
      { weight: 1, arbitrary: fc.constant<unknown>(Object.create(p) as object) },
    ),
  );

describe('the fast validator never accepts what zod rejects (SPEC §4.3)', () => {
  it(`writes details.validation_errors exactly when zod fails (${RUNS} runs)`, () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json', service: 'agree' });
    let valid = 0;
    // Act and assess
    fc.assert(
      fc.property(params, (input) => {
        sink.clear();
        const zodAccepts = auditParamsSchema.safeParse(input).success;
        audit.log(input as never);
        const line = JSON.parse(sink.lines[0] as string) as {
          details: Record<string, unknown> | null;
        };
        const flagged = line.details !== null && 'validation_errors' in line.details;
        if (flagged === zodAccepts) {
          throw new Error(
            `zod ${zodAccepts ? 'accepts' : 'rejects'} but the line ${flagged ? 'has' : 'lacks'} validation_errors: ${sink.lines[0]}`,
          );
        }
        if (zodAccepts) valid++;
      }),
      { numRuns: RUNS },
    );
    // Both outcomes were exercised in earnest.
    expect(valid).toBeGreaterThan(RUNS / 20);
    expect(valid).toBeLessThan(RUNS - RUNS / 20);
  });

  it('agrees on the boundary cases one by one', () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    const base = { action: 'READ', resource: '/r', status: 'SUCCESS' };
    const cases: unknown[] = [
      { ...base, details: { statusCode: 2 ** 53 } },
      { ...base, details: { statusCode: 2 ** 53 - 1 } },
      { ...base, details: { duration_ms: -0 } },
      { ...base, ip_address: 'fe80::1%eth0' },
      { ...base, user_agent: '' },
      { ...base, user_id: '' },
      { ...base, action: `A${'B'.repeat(63)}` },
      { ...base, action: `A${'B'.repeat(64)}` },
      { ...base, traceId: 'a'.repeat(129) },
      { ...base, details: { error: new TypeError('x') } },
      { ...base, seq: undefined },
      Object.create(base),
    ];
    for (const input of cases) {
      sink.clear();
      audit.log(input as never);
      const details = (JSON.parse(sink.lines[0] as string) as { details: object | null }).details;
      const flagged = details !== null && 'validation_errors' in details;
      expect({ input, flagged }).toEqual({
        input,
        flagged: !auditParamsSchema.safeParse(input).success,
      });
    }
  });
});
