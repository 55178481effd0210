import { z } from 'zod';
import { AuditConfigError } from '../errors.js';

/** An HMAC key as the logger takes it. */
export type VerifyKey = string | Uint8Array;

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

/** {@link VerifyOptions} resolved once, at construction. */
export interface ResolvedVerifyOptions {
  readonly keys: ReadonlyMap<string, VerifyKey>;
  readonly defaultKey: VerifyKey | undefined;
  /** Some key was given: hashes are checked, and an unchained instance is a finding. */
  readonly haveKeys: boolean;
}

/**
 * Validates the options; a bad one throws {@link AuditConfigError} naming it.
 *
 * @example
 * ```ts
 * const { haveKeys } = resolveVerifyOptions({ defaultKey: 'k'.repeat(32) }); // true
 * ```
 */
export function resolveVerifyOptions(options: VerifyOptions | undefined): ResolvedVerifyOptions {
  const parsed = verifyOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = issue?.path.join('.') || '(options)';
    throw new AuditConfigError(
      option,
      `verifyAuditLog: option "${option}" is invalid: ${issue?.message}. Fix: pass { keys: { [keyId]: key } } with non-empty string or Uint8Array keys.`,
    );
  }
  const keys = new Map(Object.entries(parsed.data.keys ?? {}));
  const defaultKey = parsed.data.defaultKey;
  return Object.freeze({ keys, defaultKey, haveKeys: keys.size > 0 || defaultKey !== undefined });
}
