import { HASH_HEX_LENGTH, LINK_TAIL_LENGTH, PREV_VALUE_OFFSET } from './line/index.js';
import type { AuditEntry } from './schema.js';

/**
 * `details` as written: parsed back from the very JSON text that went on the
 * wire (SPEC §4.1, issue #13: redacted, trimmed, with validation issues, never
 * the caller's objects).
 *
 * @example
 * ```ts
 * parseWritten('{"password":"[REDACTED]"}'); // { password: '[REDACTED]' }
 * ```
 */
export function parseWritten(detailsJson: string): AuditEntry['details'] {
  return detailsJson === 'null' ? null : (JSON.parse(detailsJson) as AuditEntry['details']);
}

/**
 * Copies the plugins' members (EMF's `_aws`, dimensions, metrics) onto the
 * returned entry, parsed from the fragment the line carries. Only with plugins.
 *
 * @example
 * ```ts
 * attachPluginMembers(entry, ',"AuditEventCount":1');
 * entry.AuditEventCount; // 1
 * ```
 */
export function attachPluginMembers(entry: AuditEntry, pluginMembers: string): void {
  const members = JSON.parse(`{${pluginMembers.slice(1)}}`) as Record<string, unknown>;
  for (const key of Object.keys(members)) (entry as Record<string, unknown>)[key] = members[key];
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
