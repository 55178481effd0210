// What `verifyAuditLog` returns (SPEC §7): plain frozen data. Issues are a
// union discriminated by `code`, each with its own typed payload, as zod's
// issues are (issue #14): a consumer switches on `code` and TypeScript knows
// which fields exist.

/**
 * `problem`: the log shows loss, tampering or forgery. `key`: verification itself was not possible.
 *
 * @example
 * ```ts
 * const problems = report.issues.filter((i) => i.severity === 'problem');
 * ```
 */
export type VerifyIssueSeverity = 'problem' | 'key';

/**
 * An inclusive range of `seq` values.
 *
 * @example
 * ```ts
 * const missing: SeqRange = { from: 4, to: 6 };
 * ```
 */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

interface IssueOf<Code extends string, Severity extends VerifyIssueSeverity = 'problem'> {
  readonly code: Code;
  readonly severity: Severity;
  /** One line of prose; input text in it is escaped and shortened. */
  readonly message: string;
}

/** Findings about one instance carry it, and the `seq` they are sorted by. */
interface InstanceIssueOf<Code extends string> extends IssueOf<Code> {
  readonly instance: string;
  readonly seq: number;
}

/** `seq` values missing between two lines seen (lost or deleted lines). */
export interface GapIssue extends InstanceIssueOf<'gap'> {
  readonly range: SeqRange;
}
/** `seq` 1 to the first seen are missing: `AUDIT_START` is not in the input. */
export interface MissingHeadIssue extends InstanceIssueOf<'missing-head'> {
  readonly range: SeqRange;
}
/** A `seq` seen more than once; `genuine` when this copy verifies with the key. */
export interface DuplicateIssue extends InstanceIssueOf<'duplicate'> {
  readonly line: number;
  readonly genuine: boolean;
}
/** A line whose HMAC does not match. */
export interface HashMismatchIssue extends InstanceIssueOf<'hash-mismatch'> {
  readonly keyId: string;
  readonly line: number;
}
/** A line whose `prev` is not the hash of the line before it. */
export interface ChainBreakIssue extends InstanceIssueOf<'chain-break'> {
  readonly line: number;
}
/** Lines without `hash` in a chained instance. */
export interface UnsignedEntryIssue extends InstanceIssueOf<'unsigned-entry'> {
  readonly range: SeqRange;
  readonly line: number;
}
/** An instance with no hash at all although a key was given. */
export interface UnsignedInstanceIssue extends InstanceIssueOf<'unsigned-instance'> {
  readonly range: SeqRange;
}
/** No `AUDIT_STOP` for the instance: cut short, or still running. */
export interface UnclosedIssue extends InstanceIssueOf<'unclosed'> {}
/** `AUDIT_STOP` whose `details.final_seq` is not its own `seq`. */
export interface StopMismatchIssue extends InstanceIssueOf<'stop-mismatch'> {
  readonly line: number;
  readonly finalSeq: number | undefined;
}
/**
 * Lines of an instance after its `AUDIT_STOP` (SPEC §7, issue #11): the stop
 * is the last line, so these were written after close or inserted. `line` is
 * given when the first of them starts a run of lines seen.
 */
export interface AfterStopIssue extends InstanceIssueOf<'after-stop'> {
  readonly range: SeqRange;
  readonly stopSeq: number;
  readonly line: number | undefined;
}
/** `"audit":true` but no valid `instance` and `seq`: it cannot be placed in any chain. */
export interface MalformedEntryIssue extends IssueOf<'malformed-entry'> {
  readonly line: number;
}
/**
 * A line Logs Insights counts as an audit line (`audit = 1` matches `1`,
 * `"1"`, `"true"`) whose marker is not the JSON `true` the logger writes
 * (SPEC §7, issue #13): every saved query shows it, so it is reported.
 * `marker` is the JSON text of the value.
 */
export interface NotAuditMarkerIssue extends IssueOf<'not-audit-marker'> {
  readonly line: number;
  readonly marker: string;
}
/** A line longer than the reader's cap: counted, not read, and reading went on. */
export interface OversizedLineIssue extends IssueOf<'oversized-line'> {
  readonly line: number;
  /** Its length in characters, or at least this many when the reader stopped counting. */
  readonly chars: number;
}
/** Lines signed with a `keyId` for which no key was given. */
export interface MissingKeyIssue extends IssueOf<'missing-key', 'key'> {
  readonly keyId: string;
  readonly count: number;
  readonly instance: string;
  readonly seq: number;
}
/** Not one line signed with this `keyId` verifies: the key is probably wrong. */
export interface WrongKeyIssue extends IssueOf<'wrong-key', 'key'> {
  readonly keyId: string;
  readonly count: number;
  readonly instance: string;
  readonly seq: number;
}

