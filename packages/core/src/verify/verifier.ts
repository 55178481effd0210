import { PositionalReader } from './fast-path.js';
import { buildReport } from './findings.js';
import { verifyByFullParse } from './full-parse.js';
import { resolveVerifyOptions, type VerifyOptions } from './options.js';
import type { VerifyReport } from './report.js';
import { createVerifierState, type VerifierState } from './state.js';

/**
 * Longest line the verifier reads. The logger never writes a line over
 * `MAX_ALLOWED_ENTRY_BYTES` (262,000 bytes, SPEC §4.5), and a character is at
 * least one byte, so a longer line is not an audit line the logger wrote; it
 * is reported as one `oversized-line` finding, not parsed, and reading goes
 * on (bounded memory, issue #13). Four times the logger's limit.
 */
export const MAX_VERIFY_LINE_CHARS = 1_048_576;

/**
 * Incremental verifier: feed lines one at a time, keep only per-instance run boundaries in memory.
 *
 * @example
 * ```ts
 * const verifier: AuditVerifier = createAuditVerifier({ defaultKey: 'k'.repeat(32) });
 * verifier.push('{"level":"info","audit":true}');
 * const clean = verifier.result().ok;
 * ```
 */
export interface AuditVerifier {
  /** One line of input (a trailing newline is ignored). */
  push(line: string): void;
  /**
   * A line the reader did not keep because it is longer than
   * {@link MAX_VERIFY_LINE_CHARS}: counted as a line and reported as one
   * `oversized-line` finding with its length (`chars`, at least).
   */
  pushOversized(chars: number): void;
  /** The report for everything pushed so far. */
  result(): VerifyReport;
}

/**
 * A verifier that also counts the lines its fast path accepted. Internal, not
 * in the package's exports: tests compare it, with and without the fast path,
 * on the same input (issue #6).
 *
 * @example
 * ```ts
 * const withFastPath: InstrumentedVerifier = createVerifier({ defaultKey: 'k'.repeat(32) }, true);
 * ```
 */
export interface InstrumentedVerifier extends AuditVerifier {
  /** Lines accepted without a full parse. */
  fastLines(): number;
}

function recordOversized(state: VerifierState, line: number, chars: number): void {
  state.lineIssues.push({
    code: 'oversized-line',
    severity: 'problem',
    line,
    chars,
    message: `line ${line}: ${chars.toLocaleString('en-US')} characters, longer than any audit line (at most ${MAX_VERIFY_LINE_CHARS.toLocaleString('en-US')} are read): not read; a corrupt or hostile input`,
  });
}

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
  const state = createVerifierState(resolveVerifyOptions(options));
  // Without a key nothing can be accepted by position: the HMAC is what vouches for the layout.
  const reader = fastPath && state.options.haveKeys ? new PositionalReader(state) : undefined;
  return Object.freeze({
    push(raw: string): void {
      const line = ++state.lines;
      if (raw.length > MAX_VERIFY_LINE_CHARS) {
        recordOversized(state, line, raw.length);
        return;
      }
      const text = raw.endsWith('\n') ? raw.slice(0, raw.endsWith('\r\n') ? -2 : -1) : raw;
      if (text.charCodeAt(0) !== 123 /* { */) return;
      if (reader?.read(text, line) === true) return;
      verifyByFullParse(state, text, line, reader);
    },
    pushOversized(chars: number): void {
      recordOversized(state, ++state.lines, chars);
    },
    result: (): VerifyReport => buildReport(state),
    fastLines: (): number => state.fastLines,
  });
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
 * are skipped and counted.
 *
 * @example
 * ```ts
 * import { verifyAuditLog } from '@auditline/core/verify';
 *
 * const report = verifyAuditLog('{"level":"info","audit":true}\n'.split('\n'), { keys: { default: 'k'.repeat(32) } });
 * if (!report.ok) for (const issue of report.issues) console.error(issue.message);
 * ```
 */
export function verifyAuditLog(lines: Iterable<string>, options?: VerifyOptions): VerifyReport {
  const verifier = createAuditVerifier(options);
  for (const line of lines) verifier.push(line);
  return verifier.result();
}
