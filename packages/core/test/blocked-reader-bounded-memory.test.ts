import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

// SPEC §4.4: with a blocked reader, memory must not grow without bound. The
// synchronous destination throttles the writer to the reader instead of
// buffering: while nobody reads, the writer makes no progress and its RSS
// stays put. An async destination would keep accepting lines and grow.
describe('a stalled reader', () => {
  it('blocks the writer instead of buffering lines in memory, then resumes', async () => {
    const progressAt: number[] = [];
    const rss: number[] = [];
    let pausedAt = 0;
    let resumedAt = 0;
    const result = await runChild(
      WRITER,
      [JSON.stringify({ end: 'forever', progress: true, detailsBytes: 200 })],
      {
        keep: 0,
        onSpawn: (child) => {
          child.stderr?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('progress')) progressAt.push(performance.now());
          });
          setTimeout(() => {
            child.stdout?.pause();
            pausedAt = performance.now();
          }, 400);
          for (const at of [900, 1_300, 1_700, 2_100]) {
            setTimeout(() => rss.push(rssKb(child.pid ?? 0)), at);
          }
          setTimeout(() => {
            resumedAt = performance.now();
            child.stdout?.resume();
          }, 2_200);
          setTimeout(() => child.kill('SIGKILL'), 2_700);
        },
      },
    );

    // Assess: once the pipe filled, no progress while paused; RSS flat (< 2 MiB
    // drift over 1.2 s, where buffering 200-byte lines would add tens of MiB);
    // progress again after resume.
    expect(result.signal).toBe('SIGKILL');
    const duringPause = progressAt.filter((t) => t > pausedAt + 300 && t < resumedAt);
    expect(duringPause).toEqual([]);
    expect(rss).toHaveLength(4);
    expect(Math.max(...rss) - Math.min(...rss)).toBeLessThan(2_048);
    expect(progressAt.some((t) => t > resumedAt)).toBe(true);
  });
});
