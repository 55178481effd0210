import { fileURLToPath } from 'node:url';
import { STALL_EXIT_CODE } from '@auditline/core';
import { runChild, seqProblems } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));

// SPEC §4.4 / issue #13: a stalled reader blocks the writing thread, signal
// handlers included. `onStall: 'exit'` bounds that: the process says so on
// stderr and exits 75 (EX_TEMPFAIL) so the orchestrator restarts it, instead
// of hanging until SIGKILL. Bounds below are liveness guards, not timings: the
// child is killed only if the policy never acts.
const STALL_TIMEOUT_MS = 300;
const NEVER_EXITED_MS = 20_000;

describe('a reader that stops reading', () => {
  it("with onStall: 'exit', exits 75 within the bound instead of hanging", async () => {
    // Prepare: the reader never reads a byte; the writer fills the pipe and stalls.
    let killedByTest = false;

    // Act
    const result = await runChild(
      WRITER,
      [
        JSON.stringify({
          end: 'forever',
          options: { onStall: 'exit', stallTimeoutMs: STALL_TIMEOUT_MS, handleSignals: true },
        }),
      ],
      {
        keep: 0,
        onSpawn: (child) => {
          child.stdout?.pause();
          const guard = setTimeout(() => {
            killedByTest = true;
            child.kill('SIGKILL');
          }, NEVER_EXITED_MS);
          child.on('exit', () => {
            clearTimeout(guard);
            child.stdout?.resume();
          });
        },
      },
    );

    // Assess: the policy, not our SIGKILL, ended it; stderr names the option and the code.
    expect(killedByTest).toBe(false);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(STALL_EXIT_CODE);
    expect(result.stderr).toContain('stallTimeoutMs: 300');
    expect(result.stderr).toContain(`exiting with code ${STALL_EXIT_CODE}`);
    // The exit handlers (AUDIT_STOP from handleSignals) did not stall a second time:
    // the first message is the only one.
    expect(result.stderr.split('accepted no byte').length - 1).toBe(1);
  }, 30_000);

  it("with onStall: 'block' (the default), says so on stderr, waits, and loses nothing when reading resumes", async () => {
    // Prepare: 20,000 lines of ~300 bytes, far more than a pipe holds.
    const count = 20_000;
    let resumed = false;

    // Act: stop reading until the child reports the stall, then read again.
    const result = await runChild(
      WRITER,
      [JSON.stringify({ count, detailsBytes: 200, options: { stallTimeoutMs: STALL_TIMEOUT_MS } })],
      {
        onSpawn: (child) => {
          child.stdout?.pause();
          child.stderr?.on('data', (chunk: Buffer) => {
            if (!resumed && chunk.toString().includes('onStall is "block"')) {
              resumed = true;
              child.stdout?.resume();
            }
          });
          const guard = setTimeout(() => child.kill('SIGKILL'), NEVER_EXITED_MS);
          child.on('exit', () => clearTimeout(guard));
        },
      },
    );

    // Assess: it blocked (the notice came while nothing was read), then wrote every line in order.
    expect(resumed).toBe(true);
    expect(result.code).toBe(0);
    expect(seqProblems(result.lines).problems).toEqual([]);
    expect(result.lines).toHaveLength(count + 1);
  }, 30_000);
});
