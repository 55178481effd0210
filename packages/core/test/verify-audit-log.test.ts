import { AuditConfigError, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { createAuditVerifier, type VerifyIssue, verifyAuditLog } from '@auditline/core/verify';
import { describe, expect, it } from 'vitest';

// Issue #7: verifyAuditLog is a pure function over lines. These cases cover
// what the CLI tests do not: arrival order, links without a key, unsigned
// insertions, lifecycle checks, key bookkeeping, and the report's shape.
const KEY = 'verify-unit-key-0123456789abcdef';

async function chain(
  entries: number,
  options: { key?: string | false; keyId?: string; close?: boolean } = {},
): Promise<{ lines: string[]; instance: string }> {
  const sink = createMemorySink();
  const key = options.key ?? KEY;
  const audit = createAuditLogger({
    destination: sink,
    format: 'json',
    integrity: key === false ? false : { key, keyId: options.keyId ?? 'default' },
  });
  for (let i = 0; i < entries; i++) {
    audit.log({ action: 'READ', resource: `/r/${i}`, status: 'SUCCESS', user_id: `u${i}` });
  }
  if (options.close !== false) await audit.close();
  return { lines: sink.lines.map((line) => line.slice(0, -1)), instance: audit.instance };
}

const codes = (issues: readonly VerifyIssue[]) =>
  issues.map((i) => [i.code, 'seq' in i ? i.seq : undefined]);

describe('verifyAuditLog', () => {
  it('reports a clean chain with counts per instance', async () => {
    // Prepare
    const { lines, instance } = await chain(10);

    // Act
    const report = verifyAuditLog(lines, { keys: { default: KEY } });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.instances).toEqual([
      expect.objectContaining({
        instance,
        entries: 12,
        firstSeq: 1,
        lastSeq: 12,
        signed: 12,
        verified: 12,
        closed: true,
        stopSeq: 12,
        finalSeq: 12,
        ok: true,
      }),
    ]);
    expect(report.keys).toEqual([
      { keyId: 'default', available: true, lines: 12, verified: 12, mismatched: 0 },
    ]);
  });

  it('does not depend on arrival order', async () => {
    // Prepare: reversed, and shuffled deterministically.
    const { lines } = await chain(30);
    const shuffled = lines
      .map((line, i) => [(i * 17) % 31, line] as const)
      .sort((a, b) => a[0] - b[0]);

    // Act
    const reversed = verifyAuditLog([...lines].reverse(), { keys: { default: KEY } });
    const mixed = verifyAuditLog(
      shuffled.map(([, line]) => line),
      { keys: { default: KEY } },
    );

    // Assess
    expect(reversed.issues).toEqual([]);
    expect(mixed.issues).toEqual([]);
  });

  it('finds a gap filled out of order as no gap, and a real one once', async () => {
    // Prepare
    const { lines, instance } = await chain(10);
    const outOfOrder = [
      lines[0],
      lines[1],
      lines[5],
      lines[3],
      lines[4],
      lines[2],
      ...lines.slice(7),
    ] as string[];

    // Act
    const report = verifyAuditLog(outOfOrder, { keys: { default: KEY } });

    // Assess: seq 7 (index 6) is the only one never seen.
    expect(codes(report.issues)).toEqual([['gap', 7]]);
    expect(report.instances[0]?.gaps).toEqual([{ from: 7, to: 7 }]);
    expect(report.issues[0]).toMatchObject({ code: 'gap', instance });
  });

  it('checks prev links without a key: a substituted line breaks the chain', async () => {
    // Prepare: seq 4 replaced by seq 4 of another instance (same seq, other chain).
    const a = await chain(6, { key: false });
    const b = await chain(6, { key: 'another-key-0123456789' });
    const c = await chain(6, { key: 'another-key-0123456789' });
    const mixed = [...b.lines];
    mixed[3] = (c.lines[3] as string).replace(c.instance, b.instance);

    // Act: no key given at all.
    const report = verifyAuditLog([...a.lines, ...mixed]);

    // Assess: seq 4 does not link to 3, and 5 does not link to 4.
    expect(codes(report.issues.filter((i) => i.code === 'chain-break'))).toEqual([
      ['chain-break', 4],
      ['chain-break', 5],
    ]);
    expect(report.issues.find((i) => i.code === 'missing-key')?.count).toBe(8);
  });

  it('tells a verified duplicate (replay, retry) from a forged one', async () => {
    // Prepare: seq 3 delivered twice, and a forged copy of seq 4.
    const { lines, instance } = await chain(4);
    const forged = (lines[3] as string).replace('"user_id":"u2"', '"user_id":"root"');

    // Act
    const report = verifyAuditLog([...lines, lines[2] as string, forged], {
      keys: { default: KEY },
    });

    // Assess
    expect(codes(report.issues)).toEqual([
      ['duplicate', 3],
      ['duplicate', 4],
      ['hash-mismatch', 4],
    ]);
    expect(report.issues[0]?.message).toMatch(/verifies with the key/);
    expect(report.issues[1]?.message).not.toMatch(/verifies with the key/);
    expect(report.issues[2]).toMatchObject({ instance, line: 8 });
  });

  it('flags a line without hash inserted into a chained instance', async () => {
    // Prepare: a forger without the key writes an unsigned line after AUDIT_STOP.
    const { lines, instance } = await chain(3);
    const forged = `{"level":"info","audit":true,"timestamp":"2026-01-01T00:00:00.000Z","service":"unknown-service","instance":"${instance}","seq":6,"traceId":"t","user_id":"u","action":"DELETE","resource":"/r","status":"SUCCESS","details":null}`;

    // Act
    const report = verifyAuditLog([...lines, forged], { keys: { default: KEY } });

    // Assess: unsigned, and after AUDIT_STOP (seq 5), which ends the instance (issue #11).
    expect(codes(report.issues)).toEqual([
      ['unsigned-entry', 6],
      ['after-stop', 6],
    ]);
    expect(report.instances[0]?.afterStop).toBe(1);
  });

  it('flags an instance with no hash at all when a key is given', async () => {
    // Prepare
    const { lines } = await chain(3, { key: false });

    // Act
    const withKey = verifyAuditLog(lines, { keys: { default: KEY } });
    const withoutKey = verifyAuditLog(lines);

    // Assess
    expect(codes(withKey.issues)).toEqual([['unsigned-instance', 1]]);
    expect(withoutKey.ok).toBe(true);
  });

  it('reports a missing head and an open tail', async () => {
    // Prepare
    const { lines, instance } = await chain(8, { close: false });

    // Act
    const report = verifyAuditLog(lines.slice(3), { keys: { default: KEY } });

    // Assess
    expect(report.issues).toEqual([
      expect.objectContaining({
        code: 'missing-head',
        instance,
        seq: 4,
        range: { from: 1, to: 3 },
      }),
      expect.objectContaining({ code: 'unclosed', instance, seq: 9 }),
    ]);
  });

  it('reports a wrong key once, not once per line', async () => {
    // Prepare
    const { lines } = await chain(50);

    // Act
    const report = verifyAuditLog(lines, { keys: { default: 'the-wrong-key-0123456789' } });

    // Assess
    expect(report.issues).toEqual([
      expect.objectContaining({ code: 'wrong-key', severity: 'key', keyId: 'default', count: 52 }),
    ]);
  });

  it('uses defaultKey for any keyId, and keys by id over it', async () => {
    // Prepare
    const k1 = await chain(2, { keyId: 'k1' });
    const k2 = await chain(2, { keyId: 'k2', key: 'key-two-0123456789' });

    // Act
    const report = verifyAuditLog([...k1.lines, ...k2.lines], {
      defaultKey: KEY,
      keys: { k2: 'key-two-0123456789' },
    });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.keys.map((k) => [k.keyId, k.verified])).toEqual([
      ['k1', 4],
      ['k2', 4],
    ]);
  });

  it('counts non-audit lines and flags audit lines it cannot place', () => {
    // Act
    const report = verifyAuditLog([
      '',
      'plain text',
      '{"level":30,"msg":"app"}',
      '{"broken json',
      '{"audit":true,"seq":"one"}',
    ]);

    // Assess
    expect(report).toMatchObject({ lines: 5, auditLines: 1, skipped: 4 });
    expect(report.issues).toEqual([expect.objectContaining({ code: 'malformed-entry', line: 5 })]);
  });

  it('checks that AUDIT_STOP carries its own seq as final_seq', async () => {
    // Prepare: an unsigned chain whose stop was edited.
    const { lines } = await chain(2, { key: false });
    lines[3] = (lines[3] as string).replace('"final_seq":4', '"final_seq":3');

    // Act
    const report = verifyAuditLog(lines);

    // Assess
    expect(codes(report.issues)).toEqual([['stop-mismatch', 4]]);
  });

  it('returns frozen data and streams through createAuditVerifier', async () => {
    // Prepare
    const { lines } = await chain(3);
    const verifier = createAuditVerifier({ keys: { default: KEY } });

    // Act
    for (const line of lines) verifier.push(`${line}\n`);
    const report = verifier.result();

    // Assess
    expect(report.ok).toBe(true);
    expect(Object.isFrozen(report)).toBe(true);
    expect(Object.isFrozen(report.instances[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('rejects invalid options with AuditConfigError naming the option', () => {
    expect(() => verifyAuditLog([], { keys: { default: '' } })).toThrow(AuditConfigError);
    expect(() => verifyAuditLog([], { keys: { default: '' } })).toThrow(/keys\.default/);
  });
});
