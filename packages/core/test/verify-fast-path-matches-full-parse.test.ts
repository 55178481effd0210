import { createAuditLogger } from '@auditline/core';
import { createIntegrityChain } from '@auditline/core/internal';
import { createMemorySink } from '@auditline/core/testing';
import type { VerifyOptions, VerifyReport } from '@auditline/core/verify';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/verify/verifier.js';

// Issue #6: with a key, the verifier reads most lines by position (head and
// tail) instead of JSON.parse. Whatever the input, its report must be the one
// the full parse gives. Each case runs both on the same lines and compares.
const KEY = 'fast-path-key-0123456789abcdef-0123';

/** Details full of look-alikes of the members the fast path reads. */
const LOOK_ALIKES = {
  seq: 999,
  hash: 'f'.repeat(64),
  prev: '0'.repeat(64),
  instance: 'forged-instance',
  keyId: 'other',
  audit: false,
  text: '","seq":7,"instance":"x","keyId":"k","prev":"ab","hash":"cd"}',
  tail: ',"keyId":"default","prev":"0000","hash":"1111"}',
};

async function logLines(
  count: number,
  options: {
    details?: Record<string, unknown>;
    userId?: string;
    keyId?: string;
    key?: string;
    close?: boolean;
  } = {},
): Promise<{ lines: string[]; instance: string }> {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'orders-api',
    destination: sink,
    format: 'json',
    integrity: { key: options.key ?? KEY, keyId: options.keyId ?? 'default' },
  });
  for (let i = 0; i < count; i++) {
    audit.log({
      action: 'UPDATE',
      resource: `/orders/${i}`,
      status: 'SUCCESS',
      user_id: options.userId ?? `u${i}`,
      details: { i, ...options.details },
    });
  }
  if (options.close !== false) await audit.close();
  return { lines: sink.lines.map((line) => line.slice(0, -1)), instance: audit.instance };
}

function verifyBoth(
  lines: readonly string[],
  options: VerifyOptions = { defaultKey: KEY },
): { fast: VerifyReport; reference: VerifyReport; fastLines: number } {
  const fast = createVerifier(options, true);
  const reference = createVerifier(options, false);
  for (const line of lines) {
    fast.push(line);
    reference.push(line);
  }
  return { fast: fast.result(), reference: reference.result(), fastLines: fast.fastLines() };
}

/** Replaces the first occurrence of `from` in line `index` (1-based seq order). */
function edit(lines: string[], index: number, from: string, to: string): string[] {
  const copy = [...lines];
  const line = copy[index] as string;
  expect(line).toContain(from);
  copy[index] = line.replace(from, to);
  return copy;
}

