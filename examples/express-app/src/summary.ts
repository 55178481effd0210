import { AUDIT_ACTIONS, AUDIT_FIELDS, AUDIT_STATUSES, LIFECYCLE_ACTIONS } from '@auditline/core';

/** Counts what the server audited, from its JSON lines (the exact bytes awslogs would ship). */
export interface AuditTally {
  /** Reads one stdout line; returns the parsed object, or undefined when it is not JSON. */
  add(line: string): Record<string, unknown> | undefined;
  /** Audit entries seen, lifecycle lines included. */
  readonly auditEntries: number;
  /** True once the `AUDIT_STOP` line has been seen. */
  readonly stopped: boolean;
  /** The summary table. */
  render(): string;
}

const LIFECYCLE: ReadonlySet<unknown> = new Set(Object.values(LIFECYCLE_ACTIONS));

function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * Builds a tally of audit lines: entries by action and status, failed logins
 * by client address, aborted requests, `seq` continuity and the app log lines
 * that shared stdout.
 *
 * @example
 * ```ts
 * const tally = createAuditTally();
 * for (const line of lines) tally.add(line);
 * console.log(tally.render());
 * ```
 */
export function createAuditTally(): AuditTally {
  const byAction = new Map<string, { success: number; failed: number }>();
  const failedLoginsByIp = new Map<string, number>();
  const seqs: number[] = [];
  let auditEntries = 0;
  let appLines = 0;
  let aborted = 0;
  let stopReason: string | undefined;

  return {
    add(line) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return undefined;
      }
      if (typeof parsed !== 'object' || parsed === null) return undefined;
      const entry = parsed as Record<string, unknown>;
      if (entry[AUDIT_FIELDS.audit] !== true) {
        appLines++;
        return entry;
      }
      auditEntries++;
      const seq = entry[AUDIT_FIELDS.seq];
      if (typeof seq === 'number') seqs.push(seq);
      const action = text(entry[AUDIT_FIELDS.action]);
      const details = entry[AUDIT_FIELDS.details] as Record<string, unknown> | null | undefined;
      if (action === LIFECYCLE_ACTIONS.AUDIT_STOP) stopReason = text(details?.reason ?? 'stop');
      const failed = entry[AUDIT_FIELDS.status] === AUDIT_STATUSES.FAILED;
      const row = byAction.get(action) ?? { success: 0, failed: 0 };
      if (failed) row.failed++;
      else row.success++;
      byAction.set(action, row);
      if (failed && action === AUDIT_ACTIONS.LOGIN) {
        const ip = text(entry[AUDIT_FIELDS.ipAddress] ?? 'unknown');
        failedLoginsByIp.set(ip, (failedLoginsByIp.get(ip) ?? 0) + 1);
      }
      if (details?.aborted === true) aborted++;
      return entry;
    },
    get auditEntries() {
      return auditEntries;
    },
    get stopped() {
      return stopReason !== undefined;
    },
    render() {
      const out: string[] = [];
      const sorted = [...seqs].sort((a, b) => a - b);
      const first = sorted[0];
      const last = sorted[sorted.length - 1];
      const gapless = sorted.every((s, i) => s === (first ?? 0) + i);
      out.push(
        `${auditEntries} audit entries, seq ${first ?? '-'}–${last ?? '-'} (${gapless ? 'no gaps' : 'GAPS'}), plus ${appLines} app log lines on the same stdout`,
      );
      out.push('');
      out.push(`  ${'action'.padEnd(16)}${'SUCCESS'.padStart(8)}${'FAILED'.padStart(8)}`);
      const rows = [...byAction].sort(
        ([a], [b]) => Number(LIFECYCLE.has(a)) - Number(LIFECYCLE.has(b)) || a.localeCompare(b),
      );
      for (const [action, row] of rows) {
        out.push(
          `  ${action.padEnd(16)}${String(row.success).padStart(8)}${String(row.failed).padStart(8)}`,
        );
      }
      out.push('');
      const ips = [...failedLoginsByIp].sort(([, a], [, b]) => b - a);
      out.push(
        `failed logins by client ip: ${ips.map(([ip, n]) => `${ip} ×${n}`).join(', ') || 'none'}`,
      );
      out.push(`aborted requests audited: ${aborted}`);
      out.push(`AUDIT_STOP: ${stopReason === undefined ? 'MISSING' : `written (${stopReason})`}`);
      return out.join('\n');
    },
  };
}
