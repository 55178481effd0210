// The verifier's options once resolved, apart from their zod schema
// (options.ts): the verifier itself runs on these, so `auditline verify`,
// which checks its own flags, builds them without loading zod, 60 ms of its
// start-up on Node 20 (issue #15).

/** An HMAC key as the logger takes it. */
export type VerifyKey = string | Uint8Array;

/** The verifier's options resolved once, at construction. */
export interface ResolvedVerifyOptions {
  readonly keys: ReadonlyMap<string, VerifyKey>;
  readonly defaultKey: VerifyKey | undefined;
  /** Some key was given: hashes are checked, and an unchained instance is a finding. */
  readonly haveKeys: boolean;
}

/**
 * Resolved options from keys the caller has already checked (non-empty
 * strings or bytes): `resolveVerifyOptions` after its schema, and the CLI
 * after its own flag checks.
 *
 * @example
 * ```ts
 * const resolved = resolvedVerifyOptions({ default: 'k'.repeat(32) }, undefined);
 * resolved.haveKeys; // true
 * ```
 */
export function resolvedVerifyOptions(
  keys: Readonly<Record<string, VerifyKey>>,
  defaultKey: VerifyKey | undefined,
): ResolvedVerifyOptions {
  const byId = new Map(Object.entries(keys));
  return Object.freeze({
    keys: byId,
    defaultKey,
    haveKeys: byId.size > 0 || defaultKey !== undefined,
  });
}
