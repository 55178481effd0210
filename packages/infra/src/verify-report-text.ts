import {
  escapeControlCharacters,
  type InstanceReport,
  issueLine,
  type VerifyIssue,
  type VerifyReport,
} from '@auditline/core/internal/verify';

/** Findings printed in the human report before "… and N more (see --json)". */
export const MAX_LISTED_ISSUES = 50;

/** One input and the 1-based range of records it contributed. */
export interface SourceSpan {
  readonly name: string;
  readonly firstLine: number;
  readonly lastLine: number;
}

/** Where a record came from: the input name and the record's position in it. */
export function locate(
  sources: readonly SourceSpan[],
  line: number,
): { source: string; record: number } | undefined {
  for (const span of sources) {
    if (line >= span.firstLine && line <= span.lastLine) {
      return { source: span.name, record: line - span.firstLine + 1 };
    }
  }
  return undefined;
}

/**
 * `n` with a comma every three digits, as `toLocaleString('en-US')` writes a
 * count, without Intl: its first call loaded ICU data, about 29 ms of a
 * verify run's start-up on Node 20 (issue #15).
 */
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Widest input-derived table cell (`instance`, `service`, a keyId); a real instance id is 16 hex digits. */
export const MAX_CELL_CHARS = 40;

/**
 * Text from the input as the report prints it: control, bidi and separator
 * characters escaped (a forged `instance` must not send ESC[8m or a fake
 * "CLEAN" line, issue #13) and cut to {@link MAX_CELL_CHARS}.
 */
function shown(text: string): string {
  const escaped = escapeControlCharacters(text);
  return escaped.length <= MAX_CELL_CHARS ? escaped : `${escaped.slice(0, MAX_CELL_CHARS - 1)}…`;
}

function seqText(instance: InstanceReport): string {
  return instance.firstSeq === instance.lastSeq
    ? String(instance.firstSeq)
    : `${instance.firstSeq}..${instance.lastSeq}`;
}

function chainText(instance: InstanceReport): string {
  if (instance.signed === 0) return 'off (seq only)';
  if (instance.verified === instance.signed) return `${count(instance.verified)} verified`;
  return `${count(instance.verified)}/${count(instance.signed)} verified`;
}

function closedText(instance: InstanceReport): string {
  if (!instance.closed) return 'NO AUDIT_STOP';
  const after = instance.afterStop > 0 ? ` (+${instance.afterStop} after)` : '';
  return `AUDIT_STOP at ${instance.stopSeq}${after}`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function where(issue: VerifyIssue, sources: readonly SourceSpan[]): string {
  const line = issueLine(issue);
  if (line === undefined) return '';
  const at = locate(sources, line);
  return at ? ` (${escapeControlCharacters(at.source)}, record ${at.record})` : '';
}

/**
 * Renders the human-readable report of `auditline verify`.
 *
 * @example
 * ```ts
 * process.stdout.write(formatReport(report, sources, { ignored: new Set(), exitCode: 0 }));
 * ```
 */
export function formatReport(
  report: VerifyReport,
  sources: readonly SourceSpan[],
  outcome: { ignored: ReadonlySet<VerifyIssue>; exitCode: number; verdict: string },
): string {
  const out: string[] = [];
  const names = sources.map((s) => escapeControlCharacters(s.name)).join(', ');
  out.push(
    `auditline verify: ${count(report.auditLines)} audit lines from ${report.instances.length} instance(s) in ${names}; ${count(report.skipped)} other line(s) skipped`,
  );
  for (const key of report.keys) {
    const label = key.keyId === '' ? '(no keyId)' : shown(key.keyId);
    out.push(
      key.available
        ? `keyId ${label}: ${count(key.verified)} of ${count(key.lines)} line(s) verified`
        : `keyId ${label}: ${count(key.lines)} line(s), NO KEY GIVEN`,
    );
  }
  if (report.instances.length > 0) {
    out.push('');
    const rows: string[][] = [['instance', 'service', 'seq', 'entries', 'chain', 'closed', '']];
    for (const instance of report.instances) {
      rows.push([
        shown(instance.instance),
        instance.service === undefined ? '-' : shown(instance.service),
        seqText(instance),
        count(instance.entries),
        chainText(instance),
        closedText(instance),
        instance.ok ? 'ok' : 'PROBLEMS',
      ]);
    }
    // A loop, not push(...rows): a spread argument overflows the stack with
    // hundreds of thousands of instances (issue #13).
    for (const row of table(rows)) out.push(`  ${row}`);
  }
  const listed = report.issues;
  if (listed.length > 0) {
    out.push('', `${count(listed.length)} finding(s):`);
    for (const issue of listed.slice(0, MAX_LISTED_ISSUES)) {
      const note = outcome.ignored.has(issue) ? ' (ignored: --partial)' : '';
      out.push(`  [${issue.code}] ${issue.message}${where(issue, sources)}${note}`);
    }
    if (listed.length > MAX_LISTED_ISSUES) {
      out.push(`  … and ${count(listed.length - MAX_LISTED_ISSUES)} more (use --json for all)`);
    }
  }
  out.push('', `${outcome.verdict} (exit ${outcome.exitCode})`, '');
  return out.join('\n');
}
