import type { AuditEntry } from '../schema.js';
import type { AuditDestination } from '../types.js';

/**
 * An in-memory destination for tests: keeps every raw line and its parsed form.
 *
 * @example
 * ```ts
 * const sink: MemorySink = createMemorySink();
 * createAuditLogger({ destination: sink, format: 'json' }).log({ action: 'READ', resource: '/a', status: 'SUCCESS' });
 * sink.lines.length; // 2: AUDIT_START, then READ
 * ```
 */
export interface MemorySink extends AuditDestination {
  /** Raw lines as written, newline included. */
  readonly lines: readonly string[];
  /** Parsed audit entries (lines with `audit: true`), in order. */
  readonly entries: readonly AuditEntry[];
  /** Parsed entries other than the `AUDIT_START`/`AUDIT_STOP` lifecycle lines. */
  events(): AuditEntry[];
  /** Forget everything written so far. */
  clear(): void;
}

/**
 * A destination that stores lines in memory, for unit tests
 * (`createAuditLogger({ destination: sink })`). Parsing uses `JSON.parse`, so a
 * line that is not valid JSON fails the test at the write.
 *
 * @example
 * ```ts
 * import { createMemorySink } from '@auditline/core/testing';
 * const sink = createMemorySink();
 * const audit = createAuditLogger({ destination: sink, format: 'json' });
 * audit.log({ action: 'LOGIN', resource: '/login', status: 'SUCCESS' });
 * sink.events()[0]?.action; // 'LOGIN'
 * ```
 */
export function createMemorySink(): MemorySink {
  const lines: string[] = [];
  const entries: AuditEntry[] = [];
  return {
    lines,
    entries,
    write(line: string): boolean {
      lines.push(line);
      const parsed = JSON.parse(line) as AuditEntry;
      if (parsed.audit === true) entries.push(parsed);
      return true;
    },
    flush(callback: (err?: Error | null) => void): void {
      callback(null);
    },
    events(): AuditEntry[] {
      return entries.filter((e) => e.action !== 'AUDIT_START' && e.action !== 'AUDIT_STOP');
    },
    clear(): void {
      lines.length = 0;
      entries.length = 0;
    },
  };
}
