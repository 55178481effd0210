import { DROPPABLE_ENTRY_MEMBERS, type EntryMember } from './entry-members.js';
import { quoteJson as quote } from './json-string.js';
import { DETAILS_MEMBER } from './line/index.js';
import type { LoggerState } from './logger-state.js';
import type { AuditEntry } from './schema.js';
import { type TrimmedDetails, trimDetails } from './size-guard.js';

/** Room kept for the trimmed `details` and the truncation markers when deciding to drop optional members. */
const TRIM_RESERVE_BYTES = 256;

/**
 * The cold path of the size guard (SPEC §4.5): trims `details`; if the fixed
 * members alone are still too big (control characters escape to 6 bytes each),
 * drops `user_agent`, then `path`. Required fields are never cut, and
 * MIN_ALLOWED_ENTRY_BYTES leaves room for them at their caps. Records on
 * `entry` what the line then says. `tail` is the plugins' members, written
 * before `details`.
 *
 * @example
 * ```ts
 * const { body, details } = fitToLimit(state, head, optionalTail, detailsJson, '', `${body}}`, entry);
 * ```
 */
export function fitToLimit(
  state: LoggerState,
  head: string,
  optionalTail: string,
  detailsJson: string,
  tail: string,
  originalLine: string,
  entry: AuditEntry,
): { body: string; details: string } {
  const max = state.options.maxEntryBytes;
  const fixedBytes = state.chainOverhead + 2 + Buffer.byteLength(tail) + DETAILS_MEMBER.length;
  // Drop the droppable members last-first (user_agent, then path) while the
  // fixed part alone leaves no room for details (SPEC §4.5).
  const values = entry as unknown as Record<string, string | undefined>;
  const kept = DROPPABLE_ENTRY_MEMBERS.filter((m) => values[m.key] !== undefined);
  let members = optionalTail;
  while (
    kept.length > 0 &&
    Buffer.byteLength(head) + Buffer.byteLength(members) + fixedBytes + TRIM_RESERVE_BYTES > max
  ) {
    const dropped = kept.pop() as EntryMember;
    delete values[dropped.key];
    members = kept.map((m) => m.prefix + quote(values[m.key] as string)).join('');
  }
  // The plugins' members stay before `details`, as on the untrimmed line (issue #17).
  const prefix = `${head}${members}${tail}${DETAILS_MEMBER}`;
  const tailBytes = Buffer.byteLength(tail);
  let budget = max;
  let body = '';
  let trimmed: TrimmedDetails | undefined;
  // trimDetails budgets from estimates; if the result is still over, shrink the budget and retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    trimmed = trimDetails(
      detailsJson,
      Buffer.byteLength(prefix) + fixedBytes - tailBytes,
      budget,
      originalLine,
    );
    body = prefix + trimmed.details + trimmed.markers;
    const over = Buffer.byteLength(body) + state.chainOverhead + 2 - max;
    if (over <= 0) break;
    budget -= over;
  }
  entry.truncated = true;
  if (trimmed !== undefined) {
    entry.original_bytes = trimmed.originalBytes;
    entry.original_sha256 = trimmed.originalSha256;
  }
  return { body, details: trimmed?.details ?? detailsJson };
}
