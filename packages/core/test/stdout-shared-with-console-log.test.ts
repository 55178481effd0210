import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pauseReading, runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/console-and-audit.mjs', import.meta.url));
const AUDITS = 1_000;
const LOGS_PER_AUDIT = 10;
/** Above PIPE_BUF (4096): only such writes can be split by the kernel, leaving a rest queued in libuv. */
const LOG_BYTES = 8_000;

// issue #13: with a slow reader, process.stdout (console.log) keeps part of a
// chunk queued in libuv, and an audit writeSync issued meanwhile lands inside
// it (`…xxxx{"level":"info","audit":true…`). Measured before the fix: 3–4 of
// 502 audit lines per run were no longer JSON. The reader here pauses every
// few ms, so the pipe is full most of the time and libuv has to queue. The
// same fixture with `routeStdout: false` broke 86–92 of 1,001 lines per run.
describe('console.log sharing fd 1 with the audit logger', () => {
  it('never splits an audit line, with 10,000 console.log calls between 1,000 audit lines and a slow reader', async () => {
    // Prepare: a reader that stops for 2 ms every 2 ms.
    const slowReader = (child: ChildProcess) => pauseReading(child, 2);

    // Act
    const result = await runChild(
      FIXTURE,
      [JSON.stringify({ audits: AUDITS, logsPerAudit: LOGS_PER_AUDIT, logBytes: LOG_BYTES })],
      { onSpawn: slowReader },
    );

    // Assess: every line is whole: either one console.log line exactly as
    // written, or an audit line that parses. A spliced line is neither.
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('done');
    const auditLines = result.lines.filter((line) => line.includes('"audit":true'));
    const appLines = result.lines.filter((line) => line.startsWith('app '));
    const broken = result.lines.filter(
      (line) => !/^app \d+\.\d+ x{8000}$/.test(line) && !parses(line),
    );
    expect(broken.map((line) => line.slice(0, 120))).toEqual([]);
    expect(auditLines).toHaveLength(AUDITS + 1); // + AUDIT_START
    expect(auditLines.every((line) => parses(line) && line.startsWith('{"level":"info"'))).toBe(
      true,
    );
    expect(appLines).toHaveLength(AUDITS * LOGS_PER_AUDIT);
  }, 60_000);
});

function parses(line: string): boolean {
  try {
    return (JSON.parse(line) as { audit?: unknown }).audit === true;
  } catch {
    return false;
  }
}
