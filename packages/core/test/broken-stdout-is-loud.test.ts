import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));

// SPEC §4.4: on EPIPE/EBADF pino turns writes into silent no-ops (a test saw
// ~4,990 of 5,000 entries lost with exit code 0). auditline reports the failure
// once on stderr, emits `error` on the logger and counts every lost entry; with
// failClosed it exits non-zero like auditd's disk_error_action.
const COUNT = 50_000;

function closeReaderEarly(child: import('node:child_process').ChildProcess): void {
  child.stdout?.once('data', () => child.stdout?.destroy());
}

function statsOf(stderr: string): { written: number; lost: number; seq: number } {
  const json = /stats (\{.*\})/.exec(stderr)?.[1];
  return JSON.parse(json ?? '{}');
}

describe('a reader that goes away', () => {
  it('reports EPIPE once, emits error, and counts every lost entry', async () => {
    const result = await runChild(WRITER, [JSON.stringify({ count: COUNT })], {
      onSpawn: closeReaderEarly,
    });

    expect(result.code).toBe(0);
    expect(result.stderr.match(/audit destination failed with EPIPE/g)).toHaveLength(1);
    expect(result.stderr).toContain('error-event AUDIT_DESTINATION_FAILED EPIPE');
    const stats = statsOf(result.stderr);
    expect(stats.lost).toBeGreaterThan(0);
    // Nothing vanishes unaccounted: every entry was either written or counted lost.
    expect(stats.written + stats.lost).toBe(COUNT + 1);
    expect(result.stderr).toMatch(new RegExp(`${stats.lost} audit entries were lost`));
  });

  it('exits with code 74 when failClosed is on', async () => {
    const result = await runChild(
      WRITER,
      [JSON.stringify({ count: COUNT, options: { failClosed: true } })],
      { onSpawn: closeReaderEarly },
    );

    expect(result.code).toBe(74);
    expect(result.stderr).toContain('failClosed is on');
  });
});
