import {
  type AuditLogger,
  type AuditPlugin,
  createAuditLogger,
  runWithAuditContext,
} from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { verifyAuditLog } from '@auditline/core/verify';
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
    const plugin: AuditPlugin = {
      name: 'broken',
      reservedKeys: ['broken'],
      setup: () => ({
        fragment(entry): string {
          if (!entry.action.startsWith('AUDIT_')) throw new Error('plugin bug');
          return '';
        },
      }),
    };
    const { sink, audit } = setup([plugin]);
    const action = Object.create(null) as object;
    let entry: ReturnType<AuditLogger['log']> | undefined;
    expect(() => {
      entry = audit.log({ ...BASE, action } as never);
    }).not.toThrow();
    audit.log(BASE);
    await expectIntactChain(audit, sink, 2);
    expect(entry?.details).toMatchObject({ internal_error: 'plugin bug' });
  });
});
