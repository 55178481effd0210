import { LEADING_DETAIL_KEYS } from './constants.js';

/** Rank of each leading key; others have none. */
const LEADING_RANK: ReadonlyMap<string, number> = new Map(
  LEADING_DETAIL_KEYS.map((k, i) => [k, i]),
);

/**
 * The root's keys with {@link LEADING_DETAIL_KEYS} first, in their order, the
 * rest in the caller's order (issue #17). Returns `keys` itself when no leading
 * key comes after another key, the common case, so nothing is copied.

 */
export function leadingKeysFirst(keys: string[]): string[] {
  let expected = 0;
  let inOrder = true;
  for (const key of keys) {
    const rank = LEADING_RANK.get(key);
    if (rank === undefined) expected = Number.POSITIVE_INFINITY;
    else if (rank < expected) {
      inOrder = false;
      break;
    } else expected = rank;
  }
  if (inOrder) return keys;
  const leading = keys.filter((k) => LEADING_RANK.has(k));
  leading.sort((a, b) => (LEADING_RANK.get(a) ?? 0) - (LEADING_RANK.get(b) ?? 0));
  return [...leading, ...keys.filter((k) => !LEADING_RANK.has(k))];
}
