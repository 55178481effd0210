import { TRACE_ID_PATTERN } from '@auditline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The parsers are internal; the HTTP tests cover them end to end, these fuzz them.
import {
  createTraceIdResolver,
  traceIdFromAmzn,
  traceIdFromTraceparent,
} from '../src/trace-context.js';
import { UUID_PATTERN } from './helpers/server.js';

const resolve = createTraceIdResolver(['x-trace-id']);
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

describe('trace id parsing (SPEC §5.2, W3C Trace Context)', () => {
  it('returns either the header value, when it is an accepted id, or a fresh UUID', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
        (value) => {
          // Act
          const id = resolve({ 'x-trace-id': value });

          // Assess: nothing outside the accepted alphabet ever comes through.
          if (TRACE_ID_PATTERN.test(value)) expect(id).toBe(value);
          else expect(id).toMatch(UUID_PATTERN);
        },
      ),
    );
  });

  it('accepts every well-formed version-00 traceparent with non-zero ids, and only the trace-id is taken', () => {
    fc.assert(
      fc.property(hex(32), hex(16), hex(2), (traceId, parentId, flags) => {
        fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(parentId));
        expect(traceIdFromTraceparent(`00-${traceId}-${parentId}-${flags}`)).toBe(traceId);
      }),
    );
  });

  it('rejects a traceparent with any character changed to uppercase or outside hex', () => {
    const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.constantFrom('A', 'F', 'g', 'z', ' ', '-', '_', 'é'),
        (at, replacement) => {
          const mutated = valid.slice(0, at) + replacement + valid.slice(at + 1);
          fc.pre(mutated !== valid);
          expect(traceIdFromTraceparent(mutated)).toBeUndefined();
        },
      ),
    );
  });

  it('accepts later versions with extra fields, but never version ff', () => {
    const rest = '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceIdFromTraceparent(`01-${rest}-what-the-future-holds`)).toBe(rest.slice(0, 32));
    expect(traceIdFromTraceparent(`01-${rest}`)).toBe(rest.slice(0, 32));
    expect(traceIdFromTraceparent(`01-${rest}x`)).toBeUndefined();
    expect(traceIdFromTraceparent(`ff-${rest}`)).toBeUndefined();
  });

  it('takes Root= from X-Amzn-Trace-Id wherever the field sits', () => {
    const root = '1-5759e988-bd862e3fe1be46a994272793';
    expect(traceIdFromAmzn(`Root=${root}`)).toBe(root);
    expect(traceIdFromAmzn(`Self=1-aaaa;Root=${root};Sampled=1`)).toBe(root);
    expect(traceIdFromAmzn(`Sampled=1; Root=${root}`)).toBe(root);
    expect(traceIdFromAmzn(`NotRoot=${root}`)).toBeUndefined();
    expect(traceIdFromAmzn(`Root=${root}, Root=1-other`)).toBeUndefined();
    expect(traceIdFromAmzn(['Root=a', 'Root=b'])).toBeUndefined();
  });
});
