import { inputText } from './input-text.js';
import type { InstanceReport, KeyReport, SeqRange, VerifyIssue, VerifyReport } from './report.js';
import type { InstanceState, VerifierState } from './state.js';

function rangeText(range: SeqRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}..${range.to}`;
}

function numeric(a: number, b: number): number {
  return a - b;
}

function bySeq(a: { seq: number }, b: { seq: number }): number {
  return a.seq - b.seq;
}

/** Appends `items` one by one: a spread argument overflows the stack past ~100k items (issue #13). */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** The key findings, and the key ids none of whose lines verify (their mismatches are not listed). */
function keyFindings(state: VerifierState): {
  issues: VerifyIssue[];
  reports: KeyReport[];
  wrongKeys: ReadonlySet<string>;
} {
  const wrongKeys = new Set<string>();
  const issues: VerifyIssue[] = [];
  const reports: KeyReport[] = [];
  for (const key of state.keys.values()) {
    const label = key.keyId === '' ? '(none)' : inputText(key.keyId);
    reports.push(
      Object.freeze({
        keyId: key.keyId,
        available: key.hmac !== undefined,
        lines: key.lines,
        verified: key.verified,
        mismatched: key.mismatched,
      }),
    );
    if (key.hmac === undefined) {
      issues.push({
        code: 'missing-key',
        severity: 'key',
        keyId: key.keyId,
        count: key.lines,
        instance: key.firstInstance,
        seq: key.firstSeq,
        message: `${key.lines} line(s) are signed with keyId "${label}" but no key was given for it, so their hashes cannot be checked`,
      });
    } else if (key.verified === 0 && key.mismatched > 0) {
      // Not one line verifies: a wrong key is far likelier than every line
      // having been altered, and listing every line would bury that.
      wrongKeys.add(key.keyId);
      issues.push({
        code: 'wrong-key',
        severity: 'key',
        keyId: key.keyId,
        count: key.mismatched,
        instance: key.firstInstance,
        seq: key.firstSeq,
        message: `none of the ${key.mismatched} line(s) signed with keyId "${label}" verifies with the key given: the key is probably wrong (or every one of those lines was altered)`,
      });
    }
  }
  return { issues, reports, wrongKeys };
}

/** The findings and the report of one instance. */
function instanceFindings(
  it: InstanceState,
  haveKeys: boolean,
  wrongKeys: ReadonlySet<string>,
): { issues: VerifyIssue[]; report: InstanceReport } {
  const found: VerifyIssue[] = [];
  const instance = it.instance;
  const id = inputText(instance);
  const first = it.runs.first;
  const last = it.runs.last;
  const gaps: SeqRange[] = [];
  if (first > 1) {
    const range = Object.freeze({ from: 1, to: first - 1 });
    gaps.push(range);
    found.push({
      code: 'missing-head',
      severity: 'problem',
      instance,
      seq: first,
      range,
      message: `instance ${id}: seq ${rangeText(range)} missing before the first line seen (seq ${first}); AUDIT_START is not in the input`,
    });
  }
  for (const range of it.runs.gaps()) {
    gaps.push(range);
    found.push({
      code: 'gap',
      severity: 'problem',
      instance,
      seq: range.from,
      range,
      message: `instance ${id}: seq ${rangeText(range)} missing (lost or deleted)`,
    });
  }
  for (const d of it.duplicates) {
    const genuine = d.status === 'verified';
    found.push({
      code: 'duplicate',
      severity: 'problem',
      instance,
      seq: d.seq,
      line: d.line,
      genuine,
      message: genuine
        ? `instance ${id}: seq ${d.seq} appears more than once; this copy verifies with the key, so it is genuine: either another copy is forged (see its hash-mismatch) or this is a replay or a delivery retry (Firehose delivers at least once)`
        : `instance ${id}: seq ${d.seq} appears more than once (replayed, inserted or delivered twice)`,
    });
  }
  const mismatches = it.mismatches.filter((m) => !wrongKeys.has(m.keyId));
  for (const m of mismatches) {
    found.push({
      code: 'hash-mismatch',
      severity: 'problem',
      instance,
      seq: m.seq,
      keyId: m.keyId,
      line: m.line,
      message: `instance ${id}: seq ${m.seq} does not match its hash (keyId "${inputText(m.keyId)}"): the line was changed after it was written, or forged`,
    });
  }
  for (const b of it.runs.breaks) {
    found.push({
      code: 'chain-break',
      severity: 'problem',
      instance,
      seq: b.seq,
      line: b.line,
      message: `instance ${id}: seq ${b.seq} does not link to seq ${b.seq - 1} ("prev" differs from its hash): lines were replaced or reordered in the chain`,
    });
  }
  const expectSigned = it.signed > 0 || it.declaredChain;
  const unsigned: SeqRange[] = [];
  if (expectSigned) {
    for (const u of it.unsigned) {
      const range = Object.freeze({ from: u.from, to: u.to });
      unsigned.push(range);
      found.push({
        code: 'unsigned-entry',
        severity: 'problem',
        instance,
        seq: u.from,
        range,
        line: u.line,
        message: `instance ${id}: seq ${rangeText(range)} carries no hash although this instance is chained: inserted or stripped`,
      });
    }
  } else if (haveKeys) {
    found.push({
      code: 'unsigned-instance',
      severity: 'problem',
      instance,
      seq: first,
      range: Object.freeze({ from: first, to: last }),
      message: `instance ${id}: seq ${first}..${last} carry no hash, but a key was given: the chain was off for this instance, or every hash was stripped`,
    });
  }
  const stopSeq = it.stopSeq;
  let afterStop = 0;
  if (stopSeq === undefined) {
    found.push({
      code: 'unclosed',
      severity: 'problem',
      instance,
      seq: last,
      message: `instance ${id}: seq ${last} is the last line and no AUDIT_STOP follows: the log was cut short (crash, kill -9, or the tail was removed), or the process is still running`,
    });
  } else {
    if (it.finalSeq !== stopSeq) {
      found.push({
        code: 'stop-mismatch',
        severity: 'problem',
        instance,
        seq: stopSeq,
        line: it.stopLine,
        finalSeq: it.finalSeq,
        message: `instance ${id}: seq ${stopSeq} is AUDIT_STOP but claims final_seq ${it.finalSeq ?? '(none)'}`,
      });
    }
    // AUDIT_STOP is the last line of its instance (SPEC §7, issue #11).
    for (const { range, line } of it.runs.rangesAfter(stopSeq)) {
      afterStop += range.to - range.from + 1;
      found.push({
        code: 'after-stop',
        severity: 'problem',
        instance,
        seq: range.from,
        range,
        stopSeq,
        line,
        message: `instance ${id}: seq ${rangeText(range)} written after AUDIT_STOP (seq ${stopSeq}), which ends the instance: logged after close, or inserted`,
      });
    }
  }
  found.sort(bySeq as (a: VerifyIssue, b: VerifyIssue) => number);
  const duplicates = it.duplicates.map((d) => d.seq).sort(numeric);
  const report: InstanceReport = Object.freeze({
    instance,
    service: it.service,
    entries: it.entries,
    firstSeq: first,
    lastSeq: last,
    gaps: Object.freeze(gaps),
    duplicates: Object.freeze(duplicates),
    hashMismatches: Object.freeze(mismatches.map((m) => Object.freeze({ ...m })).sort(bySeq)),
    chainBreaks: Object.freeze(it.runs.breaks.map((b) => b.seq).sort(numeric)),
    unsigned: Object.freeze(unsigned),
    signed: it.signed,
    verified: it.verified,
    closed: stopSeq !== undefined,
    stopSeq,
    finalSeq: it.finalSeq,
    afterStop,
    ok: found.length === 0,
  });
  return { issues: found, report };
}

/**
 * The report of everything a verifier has seen: instance findings in `seq`
 * order, then findings about single lines, then key findings.
 *
 * @example
 * ```ts
 * const report = buildReport(state);
 * ```
 */
export function buildReport(state: VerifierState): VerifyReport {
  const keys = keyFindings(state);
  const issues: VerifyIssue[] = [];
  const instances: InstanceReport[] = [];
  for (const it of state.instances.values()) {
    const { issues: found, report } = instanceFindings(it, state.options.haveKeys, keys.wrongKeys);
    for (const issue of found) issues.push(Object.freeze(issue));
    instances.push(report);
  }
  for (const issue of state.lineIssues) issues.push(Object.freeze({ ...issue }));
  append(
    issues,
    keys.issues.map((issue) => Object.freeze(issue)),
  );
  return Object.freeze({
    // An emptied log has no issue to report, and must still not read as verified: the
    // CLI says NOTHING VERIFIED (exit 2), and a caller checking `ok` alone is told the same.
    ok: issues.length === 0 && state.auditLines > 0,
    lines: state.lines,
    auditLines: state.auditLines,
    skipped: state.lines - state.auditLines,
    instances: Object.freeze(instances),
    keys: Object.freeze(keys.reports),
    issues: Object.freeze(issues),
  });
}