describe('verify fast path', () => {
  it('reads a clean chain by position and reports it as the full parse does', async () => {
    // Prepare
    const { lines } = await logLines(50);

    // Act
    const { fast, reference, fastLines } = verifyBoth(lines);

    // Assess: all but AUDIT_START (which teaches the layout) and AUDIT_STOP go fast.
    expect(fast).toEqual(reference);
    expect(fast.ok).toBe(true);
    expect(fastLines).toBe(50);
  });

  it('is not fooled by details and user ids that look like seq, hash, instance or keyId', async () => {
    // Prepare
    const { lines, instance } = await logLines(20, {
      details: LOOK_ALIKES,
      userId: '","seq":3,"instance":"evil',
    });

    // Act
    const { fast, reference, fastLines } = verifyBoth(lines);

    // Assess
    expect(fast).toEqual(reference);
    expect(fast.ok).toBe(true);
    expect(fast.instances.map((i) => [i.instance, i.firstSeq, i.lastSeq])).toEqual([
      [instance, 1, 22],
    ]);
    expect(fastLines).toBe(20);
  });

  it('reports a line changed in its user data, in its seq, or in its prev, exactly as the full parse', async () => {
    // Prepare
    const { lines } = await logLines(12);
    const cases = [
      edit(lines, 4, '"status":"SUCCESS"', '"status":"FAILED"'),
      edit(lines, 5, '"seq":6,', '"seq":60,'),
      edit(lines, 6, '"seq":7,', '"seq":8,'),
      edit(lines, 7, '"prev":"', '"prev":"0'.padEnd(10, '0')),
      edit(lines, 8, '"resource":"/orders/7"', '"resource":"/orders/8"'),
    ];

    for (const tampered of cases) {
      // Act
      const { fast, reference } = verifyBoth(tampered);

      // Assess
      expect(fast).toEqual(reference);
      expect(fast.issues.map((i) => i.code)).toContain('hash-mismatch');
    }
  });

  it('reports a line with a truncated or re-hashed tail as the full parse does', async () => {
    // Prepare
    const { lines } = await logLines(10);
    const cut = [...lines];
    cut[3] = (cut[3] as string).slice(0, -40);
    const rehashed = [...lines];
    rehashed[4] = `${(rehashed[4] as string).slice(0, -66)}${'a'.repeat(64)}"}`;
    const upper = [...lines];
    upper[5] = `${(upper[5] as string).slice(0, -66)}${(upper[5] as string).slice(-66, -2).toUpperCase()}"}`;
    const noBrace = [...lines];
    noBrace[6] = (noBrace[6] as string).slice(0, -1);

    for (const input of [cut, rehashed, upper, noBrace]) {
      // Act
      const { fast, reference } = verifyBoth(input);

      // Assess
      expect(fast).toEqual(reference);
      expect(fast.ok).toBe(false);
    }
  });

  it('counts non-audit lines between audit lines as the full parse does', async () => {
    // Prepare
    const { lines } = await logLines(8);
    const mixed = lines.flatMap((line, i) => [
      line,
      i % 2 === 0 ? '{"level":30,"msg":"GET /orders","seq":5}' : '',
      'plain text: "seq":5 "hash":"x"',
      '{"level":"info","audit":false,"timestamp":"x","instance":"i","seq":1}',
    ]);

    // Act
    const { fast, reference, fastLines } = verifyBoth(mixed);

    // Assess
    expect(fast).toEqual(reference);
    expect(fast.ok).toBe(true);
    expect(fast.skipped).toBe(mixed.length - 10);
    expect(fastLines).toBe(8);
  });

  it('reports reordered, replayed and missing lines as the full parse does', async () => {
    // Prepare
    const { lines } = await logLines(30);
    const swapped = [...lines];
    [swapped[10], swapped[11]] = [swapped[11] as string, swapped[10] as string];
    const replayed = [...lines.slice(0, 20), lines[5] as string, ...lines.slice(20)];
    const missing = [...lines.slice(0, 12), ...lines.slice(15)];
    const reversed = [...lines].reverse();

    for (const input of [swapped, replayed, missing, reversed]) {
      // Act
      const { fast, reference } = verifyBoth(input);

      // Assess
      expect(fast).toEqual(reference);
    }
    expect(verifyBoth(replayed).fast.issues.map((i) => i.code)).toEqual(['duplicate']);
    expect(verifyBoth(missing).fast.issues.map((i) => i.code)).toEqual(['gap']);
  });

  it('keeps instances and rotated keys apart, and a missing or wrong key, as the full parse does', async () => {
    // Prepare
    const a = await logLines(15, { keyId: 'k2025', key: 'old-key-0123456789abcdef' });
    const b = await logLines(15, { keyId: 'k2026', key: 'new-key-0123456789abcdef' });
    const interleaved = a.lines.flatMap((line, i) => [line, b.lines[i] as string]);
    const rotated = {
      keys: { k2025: 'old-key-0123456789abcdef', k2026: 'new-key-0123456789abcdef' },
    };

    for (const options of [
      rotated,
      { keys: { k2026: 'new-key-0123456789abcdef' } },
      { keys: { k2025: 'old-key-0123456789abcdef', k2026: 'wrong-key-0123456789abcdef' } },
      { defaultKey: 'old-key-0123456789abcdef' },
    ]) {
      // Act
      const { fast, reference } = verifyBoth(interleaved, options);

      // Assess
      expect(fast).toEqual(reference);
    }
    const clean = verifyBoth(interleaved, rotated);
    expect(clean.fast.ok).toBe(true);
    expect(clean.fastLines).toBe(30);
  });

  it('verifies lines with non-ASCII, escaped and separator characters as the full parse does', async () => {
    // Prepare
    const { lines } = await logLines(10, {
      details: {
        name: 'Zoë 名前 😀',
        lone: '\ud800x',
        separators: 'a\u2028b\u2029c',
        control: 'tab\tnul\u0000',
        quote: 'say "hi" \\ AUDIT',
      },
      userId: 'ü-1',
    });
    const tampered = edit(lines, 3, 'Zoë', 'Zoe');

    // Act
    const clean = verifyBoth(lines);
    const changed = verifyBoth(tampered);

    // Assess
    expect(clean.fast).toEqual(clean.reference);
    expect(clean.fast.ok).toBe(true);
    expect(clean.fastLines).toBe(10);
    expect(changed.fast).toEqual(changed.reference);
    expect(changed.fast.issues.map((i) => [i.code, 'seq' in i ? i.seq : undefined])).toEqual([
      ['hash-mismatch', 4],
    ]);
  });

  it('reads lifecycle look-alikes and a forged AUDIT_STOP with the full parse', async () => {
    // Prepare
    const { lines } = await logLines(6, { details: { note: 'not an AUDIT_STOP', final_seq: 3 } });
    const forgedStop = edit(lines, 3, '"action":"UPDATE"', '"action":"AUDIT_STOP"');

    // Act
    const clean = verifyBoth(lines);
    const forged = verifyBoth(forgedStop);

    // Assess
    expect(clean.fast).toEqual(clean.reference);
    expect(clean.fast.ok).toBe(true);
    expect(clean.fastLines).toBe(0);
    expect(forged.fast).toEqual(forged.reference);
  });

  it('handles ecs heads and escaped keyIds as the full parse does', () => {
    // Prepare: lines sealed by the chain itself, with an ecs member holding a
    // nested "seq" (first, or after another member), and a keyId that needs escaping.
    const sealed = (ecs: string): string[] => {
      const chain = createIntegrityChain(KEY, 'k"1\\');
      const lines: string[] = [];
      for (let seq = 1; seq <= 6; seq++) {
        const action = seq === 1 ? 'AUDIT_START' : seq === 6 ? 'AUDIT_STOP' : 'READ';
        const body =
          `{"level":"info","audit":true,"timestamp":"2026-11-26T10:00:00.000Z","service":"s",` +
          `"instance":"i-ecs","ecs":${ecs},"seq":${seq},"traceId":"t","user_id":"u",` +
          `"action":"${action}","resource":"/r","status":"SUCCESS","details":{"final_seq":6,"chain":true}`;
        lines.push(chain.seal(body + chain.linkMembers()));
      }
      return lines;
    };
    const seqFirst = sealed('{"seq":3,"cluster":"c"}');
    const seqAfter = sealed('{"cluster":"c","seq":3}');
    const tampered = [...seqFirst];
    tampered[2] = (tampered[2] as string).replace('"seq":3,"cluster"', '"seq":4,"cluster"');

    // Act
    const first = verifyBoth(seqFirst);
    const after = verifyBoth(seqAfter);
    const changed = verifyBoth(tampered);

    // Assess: a nested "seq" after another ecs member hides where the head
    // ends, so those lines all take the full parse; the reports still agree.
    expect(first.fast).toEqual(first.reference);
    expect(first.fast.ok).toBe(true);
    expect(first.fastLines).toBe(4);
    expect(after.fast).toEqual(after.reference);
    expect(after.fast.ok).toBe(true);
    expect(after.fastLines).toBe(0);
    expect(changed.fast).toEqual(changed.reference);
    expect(changed.fast.issues.map((i) => [i.code, 'seq' in i ? i.seq : undefined])).toEqual([
      ['hash-mismatch', 3],
    ]);
  });
});
