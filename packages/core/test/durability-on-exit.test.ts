import { fileURLToPath } from 'node:url';
import { runChild, seqProblems } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));

// SPEC §4.4: a process that exits, throws, is SIGTERMed or SIGKILLed right
// after log() returns has already handed every line to the kernel. If any of
// these fail, audit lines are being buffered in user space and lost at exit.
const COUNT = 100_000;

describe('durable writes to a piped stdout', () => {
  it.each([
    ['process.exit(0)', 'exit', 0, null],
    ['an uncaught throw', 'throw', 1, null],
    ['SIGKILL right after the last log()', 'sigkill', null, 'SIGKILL'],
  ] as const)(
    'delivers every line when the process ends by %s',
    async (_name, end, code, signal) => {
      // Prepare / Act
      const result = await runChild(WRITER, [JSON.stringify({ count: COUNT, end })], {
        parse: true,
      });

      // Assess: AUDIT_START plus COUNT entries, seq 1..COUNT+1 with no gap, duplicate or reorder.
      expect(result.code).toBe(code);
      expect(result.signal).toBe(signal);
      const { count, problems } = seqProblems(result.lines);
      expect(problems).toEqual([]);
      expect(count).toBe(COUNT + 1);
    },
  );

  it('delivers every line and AUDIT_STOP on SIGTERM with handleSignals', async () => {
    // Prepare: the child writes COUNT lines, says "ready", then idles.
    const result = await runChild(
      WRITER,
      [JSON.stringify({ count: COUNT, end: 'signal-wait', options: { handleSignals: true } })],
      {
        parse: true,
        onSpawn: (child) => {
          child.stderr?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('ready')) child.kill('SIGTERM');
          });
        },
      },
    );

    // Assess: no app handler, so the signal was re-raised and the default action ran.
    expect(result.signal).toBe('SIGTERM');
    const { count, problems } = seqProblems(result.lines);
    expect(problems).toEqual([]);
    expect(count).toBe(COUNT + 2);
    const last = JSON.parse(result.lines.at(-1) ?? '{}');
    expect(last.action).toBe('AUDIT_STOP');
    expect(last.details.reason).toBe('SIGTERM');
    expect(last.details.final_seq).toBe(COUNT + 2);
  });

  it("lets the app's own SIGTERM handler run after AUDIT_STOP", async () => {
    const result = await runChild(
      WRITER,
      [
        JSON.stringify({
          count: 10,
          end: 'signal-wait',
          appHandler: true,
          options: { handleSignals: true },
        }),
      ],
      {
        onSpawn: (child) => {
          child.stderr?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('ready')) child.kill('SIGTERM');
          });
        },
      },
    );

    expect(result.stderr).toContain('app-shutdown');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.lines.at(-1) ?? '{}').action).toBe('AUDIT_STOP');
  });

  it.each([
    ['exit', 0, 'SUCCESS'],
    ['throw', 1, 'FAILED'],
  ] as const)(
    'closes the chain on %s with handleSignals, recording the exit code',
    async (end, code, status) => {
      const result = await runChild(WRITER, [
        JSON.stringify({ count: 1_000, end, options: { handleSignals: true } }),
      ]);
      expect(result.code).toBe(code);
      expect(seqProblems(result.lines).problems).toEqual([]);
      const last = JSON.parse(result.lines.at(-1) ?? '{}');
      expect(last).toMatchObject({ action: 'AUDIT_STOP', status, seq: 1_002 });
      expect(last.details).toMatchObject({ reason: 'exit', exit_code: code, final_seq: 1_002 });
    },
  );

  it('writes AUDIT_STOP on SIGINT too', async () => {
    const result = await runChild(
      WRITER,
      [JSON.stringify({ count: 10, end: 'signal-wait', options: { handleSignals: true } })],
      {
        onSpawn: (child) => {
          child.stderr?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('ready')) child.kill('SIGINT');
          });
        },
      },
    );
    expect(result.signal).toBe('SIGINT');
    const last = JSON.parse(result.lines.at(-1) ?? '{}');
    expect(last.action).toBe('AUDIT_STOP');
    expect(last.details.reason).toBe('SIGINT');
  });
});
