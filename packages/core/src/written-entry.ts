import { HASH_HEX_LENGTH, LINK_TAIL_LENGTH, PREV_VALUE_OFFSET } from './line/index.js';
import type { AuditEntry } from './schema.js';

/**
 * Defines `key` on `entry` as the value `read()` gives, computed on first use
 * and then kept as a plain data member. Assigning before reading replaces it.
 */
function defineLazy(entry: object, key: string, read: () => unknown): void {
  Object.defineProperty(entry, key, {
    configurable: true,
    enumerable: true,
    get(): unknown {
      const value = read();
      Object.defineProperty(entry, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
      return value;
    },
    set(value: unknown): void {
      Object.defineProperty(entry, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
  });
}

/**
 * Makes `entry` (whose top-level fields already hold exactly the values that
 * were quoted into the line) carry the rest of what was written: `details`
 * and the plugins' members, parsed back from the very JSON text that went on
 * the wire (SPEC §4.1, issue #13: redacted, trimmed, with validation issues,
 * never the caller's objects). Parsing waits until a member is read: most
 * callers never look at the returned entry, and `JSON.parse` per line would
 * cost more than the rest of `log()`.
 *
 * @example
 * ```ts
 * attachWrittenMembers(entry, '{"password":"[REDACTED]"}', '', []);
 * entry.details; // { password: '[REDACTED]' }
 * ```
 */
export function attachWrittenMembers(
  entry: AuditEntry,
  detailsJson: string,
  pluginMembers: string,
  pluginKeys: readonly string[],
): void {
  if (detailsJson === 'null') entry.details = null;
  else defineLazy(entry, 'details', () => JSON.parse(detailsJson) as unknown);
  if (pluginMembers === '' || pluginKeys.length === 0) return;
  let parsed: Record<string, unknown> | undefined;
  const members = (): Record<string, unknown> => {
    parsed ??= JSON.parse(`{${pluginMembers.slice(1)}}`) as Record<string, unknown>;
    return parsed;
  };
  for (const key of pluginKeys) {
    if (pluginMembers.includes(`"${key}":`)) defineLazy(entry, key, () => members()[key]);
  }
}

/**
 * Copies the chain members of a sealed line onto `entry`: `keyId`, and `prev`
 * and `hash` read from the line's fixed-size tail (SPEC §7), so the returned
 * entry can be checked against the line.
 *
 * @example
 * ```ts
 * attachChainMembers(entry, sealedLine, 'default');
 * entry.hash; // the 64 hex digits the line ends with
 * ```
 */
export function attachChainMembers(
  entry: AuditEntry,
  line: string,
  keyId: string | undefined,
): void {
  if (keyId !== undefined) entry.keyId = keyId;
  const tail = line.slice(-LINK_TAIL_LENGTH);
  entry.prev = tail.slice(PREV_VALUE_OFFSET, PREV_VALUE_OFFSET + HASH_HEX_LENGTH);
  entry.hash = line.slice(-(HASH_HEX_LENGTH + 2), -2);
}
