import { LIFECYCLE_ACTIONS } from '../constants.js';
import { canonicalOf } from '../integrity.js';
import type { PositionalReader } from './fast-path.js';
import { inputText } from './input-text.js';
import type { SealStatus } from './seq-runs.js';
import { instanceStateFor, keyStateFor, placeLine, type VerifierState } from './state.js';

interface ParsedLine {
  audit?: unknown;
  instance?: unknown;
  seq?: unknown;
  service?: unknown;
  action?: unknown;
  details?: { final_seq?: unknown; chain?: unknown } | null;
  keyId?: unknown;
  prev?: unknown;
  hash?: unknown;
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/**
 * Whether Logs Insights counts `value` as `audit = 1`: it indexes the JSON
 * `true` as 1, and compares strings as their text (SPEC §9 saved queries,
 * issue #13). `true` itself is the real marker and is not reported.
 */
function countsAsAuditMarker(value: unknown): boolean {
  if (value === 1) return true;
  if (typeof value !== 'string') return false;
  const text = value.trim().toLowerCase();
  return text === '1' || text === 'true';
}

/**
 * The reference path: reads one line with `JSON.parse` and records what it
 * shows. Every finding about a line is made here; the fast path only counts
 * lines that would give no finding. With a `reader`, verified lines teach it
 * their layout.
 *
 * @example
 * ```ts
 * verifyByFullParse(state, '{"level":"info","audit":true,…}', 1, undefined);
 * ```
 */
export function verifyByFullParse(
  state: VerifierState,
  text: string,
  line: number,
  reader: PositionalReader | undefined,
): void {
  let parsed: ParsedLine;
  try {
    parsed = JSON.parse(text) as ParsedLine;
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null) return;
  if (parsed.audit !== true) {
    if (countsAsAuditMarker(parsed.audit)) {
      const marker = JSON.stringify(parsed.audit);
      state.lineIssues.push({
        code: 'not-audit-marker',
        severity: 'problem',
        line,
        marker,
        message: `line ${line}: "audit" is ${inputText(marker)}, not true: Logs Insights counts it as an audit line (audit = 1), but the logger never writes it; inserted or forged`,
      });
    }
    return;
  }
  state.auditLines++;
  const { instance, seq } = parsed;
  if (typeof instance !== 'string' || instance === '' || !isSeq(seq)) {
    state.lineIssues.push({
      code: 'malformed-entry',
      severity: 'problem',
      line,
      message: `line ${line}: an audit line without a valid "instance" and "seq"; it cannot be placed in any chain`,
    });
    return;
  }
  const found = instanceStateFor(
    state,
    instance,
    typeof parsed.service === 'string' ? parsed.service : undefined,
  );
  found.entries++;

  let status: SealStatus = 'unchecked';
  let hash: string | undefined;
  let prev: string | undefined;
  if (typeof parsed.hash === 'string') {
    found.signed++;
    hash = parsed.hash;
    prev = typeof parsed.prev === 'string' ? parsed.prev : undefined;
    const keyId = typeof parsed.keyId === 'string' ? parsed.keyId : '';
    const key = keyStateFor(state, keyId, instance, seq);
    key.lines++;
    if (key.hmac !== undefined) {
      // The hash covers the exact text written (SPEC §7): never re-serialise.
      const sealed = canonicalOf(text);
      if (
        sealed !== undefined &&
        prev !== undefined &&
        sealed.hash === hash &&
        key.hmac.hex(prev, sealed.canonical) === hash
      ) {
        status = 'verified';
        key.verified++;
        found.verified++;
        reader?.remember(text, found, key);
      } else {
        status = 'mismatch';
        key.mismatched++;
        found.mismatches.push({ seq, keyId, line });
      }
    }
  } else {
    const last = found.unsigned[found.unsigned.length - 1];
    if (last !== undefined && last.to + 1 === seq) last.to = seq;
    else found.unsigned.push({ from: seq, to: seq, line });
  }

  const action = parsed.action;
  if (action === LIFECYCLE_ACTIONS.AUDIT_START) {
    if (parsed.details?.chain === true) found.declaredChain = true;
  } else if (
    action === LIFECYCLE_ACTIONS.AUDIT_STOP &&
    (found.stopSeq === undefined || seq < found.stopSeq)
  ) {
    // The lowest stop counts: every line after it is reported (issue #11),
    // whatever order the lines arrive in.
    found.stopSeq = seq;
    found.stopLine = line;
    const finalSeq = parsed.details?.final_seq;
    found.finalSeq = isSeq(finalSeq) ? finalSeq : undefined;
  }
  placeLine(found, seq, line, prev, hash, status);
}
