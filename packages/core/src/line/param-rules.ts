// How a caller may pass a top-level member to log(): one rule per row of the
// line's table (members.ts), from which both the zod params schema and the
// fast validator are derived (issue #14), so the two cannot drift apart.
import { isIP } from 'node:net';
import { z } from 'zod';
import {
  AUDIT_ACTIONS,
  AUDIT_STATUSES,
  CUSTOM_ACTION_PATTERN,
  TRACE_ID_PATTERN,
} from '../constants.js';

/**
 * A param rule: the zod schema that has the final word, and a cheap predicate
 * that may only accept what the schema accepts (a property test holds them
 * together: fast-validator-matches-zod.test.ts). Optionality is the row's
 * `required`, not the rule's.
 */
export interface ParamRule<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  /** `true` only when `schema` accepts `value` (never called with `undefined`). */
  accepts(value: unknown): boolean;
  /** For {@link textRule}s, its bounds, so the fast validator can test them inline. */
  readonly text?: { readonly min: number; readonly max: number };
}

/**
 * A string of `min` to `cap` UTF-16 units: zod's `string().min().max()` and
 * its default messages.
 *
 * @example
 * ```ts
 * const rule = textRule(1, 256);
 * rule.accepts('u-1'); // true
 * ```
 */
export function textRule(min: number, cap: number): ParamRule<z.ZodString> {
  return Object.freeze({
    schema: z.string().min(min).max(cap),
    accepts: (value: unknown): boolean =>
      typeof value === 'string' && value.length >= min && value.length <= cap,
    text: Object.freeze({ min, max: cap }),
  });
}

/**
 * An audit action: a built-in, or a custom `^[A-Z][A-Z0-9_]{0,63}$` (SPEC §3).
 *
 * @example
 * ```ts
 * auditActionSchema.parse('EXPORT_REPORT'); // ok
 * ```
 */
export const auditActionSchema = z
  .string()
  .regex(CUSTOM_ACTION_PATTERN, 'action must be a built-in or match ^[A-Z][A-Z0-9_]{0,63}$')
  .describe(`One of ${Object.values(AUDIT_ACTIONS).join(', ')}, or a custom UPPER_SNAKE action`);

/**
 * `"SUCCESS"` or `"FAILED"`.
 *
 * @example
 * ```ts
 * auditStatusSchema.parse('FAILED');
 * ```
 */
export const auditStatusSchema = z.enum([AUDIT_STATUSES.SUCCESS, AUDIT_STATUSES.FAILED]);

/**
 * Accepted trace id (SPEC §5.2).
 *
 * @example
 * ```ts
 * traceIdSchema.safeParse('${jndi:ldap://x}').success; // false
 * ```
 */
export const traceIdSchema = z
  .string()
  .regex(TRACE_ID_PATTERN, 'traceId must be 1-128 chars of [A-Za-z0-9._:-]');

/** The action rule: {@link auditActionSchema}; the pattern bounds its length. */
export const ACTION_RULE: ParamRule<typeof auditActionSchema> = Object.freeze({
  schema: auditActionSchema,
  accepts: (value: unknown): boolean =>
    typeof value === 'string' && CUSTOM_ACTION_PATTERN.test(value),
});

/** The status rule: {@link auditStatusSchema}. */
export const STATUS_RULE: ParamRule<typeof auditStatusSchema> = Object.freeze({
  schema: auditStatusSchema,
  accepts: (value: unknown): boolean =>
    value === AUDIT_STATUSES.SUCCESS || value === AUDIT_STATUSES.FAILED,
});

/** The trace id rule: {@link traceIdSchema}; the pattern bounds its length. */
export const TRACE_ID_RULE: ParamRule<typeof traceIdSchema> = Object.freeze({
  schema: traceIdSchema,
  accepts: (value: unknown): boolean => typeof value === 'string' && TRACE_ID_PATTERN.test(value),
});

/**
 * An IP address of at most `cap` chars. `net.isIP`, not zod's ip regexes, in
 * both the schema and the predicate, so both paths agree (SPEC §5.3).
 *
 * @example
 * ```ts
 * ipRule(64).accepts('203.0.113.7'); // true
 * ```
 */
export function ipRule(cap: number): ParamRule<z.ZodString> {
  return Object.freeze({
    schema: z
      .string()
      .max(cap)
      .refine((v) => isIP(v) !== 0, 'ip_address must be an IPv4 or IPv6 address'),
    accepts: (value: unknown): boolean =>
      typeof value === 'string' && value.length <= cap && isIP(value) !== 0,
  });
}
