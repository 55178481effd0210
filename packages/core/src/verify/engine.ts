// The verifier's engine over resolved options: no zod on this path, so
// `auditline verify` starts without it (issue #15); `verifier.ts` adds the
// public constructors, which resolve options through their schema.
import { PositionalReader } from './fast-path.js';
import { buildReport } from './findings.js';
import { verifyByFullParse } from './full-parse.js';
import type { VerifyReport } from './report.js';
import type { ResolvedVerifyOptions } from './resolved-options.js';
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
 * A verifier that also counts the lines its fast path accepted, and takes
 * lines with their bytes. Internal (`@auditline/core/internal/verify`): tests
 * compare it, with and without the fast path, on the same input (issue #6),
 * and `auditline verify` hands it the bytes it read (issue #15).
 *
 * @example
 * ```ts
 * const withFastPath: InstrumentedVerifier = createResolvedVerifier(resolvedVerifyOptions({}, 'k'.repeat(32)), true);
 * ```
 */
export interface InstrumentedVerifier extends AuditVerifier {
  /** Lines accepted without a full parse. */
  fastLines(): number;
  /**
   * {@link AuditVerifier.push} for an ASCII line the caller holds the bytes
   * of: `ascii[start, start + line.length)` must be exactly the characters of
   * `line`, one byte each (the reader checked the chunk with `isAscii` and
   * decoded it as Latin-1). A line the positional reader reads is then hashed
   * from those bytes instead of being encoded again (issue #15); the result
   * is the same as `push(line)`.
   */
  pushAscii(line: string, ascii: Buffer, start: number): void;
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
 * A verifier over resolved options, with the positional fast path on or off.
 * Internal: with `fastPath` false every line takes the full `JSON.parse`, the
 * reference the fast path is tested against (issue #6).
 *
 * @example
 * ```ts
 * const reference = createResolvedVerifier(resolvedVerifyOptions({}, 'k'.repeat(32)), false);
 * ```
 */
export function createResolvedVerifier(
  options: ResolvedVerifyOptions,
  fastPath: boolean,
): InstrumentedVerifier {
  const state = createVerifierState(options);
  // Without a key nothing can be accepted by position: the HMAC is what vouches for the layout.
  const reader = fastPath && state.options.haveKeys ? new PositionalReader(state) : undefined;
  const push = (raw: string, ascii: Buffer | undefined, start: number): void => {
    const line = ++state.lines;
    if (raw.length > MAX_VERIFY_LINE_CHARS) {
      recordOversized(state, line, raw.length);
      return;
    }
    // Only the end is cut, so `start` still points at the first character.
    const text = raw.endsWith('\n') ? raw.slice(0, raw.endsWith('\r\n') ? -2 : -1) : raw;
    if (text.charCodeAt(0) !== 123 /* { */) return;
    if (reader?.read(text, line, ascii, start) === true) return;
    verifyByFullParse(state, text, line, reader);
  };
  return Object.freeze({
    push(raw: string): void {
      push(raw, undefined, 0);
    },
    pushAscii(raw: string, ascii: Buffer, start: number): void {
      push(raw, ascii, start);
    },
    pushOversized(chars: number): void {
      recordOversized(state, ++state.lines, chars);
    },
    result: (): VerifyReport => buildReport(state),
    fastLines: (): number => state.fastLines,
  });
}
