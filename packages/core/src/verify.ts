// Owned by the integrity helper (issue #7): verifyAuditLog, a pure function.
// Placeholder so the export exists; replace the body.
/** Result of verifying audit lines (SPEC §7). */
export interface VerifyReport {
  readonly ok: boolean;
}
/** @example verifyAuditLog(lines, { keys: { default: key } }) */
export function verifyAuditLog(
  _lines: Iterable<string>,
  _options: { keys?: Record<string, string | Uint8Array> } = {},
): VerifyReport {
  return { ok: false };
}
