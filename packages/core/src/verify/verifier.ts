import { type AuditVerifier, createResolvedVerifier, type InstrumentedVerifier } from './engine.js';
import { resolveVerifyOptions, type VerifyOptions } from './options.js';
import type { VerifyReport } from './report.js';

export { type AuditVerifier, MAX_VERIFY_LINE_CHARS } from './engine.js';

/**
 * {@link createAuditVerifier}, with the positional fast path on or off.
 * Internal: with `fastPath` false every line takes the full `JSON.parse`, the
 * reference the fast path is tested against (issue #6).
 *
 * @example
 * ```ts
 * const reference = createVerifier({ defaultKey: 'k'.repeat(32) }, false);
 * ```
 */
export function createVerifier(
  options: VerifyOptions | undefined,
  fastPath: boolean,
): InstrumentedVerifier {
  return createResolvedVerifier(resolveVerifyOptions(options), fastPath);
}

/**
 * Creates an incremental verifier. {@link verifyAuditLog} is this plus a loop.
 * Lines may arrive in any order and interleaved across instances; links are
 * checked whenever two consecutive `seq` values have both been seen.
 *
 * @example
 * ```ts
 * import { createAuditVerifier } from '@auditline/core/verify';
 *
 * const verifier = createAuditVerifier({ keys: { default: 'k'.repeat(32) } });
 * for (const line of ['{"level":"info","audit":true}']) verifier.push(line);
 * const report = verifier.result();
 * ```
 */
export function createAuditVerifier(options?: VerifyOptions): AuditVerifier {
  const { push, pushOversized, result } = createVerifier(options, true);
  return Object.freeze({ push, pushOversized, result });
}

/**
 * Verifies audit lines (SPEC §7): groups them by `instance`, finds `seq` gaps
 * and duplicates, recomputes each line's HMAC with the key named by its
 * `keyId`, checks every `prev` link, whether `AUDIT_STOP` closes the chain and
 * is its last line, and reports lines Logs Insights would count as audit
 * lines that are not. Pure: reads nothing but its arguments. Non-audit lines
 * are skipped and counted. `lines` is an iterable of lines, or the text of a
 * log, which is split at each `\n`.
 *
 * @example
 * ```ts
 * import { verifyAuditLog } from '@auditline/core/verify';
 *
 * const report = verifyAuditLog('{"level":"info","audit":true}\n', { keys: { default: 'k'.repeat(32) } });
 * if (!report.ok) for (const issue of report.issues) console.error(issue.message);
 * ```
 */
export function verifyAuditLog(
  lines: string | Iterable<string>,
  options?: VerifyOptions,
): VerifyReport {
  const verifier = createAuditVerifier(options);
  // A string is an Iterable<string> of its characters, so TypeScript accepted the
  // whole text of a log and each character was checked as a line: none is an audit
  // line, and the report said ok (a test fixture did this). Text is split into lines.
  const input = typeof lines === 'string' ? linesOf(lines) : lines;
  for (const line of input) verifier.push(line);
  return verifier.result();
}

/** The lines of a log's text: split at `\n`, without the empty rest after a final newline. */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
