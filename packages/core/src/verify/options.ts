import { z } from 'zod';
import { defineOptions } from '../define-options.js';
import { AuditConfigError } from '../errors.js';
import { type ResolvedVerifyOptions, resolvedVerifyOptions } from './resolved-options.js';

export type { ResolvedVerifyOptions, VerifyKey } from './resolved-options.js';

const keySchema = z.union([z.string().min(1), z.instanceof(Uint8Array)]);

/**
 * Options of {@link verifyAuditLog} and {@link createAuditVerifier}.
 *
 * @example
 * ```ts
 * verifyOptionsSchema.parse({ keys: { default: 'k'.repeat(32) } });
 * ```
 */
export const verifyOptionsSchema = z.strictObject({
  /** HMAC keys by `keyId` (the logger's default key id is `"default"`). @default {} */
  keys: z.record(z.string(), keySchema).optional(),
  /** Key for any `keyId` not in `keys` (a single-key setup). @default undefined */
  defaultKey: keySchema.optional(),
});

/**
 * Options of {@link verifyAuditLog} and {@link createAuditVerifier}.
 *
 * @example
 * ```ts
 * const options: VerifyOptions = { keys: { k2025: 'old-key-0123456789', k2026: 'new-key-0123456789' } };
 * ```
 */
export type VerifyOptions = z.input<typeof verifyOptionsSchema>;

const KEYS_FIX = 'pass { keys: { [keyId]: key } } with non-empty string or Uint8Array keys';

const parseVerifyOptions = defineOptions({
  where: 'verifyAuditLog',
  schema: verifyOptionsSchema,
  fixes: { keys: KEYS_FIX, defaultKey: KEYS_FIX },
  // HMAC keys are never shown (issue #14: one preview rule for secrets).
  secret: ['keys', 'defaultKey'],
  pathStyle: 'dots',
  docs: 'see verifyAuditLog in the @auditline/core README',
  error: (facts) => new AuditConfigError(facts.option, facts.message, facts),
});

/**
 * Validates the options; a bad one throws {@link AuditConfigError} naming it.
 *
 * @example
 * ```ts
 * const { haveKeys } = resolveVerifyOptions({ defaultKey: 'k'.repeat(32) }); // true
 * ```
 */
export function resolveVerifyOptions(options: VerifyOptions | undefined): ResolvedVerifyOptions {
  const o = parseVerifyOptions(options ?? {});
  return resolvedVerifyOptions(o.keys ?? {}, o.defaultKey);
}
