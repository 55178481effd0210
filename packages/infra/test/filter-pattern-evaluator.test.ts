import {
  compileFilterPattern,
  evaluateFilterPattern,
  FilterPatternError,
  INFRA_ERROR_CODES,
} from '@auditline/infra';
import { describe, expect, it } from 'vitest';

// Cases from the CloudWatch Logs User Guide, "Using filter patterns to match
// terms in JSON log events": its sample events and the patterns it documents,
// plus the negatives those rules imply. If the evaluator disagrees with the
// doc, the metric-filter tests built on it prove nothing.

/** The doc's "example JSON log event for testing" (one line, as the doc requires). */
const TRAIL_EVENT = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
});

/** The doc's compound-expression event. */
const USERS_EVENT = JSON.stringify({
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1],
    [4, 5],
  ],
});

const METRICS_EVENT = JSON.stringify({ latency: 50, bandwidth: 100, statusCode: 503, ok: false });

type Row = readonly [pattern: string, event: string, expected: boolean];

const DOC_EXAMPLES: readonly Row[] = [
  // String values
  ['{ $.eventType = "UpdateTrail" }', TRAIL_EVENT, true],
  ['{ $.eventType = "CreateTrail" }', TRAIL_EVENT, false],
  ['{ $.eventType != "CreateTrail" }', TRAIL_EVENT, true],
  // Unquoted value with a trailing wildcard
  ['{ $.sourceIPAddress != 123.123.* }', TRAIL_EVENT, true],
  ['{ $.sourceIPAddress != 111.111.* }', TRAIL_EVENT, false],
  ['{ $.sourceIPAddress = 111.111.* }', TRAIL_EVENT, true],
  // Arrays
  ['{ $.arrayKey[0] = "value" }', TRAIL_EVENT, true],
  ['{ $.arrayKey[1] = "value" }', TRAIL_EVENT, false],
  ['{ $.objectList[1].id = 2 }', TRAIL_EVENT, true],
  ['{ $.objectList[0].id = 2 }', TRAIL_EVENT, false],
  ['{ $.objectList[9].id = 2 }', TRAIL_EVENT, false],
  // IS NULL, NOT EXISTS, IS TRUE / IS FALSE
  ['{ $.SomeObject IS NULL }', TRAIL_EVENT, true],
  ['{ $.eventType IS NULL }', TRAIL_EVENT, false],
  ['{ $.SomeOtherObject NOT EXISTS }', TRAIL_EVENT, true],
  ['{ $.SomeObject NOT EXISTS }', TRAIL_EVENT, false],
  ['{ $.ThisFlag IS TRUE }', TRAIL_EVENT, true],
  ['{ $.ThisFlag IS FALSE }', TRAIL_EVENT, false],
  ['{ $.ok IS FALSE }', METRICS_EVENT, true],
  ['{ $.MissingFlag IS TRUE }', TRAIL_EVENT, false],
  // Compound expressions: && binds tighter than ||, parentheses regroup
  ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', USERS_EVENT, true],
  [
    '{ ($.user.id = 2 && $.users[0].email = "John.Doe@example.com") || $.actions[2] = "GET" }',
    USERS_EVENT,
    false,
  ],
  [
    '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }',
    USERS_EVENT,
    true,
  ],
  [
    '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }',
    USERS_EVENT,
    false,
  ],
  ['{ $.coordinates[1][0] = 4 }', USERS_EVENT, true],
  // Wildcards at either end of a quoted string
  ['{ $.users[1].email = "*@example.com" }', USERS_EVENT, true],
  ['{ $.users[1].email = "Jane.*" }', USERS_EVENT, true],
  ['{ $.users[1].email = "*Doe*" }', USERS_EVENT, true],
  ['{ $.users[1].email = "John.*" }', USERS_EVENT, false],
  ['{ $.user.email = "*" }', USERS_EVENT, true],
  ['{ $.user.phone = "*" }', USERS_EVENT, false],
  // Numeric comparisons
  ['{ $.latency < 100 }', METRICS_EVENT, true],
  ['{ $.latency >= 50 }', METRICS_EVENT, true],
  ['{ $.latency > 50 }', METRICS_EVENT, false],
  ['{ $.bandwidth <= 100 }', METRICS_EVENT, true],
  ['{ $.bandwidth > 100 }', METRICS_EVENT, false],
  ['{ $.statusCode != 200 }', METRICS_EVENT, true],
  ['{ $.statusCode = 503 }', METRICS_EVENT, true],
  ['{ $.statusCode = 5.03e2 }', METRICS_EVENT, true],
  ['{ $.eventType > 1 }', TRAIL_EVENT, false],
];

describe('evaluateFilterPattern: the AWS filter-pattern documentation examples', () => {
  it.each(DOC_EXAMPLES.map(([pattern, event, expected]) => ({ pattern, event, expected })))(
    '$pattern → $expected',
    ({ pattern, event, expected }) => {
      // Act
      const result = evaluateFilterPattern(pattern, event);
      // Assess
      expect(result).toBe(expected);
    },
  );
});

describe('evaluateFilterPattern: events that are not JSON objects', () => {
  it('matches nothing for plain text, arrays and broken JSON', () => {
    const pattern = '{ $.eventType NOT EXISTS }';
    expect(evaluateFilterPattern(pattern, 'ERROR something happened')).toBe(false);
    expect(evaluateFilterPattern(pattern, '[1,2,3]')).toBe(false);
    expect(evaluateFilterPattern(pattern, '{"eventType":')).toBe(false);
    expect(evaluateFilterPattern(pattern, '{}')).toBe(true);
  });

  it('accepts a trailing newline, as lines are written', () => {
    expect(evaluateFilterPattern('{ $.a = 1 }', '{"a":1}\n')).toBe(true);
  });

  it('does not treat the string "true" as IS TRUE', () => {
    expect(evaluateFilterPattern('{ $.audit IS TRUE }', '{"audit":"true"}')).toBe(false);
    expect(evaluateFilterPattern('{ $.audit IS TRUE }', '{"audit":true}')).toBe(true);
  });
});

describe('compileFilterPattern: patterns it cannot parse', () => {
  it.each([
    ['ERROR Exception', 0],
    ['[ip, user, status]', 0],
    ['{ $.a = }', 8],
    ['{ $.a > "x" }', 8],
    ['{ ($.a = 1 }', 11],
    ['{ $.a IS MAYBE }', 9],
    ['{ $.a = 1 } extra', 12],
    ['{ a = 1 }', 2],
    ['{ $.a = "open }', 15],
  ] as const)('%s throws FilterPatternError', (pattern, position) => {
    // Act
    let error: unknown;
    try {
      compileFilterPattern(pattern);
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(FilterPatternError);
    expect((error as FilterPatternError).code).toBe(INFRA_ERROR_CODES.invalidFilterPattern);
    expect((error as FilterPatternError).position).toBe(position);
  });
});