/**
 * One finding, discriminated by `code`.
 *
 * @example
 * ```ts
 * for (const issue of report.issues) {
 *   if (issue.code === 'gap') console.error(issue.instance, issue.range.from, issue.range.to);
 *   else if (issue.code === 'hash-mismatch') console.error(issue.keyId, issue.line);
 * }
 * ```
 */
export type VerifyIssue =
  | GapIssue
  | MissingHeadIssue
  | DuplicateIssue
  | HashMismatchIssue
  | ChainBreakIssue
  | UnsignedEntryIssue
  | UnsignedInstanceIssue
  | UnclosedIssue
  | StopMismatchIssue
  | AfterStopIssue
  | MalformedEntryIssue
  | NotAuditMarkerIssue
  | OversizedLineIssue
  | MissingKeyIssue
  | WrongKeyIssue;

/**
 * What went wrong, as a string literal.
 *
 * @example
 * ```ts
 * const tampering: ReadonlySet<VerifyIssueCode> = new Set(['hash-mismatch', 'chain-break']);
 * ```
 */
export type VerifyIssueCode = VerifyIssue['code'];

/**
 * The 1-based input line a finding points at, when one line is at fault.
 *
 * @example
 * ```ts
 * const lines = report.issues.map(issueLine); // (number | undefined)[]
 * ```
 */
export function issueLine(issue: VerifyIssue): number | undefined {
  return 'line' in issue ? issue.line : undefined;
}

/**
 * A line whose HMAC did not match, with the key id it claims.
 *
 * @example
 * ```ts
 * const where = (m: HashMismatch) => `line ${m.line}: seq ${m.seq} (keyId ${m.keyId})`;
 * ```
 */
export interface HashMismatch {
  readonly seq: number;
  readonly keyId: string;
  readonly line: number;
}

/**
 * What the verifier saw for one logger instance (SPEC §7).
 *
 * @example
 * ```ts
 * const open = report.instances.filter((i) => !i.closed).map((i) => `${i.instance} ${i.firstSeq}..${i.lastSeq}`);
 * ```
 */
export interface InstanceReport {
  readonly instance: string;
  /** `service` of the first line seen. */
  readonly service: string | undefined;
  readonly entries: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Missing `seq` ranges between `firstSeq` and `lastSeq`, and before `firstSeq` when it is not 1. */
  readonly gaps: readonly SeqRange[];
  /** Every `seq` seen more than once (one element per extra copy). */
  readonly duplicates: readonly number[];
  readonly hashMismatches: readonly HashMismatch[];
  /** `seq` values whose `prev` is not the `hash` of `seq - 1` (or the genesis value at 1). */
  readonly chainBreaks: readonly number[];
  /** Lines of a chained instance that carry no `hash`. */
  readonly unsigned: readonly SeqRange[];
  /** Lines carrying a `hash`. */
  readonly signed: number;
  /** Lines whose HMAC was checked and matched. */
  readonly verified: number;
  /** An `AUDIT_STOP` line was seen. */
  readonly closed: boolean;
  /** `seq` of the (first, lowest) `AUDIT_STOP` line. */
  readonly stopSeq: number | undefined;
  /** `details.final_seq` of that `AUDIT_STOP` line. */
  readonly finalSeq: number | undefined;
  /** Lines seen with a `seq` after `AUDIT_STOP`: each is reported as `after-stop`. */
  readonly afterStop: number;
  /** No issue concerns this instance. */
  readonly ok: boolean;
}

/**
 * Per key id: how many lines claimed it, how many verified.
 *
 * @example
 * ```ts
 * const missingKeys = report.keys.filter((k) => !k.available).map((k) => k.keyId);
 * ```
 */
export interface KeyReport {
  readonly keyId: string;
  readonly available: boolean;
  readonly lines: number;
  readonly verified: number;
  readonly mismatched: number;
}

/**
 * Result of verifying audit lines (SPEC §7). Plain frozen data, safe to `JSON.stringify`.
 *
 * @example
 * ```ts
 * const exitCode = (report: VerifyReport) => (report.ok ? 0 : 1);
 * ```
 */
export interface VerifyReport {
  /** No issue of any kind, and at least one audit line: an input without any is not `ok`. */
  readonly ok: boolean;
  /** Lines given, audit or not. */
  readonly lines: number;
  /** Lines with `"audit":true`. */
  readonly auditLines: number;
  /** Lines that are not audit lines (app logs, blank, not JSON): skipped and counted. */
  readonly skipped: number;
  readonly instances: readonly InstanceReport[];
  readonly keys: readonly KeyReport[];
  /** Every finding: instance by instance in `seq` order, then line findings, then key findings. */
  readonly issues: readonly VerifyIssue[];
}
