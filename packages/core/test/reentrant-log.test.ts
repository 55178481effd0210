import { fileURLToPath } from 'node:url';
import {
  type AuditLogger,
  type AuditPlugin,
  createAuditLogger,
  runWithAuditContext,
} from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { verifyAuditLog } from '@auditline/core/verify';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// SPEC §4.6 / issue #13: a log() re-entered from a getter, getUserId or a
// plugin never breaks one-line-per-call or the chain; the fallback never takes
// a second seq and never throws. The red-team pass: a getter that logs got seq
// n+1 but was sealed before seq n, and verify reported 3 chain breaks.

const KEY = 'reentrancy-key-0123456789abcdef';
const BASE = { action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' } as const;

function setup(plugins: AuditPlugin[] = []): { sink: MemorySink; audit: AuditLogger } {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    destination: sink,
    format: 'json',
    integrity: { key: KEY, keyId: 'k1' },
    plugins,
  });
  return { sink, audit };
}

/** After close(), the stream verifies clean with the key, and seq runs 1..n in line order. */
async function expectIntactChain(
  audit: AuditLogger,
  sink: MemorySink,
  calls: number,
): Promise<void> {
  await audit.close();
  const lines = sink.lines.map((l) => l.trimEnd());
  // AUDIT_START, one line per log() call, AUDIT_STOP.
  expect(lines).toHaveLength(calls + 2);
  expect(sink.entries.map((e) => e.seq)).toEqual(
    Array.from({ length: calls + 2 }, (_, i) => i + 1),
  );
  const report = verifyAuditLog(lines, { keys: { k1: KEY } });
  expect(report.issues).toEqual([]);
  expect(report.ok).toBe(true);
}

describe('re-entrant log() (SPEC §4.6, issue #13)', () => {
  it('keeps the chain valid when a details getter logs (a lazy relation)', async () => {
    // Prepare
    const { sink, audit } = setup();
    const details = {
      get order(): string {
        audit.log({ ...BASE, action: 'READ', resource: '/orders/1/lines' });
        return 'o-1';
      },
    };
    // Act
    const outer = audit.log({ ...BASE, details });
    // Assess: the nested entry is simply the earlier line; the outer one follows it.
    await expectIntactChain(audit, sink, 2);
    expect(sink.entries.map((e) => e.action)).toEqual([
      'AUDIT_START',
      'READ',
      'UPDATE',
      'AUDIT_STOP',
    ]);
    expect(outer.seq).toBe(3);
    expect(outer.details).toEqual({ order: 'o-1' });
  });

  it('keeps the chain valid when the context user getter (getUserId) logs, twice nested', async () => {
    const { sink, audit } = setup();
    let depth = 0;
    const ctx = {
      traceId: 't-1',
      get userId(): string {
        if (depth++ < 2) audit.log({ ...BASE, action: 'LOGIN', resource: `/nested/${depth}` });
        return 'u-1';
      },
    };
    runWithAuditContext(ctx, () => audit.log(BASE));
    await expectIntactChain(audit, sink, 3);
  });

  it('keeps the chain valid when a plugin logs while building its members', async () => {
    const holder: { audit?: AuditLogger } = {};
    let logged = false;
    const plugin: AuditPlugin = {
      name: 'nosy',
      reservedKeys: ['nosy'],
      setup: () => ({
        fragment(entry): string {
          if (holder.audit && !logged && entry.action === 'UPDATE') {
            logged = true;
            holder.audit.log({ ...BASE, action: 'PLUGIN_NOTE' });
          }
          return ',"nosy":1';
        },
      }),
    };
    const { sink, audit } = setup([plugin]);
    holder.audit = audit;
    audit.log(BASE);
    await expectIntactChain(audit, sink, 2);
  });

  it('writes one line with one seq, never throwing, when the context holds non-string values', async () => {
    const { sink, audit } = setup();
    const ctx = { path: 42, method: { verb: 'GET' }, userAgent: ['x'], ip: 7, traceId: 9 };
    const entry = runWithAuditContext(ctx as never, () => audit.log(BASE));
    await expectIntactChain(audit, sink, 1);
    // Non-strings are left out rather than written or allowed to break the line.
    expect(entry.path).toBeUndefined();
    expect(entry.method).toBeUndefined();
  });

  it('falls back to one minimal line with one seq, never throwing, for a null-prototype action and a failing plugin', async () => {
    // Prepare: in a child process, so the fallback's one stderr report is read
    // from a pipe and asserted, not printed on the test run's terminal (issue #16).
    const fixture = fileURLToPath(new URL('./fixtures/fallback-entry.mjs', import.meta.url));

    // Act
    const result = await runChild(fixture, [KEY]);

    // Assess: the child did not throw, and stderr holds exactly the one report
    // (not one per call) and what the fallback call returned.
    expect(result.code).toBe(0);
    const [report, returned, ...rest] = result.stderr.split('\n');
    expect(report).toBe(
      'auditline: internal error while writing an audit entry; writing a minimal entry with details.internal_error instead.',
    );
    expect(rest).toEqual(['']);
    const entry = JSON.parse(returned?.replace(/^returned /, '') ?? 'null');
    expect(entry).toMatchObject({ seq: 2, details: { internal_error: 'plugin bug' } });
    // AUDIT_START, the fallback line, the next line and AUDIT_STOP on fd 1: seq
    // 1..4 in order and a chain that verifies with the key.
    const entries = result.lines.map((l) => JSON.parse(l) as { seq: number; details: unknown });
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[1]?.details).toMatchObject({ internal_error: 'plugin bug' });
    const verified = verifyAuditLog(result.lines, { keys: { k1: KEY } });
    expect(verified.issues).toEqual([]);
    expect(verified.ok).toBe(true);
  });
});
