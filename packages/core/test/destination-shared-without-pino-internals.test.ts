import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WARNING_CODES } from '@auditline/core';
import { type ChildResult, pauseReading, runChild, seqProblems } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// issue #14: sharing a destination with a pino logger used to read pino's
// private stream symbol (STYLE anti-patterns). `destination` now takes the stream
// itself or an fd, and `pino` alone falls back to auditline's fd 1 writer with
// one warning. What must hold on every route: app lines and audit lines that
// share a descriptor never interleave, no audit line is lost, seq stays in order.
const FIXTURE = fileURLToPath(new URL('./fixtures/shared-destination.mjs', import.meta.url));
const AUDITS = 200;
const LOGS_PER_AUDIT = 5;

/** A reader that stops for 2 ms every 2 ms, so the pipe is full most of the time. */
const slowReader = (child: ChildProcess): void => pauseReading(child, 2);

function parsed(lines: readonly string[]): Record<string, unknown>[] {
  // A spliced line would throw here, naming itself.
  return lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`not one JSON line: ${line.slice(0, 120)}`);
    }
  });
}

function expectWholeSharedRun(result: ChildResult): void {
  expect(result.code).toBe(0);
  const entries = parsed(result.lines);
  const audits = result.lines.filter((_, i) => entries[i]?.audit === true);
  const apps = entries.filter((e) => e.msg === 'app line');
  expect(audits).toHaveLength(AUDITS + 2); // + AUDIT_START and AUDIT_STOP
  expect(seqProblems(audits).problems).toEqual([]);
  expect(apps).toHaveLength(AUDITS * LOGS_PER_AUDIT);
}

describe('sharing a destination without pino internals', () => {
  it('a pino.destination() stream given as destination carries app and audit lines whole, none lost (a shared but unordered stream would splice them)', async () => {
    const result = await runChild(FIXTURE, ['stream'], { onSpawn: slowReader });

    expectWholeSharedRun(result);
    expect(result.stderr).not.toContain(WARNING_CODES.pinoNotShared);
  });

  it("destination: 1 writes through auditline's own writer, and createAppLogger shares it whole (a second fd 1 writer would splice lines)", async () => {
    const result = await runChild(FIXTURE, ['fd'], { onSpawn: slowReader });

    expectWholeSharedRun(result);
    expect(result.stderr).toBe('');
  });

  it('destination: 2 sends audit lines to fd 2 and nothing to stdout (an fd number ignored would write fd 1)', async () => {
    const result = await runChild(FIXTURE, ['fd2']);

    expect(result.code).toBe(0);
    expect(result.lines).toEqual([]);
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(parsed(lines).map((e) => e.action)).toEqual([
      'AUDIT_START',
      ...Array.from({ length: AUDITS }, () => 'DELETE'),
      'AUDIT_STOP',
    ]);
  });

  it("pino alone: audit lines go to fd 1 through auditline's writer, not the pino logger's fd 2, with one coded warning for two loggers", async () => {
    const result = await runChild(FIXTURE, ['pino']);

    expect(result.code).toBe(0);
    const entries = parsed(result.lines);
    expect(entries.filter((e) => e.action === 'DELETE')).toHaveLength(AUDITS);
    expect(
      seqProblems(result.lines.filter((l) => l.includes('"service":"shared"'))).problems,
    ).toEqual([]);
    expect(result.stderr).not.toContain('"audit":true');
    expect(result.stderr.split(WARNING_CODES.pinoNotShared)).toHaveLength(2);
    expect(result.stderr).toMatch(/Fix: pass the stream the logger writes to as "destination"/);
  });
});
