import type { InstanceReport, VerifyIssue, VerifyReport } from '@auditline/core';

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

const count = (n: number): string => n.toLocaleString('en-US');

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
  if (issue.line === undefined) return '';
  const at = locate(sources, issue.line);
  return at ? ` (${at.source}, record ${at.record})` : '';
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
  const names = sources.map((s) => s.name).join(', ');
  out.push(
    `auditline verify: ${count(report.auditLines)} audit lines from ${report.instances.length} instance(s) in ${names}; ${count(report.skipped)} other line(s) skipped`,
  );
  for (const key of report.keys) {
    const label = key.keyId === '' ? '(no keyId)' : key.keyId;
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
        instance.instance,
        instance.service ?? '-',
        seqText(instance),
        count(instance.entries),
        chainText(instance),
        closedText(instance),
        instance.ok ? 'ok' : 'PROBLEMS',
      ]);
    }
    out.push(...table(rows).map((row) => `  ${row}`));
  }
  const listed = report.issues;
  if (listed.length > 0) {
    out.push('', `${listed.length} finding(s):`);
    for (const issue of listed.slice(0, MAX_LISTED_ISSUES)) {
      const note = outcome.ignored.has(issue) ? ' (ignored: --partial)' : '';
      out.push(`  [${issue.code}] ${issue.message}${where(issue, sources)}${note}`);
    }
    if (listed.length > MAX_LISTED_ISSUES) {
      out.push(`  … and ${listed.length - MAX_LISTED_ISSUES} more (use --json for all)`);
    }
  }
  out.push('', `${outcome.verdict} (exit ${outcome.exitCode})`, '');
  return out.join('\n');
}
