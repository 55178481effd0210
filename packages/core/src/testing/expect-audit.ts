import type { AuditEntry } from '../schema.js';

/**
 * A partial entry to look for; `details` is matched as a subset.
 *
 * @example
 * ```ts
 * const wanted: AuditExpectation = { action: 'LOGIN', status: 'FAILED', details: { reason: 'bad password' } };
 * expectAudit(sink.entries, wanted, 1);
 * ```
 */
export type AuditExpectation = Partial<Omit<AuditEntry, 'details'>> & {
  details?: Record<string, unknown>;
};

function matches(entry: AuditEntry, expected: AuditExpectation): boolean {
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'details') {
      const actual = entry.details ?? {};
      for (const [dk, dv] of Object.entries(value as Record<string, unknown>)) {
        if (JSON.stringify(actual[dk]) !== JSON.stringify(dv)) return false;
      }
      continue;
    }
    if ((entry as Record<string, unknown>)[key] !== value) return false;
  }
  return true;
}

/**
 * Asserts that exactly `count` entries (default: at least one) match
 * `expected`, and returns the matches. Throws an Error listing what was seen,
 * so it works with any test runner.
 *
 * @example
 * ```ts
 * expectAudit(sink.entries, { action: 'DELETE', status: 'FAILED', details: { statusCode: 403 } }, 1);
 * ```
 */
export function expectAudit(
  entries: readonly AuditEntry[],
  expected: AuditExpectation,
  count?: number,
): AuditEntry[] {
  const found = entries.filter((entry) => matches(entry, expected));
  const ok = count === undefined ? found.length > 0 : found.length === count;
  if (!ok) {
    const seen = entries.map((e) => `${e.action} ${e.status} ${e.resource}`).join('\n  ');
    throw new Error(
      `expectAudit: wanted ${count ?? 'at least 1'} entr${count === 1 ? 'y' : 'ies'} matching ${JSON.stringify(expected)}, found ${found.length}. Seen:\n  ${seen}`,
    );
  }
  return found;
}
