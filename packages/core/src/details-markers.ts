// The markers written in place of values that cannot or may not be written (SPEC §4.6).
import { REDACTED } from './constants.js';

export const UNSERIALIZABLE = '"[Unserializable]"';
export const CIRCULAR = '"[Circular]"';
export const DEPTH_LIMIT = '"[Depth limit]"';
/** A container already written elsewhere in this entry (SPEC §4.6: written once, then marked). */
export const SHARED = '"[Shared]"';
/** A value past the entry's node or character budget ({@link MAX_DETAIL_NODES}, {@link MAX_DETAIL_CHARS}). */
export const OVER_BUDGET = '"[Budget exceeded]"';
export const REDACTED_JSON = JSON.stringify(REDACTED);
export const TRUNCATED_KEYS = '[truncated_keys]';

/**
 * The key of the "more keys were cut" marker: `[truncated_keys]`, unless the
 * object has a key of that name, so the marker can never duplicate a key
 * (SPEC §4.6). Only runs for objects over the key cap or the budget.
 */
export function truncatedKeysName(keys: readonly string[]): string {
  const taken = new Set(keys);
  let name = TRUNCATED_KEYS;
  while (taken.has(name)) name = `[${name}]`;
  return name;
}
