import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// Issue #13: a log() re-entered from an `error` listener (the destination broke
// while writing a line) must not break one-line-per-call or burn seq numbers.
// A real child process, a real pipe whose reader goes away (EPIPE).

const FIXTURE = fileURLToPath(new URL('./fixtures/error-listener-logs.mjs', import.meta.url));
const COUNT = 20_000;

describe('log() from an error listener (issue #13)', () => {
  it('takes exactly one seq per call, accounts for every entry, and does not recurse or throw', async () => {
    // Act: the reader closes after the first chunk.
    const result = await runChild(FIXTURE, [String(COUNT)], {
      onSpawn: (child) => child.stdout?.once('data', () => child.stdout?.destroy()),
    });
    // Assess
    expect(result.code).toBe(0);
    const stats = JSON.parse(/stats (\{.*\})/.exec(result.stderr)?.[1] ?? '{}');
    const nested = JSON.parse(/nested (\{.*\})/.exec(result.stderr)?.[1] ?? '{}');
    // AUDIT_START, COUNT entries and the listener's one: one seq each, none burned.
    expect(stats.seq).toBe(COUNT + 2);
    expect(stats.written + stats.lost).toBe(COUNT + 2);
    expect(nested.action).toBe('AUDIT_DESTINATION_FAILED');
    expect(nested.seq).toBeGreaterThan(1);
    // The failure is reported once, not once per nested call.
    expect(result.stderr.match(/audit destination failed with EPIPE/g)).toHaveLength(1);
  });
});
