import { fileURLToPath } from 'node:url';
import { pauseReading, runChild, seqProblems } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// issue #14: sharing a destination must use public routes only. The adapter's
// pino-http logger writes through createAppLogger({ audit }), so req.log lines
// and audit lines have one synchronous writer, the audit logger's appStream.
// If pino-http had its own pino() stream on fd 1, an app line's forged
// `"audit":true` would reach the top level (asserted below, deterministic), and
// a 30 KB app line could be split by an audit line under a slow reader.
const FIXTURE = fileURLToPath(
  new URL('./fixtures/req-log-and-audit-on-stdout.mjs', import.meta.url),
);
const REQUESTS = 200;

describe('req.log and audit lines on one stdout pipe', () => {
  it('keeps every app and audit line whole and every seq, with a slow reader', async () => {
    // Act
    const result = await runChild(FIXTURE, [String(REQUESTS)], {
      onSpawn: (child) => pauseReading(child, 2),
    });

    // Assess: a spliced line would not parse; a lost one would change the counts.
    expect(result.code).toBe(0);
    const entries = result.lines.map((line) => {
      try {
        return JSON.parse(line) as {
          audit?: boolean;
          msg?: string;
          action?: string;
          app_fields?: { audit?: unknown };
        };
      } catch {
        throw new Error(`not one JSON line: ${line.slice(0, 120)}`);
      }
    });
    const audits = result.lines.filter((_, i) => entries[i]?.audit === true);
    const handled = entries.filter((e) => e.msg === 'handled');
    expect(handled).toHaveLength(REQUESTS);
    // Written through the audit logger's appStream: its guard moved the forged key.
    expect(handled.every((e) => e.audit === undefined && e.app_fields?.audit === true)).toBe(true);
    expect(entries.filter((e) => e.audit === true && e.action === 'READ')).toHaveLength(REQUESTS);
    expect(audits).toHaveLength(REQUESTS + 2); // + AUDIT_START and AUDIT_STOP
    expect(seqProblems(audits).problems).toEqual([]);
  });
});
