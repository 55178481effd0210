// The per-entry members of the line, derived from the declared layout
// (line/members.ts, issue #14): adding an entry field there adds it here.
import { quoteJson as quote } from './json-string.js';
import { membersOf } from './line/index.js';

/** An entry member's wire key and its `,"key":` prefix, prepared once. */
export interface EntryMember {
  readonly key: string;
  readonly prefix: string;
}

const ENTRY_MEMBERS: readonly (EntryMember & { readonly droppable: boolean })[] = membersOf(
  'entry',
).map((m) => ({ key: m.key, prefix: `,"${m.key}":`, droppable: m.droppable }));
/** The entry members always kept, in wire order. */
export const FIXED_ENTRY_MEMBERS: readonly EntryMember[] = ENTRY_MEMBERS.filter(
  (m) => !m.droppable,
);
/**
 * The members the size guard may drop, in wire order; it drops them last
 * first (fit-entry.ts).
 */
export const DROPPABLE_ENTRY_MEMBERS: readonly EntryMember[] = ENTRY_MEMBERS.filter(
  (m) => m.droppable,
);

/**
 * The text of `members` that `entry` holds, in wire order: `,"key":"value"` each.
 *
 * @example
 * ```ts
 * const fixed = quoteEntryMembers(entry, FIXED_ENTRY_MEMBERS); // ',"traceId":"…","user_id":"…",…'
 * ```
 */
export function quoteEntryMembers(entry: object, members: readonly EntryMember[]): string {
  const values = entry as Readonly<Record<string, string | undefined>>;
  let text = '';
  for (const { key, prefix } of members) {
    const value = values[key];
    if (value !== undefined) text += prefix + quote(value);
  }
  return text;
}
