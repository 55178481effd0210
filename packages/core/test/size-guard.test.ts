import { createHash } from 'node:crypto';
import {
  type AuditLoggerOptions,
  createAuditLogger,
  DEFAULT_MAX_ENTRY_BYTES,
  GENESIS_HASH,
  MAX_ALLOWED_ENTRY_BYTES,
} from '@auditline/core';
import { canonicalOf, prepareHmac } from '@auditline/core/internal';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.5: a line never exceeds maxEntryBytes (default 16 KiB, at most
// 262,000). Over the limit, details are trimmed deterministically, largest
// values first, then whole keys; the entry gets truncated, original_bytes and
// original_sha256 (of the untrimmed line); required fields are never cut.

const BASE = {
  action: 'EXPORT_REPORT',
  resource: '/reports/2024?format=csv',
  status: 'SUCCESS',
  user_id: 'u-42',
  traceId: 'trace-size-guard-1',
} as const;

interface Line {
  [key: string]: unknown;
  timestamp: string;
  instance: string;
  seq: number;
  details: Record<string, unknown> | null;
  truncated?: true;
  original_bytes?: number;
  original_sha256?: string;
}

function setup(options: Partial<AuditLoggerOptions> = {}) {
  const sink = createMemorySink();
  const audit = createAuditLogger({ destination: sink, format: 'json', ...options });
  return { sink, audit };
}

function last(sink: MemorySink): { raw: string; line: Line; bytes: number } {
  const raw = sink.lines.at(-1) as string;
  return { raw, line: JSON.parse(raw) as Line, bytes: Buffer.byteLength(raw) };
}

/** Long strings as `<N×c>`, so a failing comparison prints a readable diff. */
function brief(details: Record<string, unknown> | null | undefined): unknown {
  return JSON.parse(
    JSON.stringify(details, (_key, value: unknown) =>
      typeof value === 'string' && value.length > 64 ? `<${value.length}×${value[0]}>` : value,
    ),
  );
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The untrimmed line the guard hashed: the same entry logged under the
 * largest limit, with that logger's timestamp, instance and seq swapped for
 * those of the trimmed line (they are the only members that differ).
 */
function untrimmedLine(params: object, trimmed: Line, options: Partial<AuditLoggerOptions> = {}) {
  const { sink, audit } = setup({ ...options, maxEntryBytes: MAX_ALLOWED_ENTRY_BYTES });
  audit.log(params as never);
  const { raw, line } = last(sink);
  expect(line.truncated).toBeUndefined();
  return raw
    .slice(0, -1)
    .replace(`"timestamp":"${line.timestamp}"`, `"timestamp":"${trimmed.timestamp}"`)
    .replace(`"instance":"${line.instance}"`, `"instance":"${trimmed.instance}"`)
    .replace(`"seq":${line.seq},`, `"seq":${trimmed.seq},`);
}

describe('size guard (SPEC §4.5)', () => {
  it('keeps a 1 MB details line within the 16 KiB default, with the truncation markers', () => {
    // Prepare
    const { sink, audit } = setup();
    const params = { ...BASE, details: { blob: 'x'.repeat(1_000_000), orderId: 'o-1' } };
    // Act
    audit.log(params);
    // Assess
    const { line, bytes } = last(sink);
    expect(DEFAULT_MAX_ENTRY_BYTES).toBe(16_384);
    expect(bytes).toBeLessThanOrEqual(16_384);
    expect(line.truncated).toBe(true);
    expect(line.original_bytes).toBeGreaterThan(1_000_000);
    expect(line.original_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(line.details).toEqual({ blob: '[TRUNCATED 1000002 bytes]', orderId: 'o-1' });
    for (const [key, value] of Object.entries(BASE)) expect(line[key]).toBe(value);
  });

  it('hashes and counts exactly the untrimmed line in original_sha256 and original_bytes', () => {
    const { sink, audit } = setup();
    const params = {
      ...BASE,
      method: 'POST',
      path: '/reports',
      details: { big: 'é'.repeat(40_000), list: Array.from({ length: 50 }, (_, i) => i), ok: true },
    };
    audit.log(params);
    const { line } = last(sink);
    const original = untrimmedLine(params, line);
    expect(line.original_bytes).toBe(Buffer.byteLength(original));
    expect(line.original_sha256).toBe(sha256(original));
  });

  it('trims the largest values first and keeps the smaller ones whole', () => {
    const { sink, audit } = setup();
    audit.log({
      ...BASE,
      details: {
        small: 'a',
        medium: 'm'.repeat(3_000),
        large: 'l'.repeat(20_000),
        largest: 'L'.repeat(30_000),
        nested: { n: 1 },
      },
    });
    const { line, bytes } = last(sink);
    expect(bytes).toBeLessThanOrEqual(16_384);
    expect(brief(line.details)).toEqual({
      small: 'a',
      medium: '<3000×m>',
      large: '[TRUNCATED 20002 bytes]',
      largest: '[TRUNCATED 30002 bytes]',
      nested: { n: 1 },
    });
  });

  it('then drops whole keys, largest first, when trimmed values are still too many', () => {
    // Prepare: 250 members whose keys alone exceed the limit.
    const { sink, audit } = setup();
    const details: Record<string, string> = {};
    for (let i = 0; i < 250; i++)
      details[`key_${String(i).padStart(3, '0')}_${'k'.repeat(80)}`] = 'v'.repeat(100);
    // Act
    audit.log({ ...BASE, details });
    // Assess
    const { line, bytes } = last(sink);
    expect(bytes).toBeLessThanOrEqual(16_384);
    const kept = Object.keys(line.details ?? {});
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(250);
    // Equal sizes: the later keys go first, so what is kept is a prefix.
    expect(kept).toEqual(Object.keys(details).slice(0, kept.length));
    for (const key of kept) expect(line.details?.[key]).toBe('[TRUNCATED 102 bytes]');
  });

  it('is deterministic: the same entry gives the same trimmed details and sizes', () => {
    const { sink, audit } = setup();
    const params = {
      ...BASE,
      details: { a: 'a'.repeat(9_000), b: 'b'.repeat(9_000), c: { d: 'd'.repeat(9_000) }, e: 1 },
    };
    audit.log(params);
    const first = last(sink).raw;
    audit.log(params);
    const second = last(sink).raw;
    const detailsOf = (raw: string) => raw.slice(raw.indexOf('"details":'));
    const a = JSON.parse(first) as Line;
    const b = JSON.parse(second) as Line;
    expect(detailsOf(second).replace(/"original_sha256":"[0-9a-f]+"/, '')).toBe(
      detailsOf(first).replace(/"original_sha256":"[0-9a-f]+"/, ''),
    );
    expect(b.original_bytes).toBe(a.original_bytes);
    // Ties between equal sizes are broken by key order: a and b are equal, a goes first.
    expect(brief(a.details)).toEqual({
      a: '[TRUNCATED 9002 bytes]',
      b: '<9000×b>',
      c: '[TRUNCATED 9008 bytes]',
      e: 1,
    });
  });

  it('never cuts required fields, even at their caps', () => {
    const { sink, audit } = setup({ maxEntryBytes: 16_384 });
    const params = {
      action: 'A'.repeat(64),
      resource: `/${'r'.repeat(1_023)}`,
      status: 'FAILED',
      user_id: 'u'.repeat(256),
      traceId: 't'.repeat(128),
      details: { blob: 'x'.repeat(100_000) },
    } as const;
    audit.log(params);
    const { line, bytes } = last(sink);
    expect(bytes).toBeLessThanOrEqual(8_192);
    expect(line.truncated).toBe(true);
    for (const [key, value] of Object.entries(params)) {
      if (key !== 'details') expect(line[key]).toBe(value);
    }
  });

  it('counts bytes, not characters, for multibyte content, and never splits a character', () => {
    const { sink, audit } = setup();
    const params = {
      ...BASE,
      resource: `/emoji/${'😀'.repeat(300)}`,
      details: { emoji: '🦄'.repeat(20_000), cjk: '漢'.repeat(1_000), mixed: 'ok' },
    };
    audit.log(params);
    const { raw, line, bytes } = last(sink);
    expect(bytes).toBeLessThanOrEqual(16_384);
    expect(raw).not.toContain('\ufffd');
    expect(raw).not.toMatch(/\\ud[89a-f]/i);
    expect(line.resource).toBe(params.resource);
    expect(brief(line.details)).toEqual({
      emoji: '[TRUNCATED 80002 bytes]',
      cjk: '<1000×漢>',
      mixed: 'ok',
    });
    expect(line.original_sha256).toBe(sha256(untrimmedLine(params, line)));
  });

  it('stays within the limit with the integrity chain on, and the chain still verifies', () => {
    // Prepare
    const key = 'k'.repeat(32);
    const { sink, audit } = setup({ integrity: { key, keyId: 'k1' } });
    // Act
    audit.log({ ...BASE, details: { blob: 'x'.repeat(500_000) } });
    audit.log({ ...BASE, details: { small: 1 } });
    // Assess: every line fits, and each hash is HMAC(key, prev + canonical line).
    const hmac = prepareHmac(key);
    let prev = GENESIS_HASH;
    for (const raw of sink.lines) {
      expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(16_384);
      const sealed = canonicalOf(raw);
      expect(sealed).toBeDefined();
      const line = JSON.parse(raw) as Line;
      expect(line.prev).toBe(prev);
      expect(sealed?.hash).toBe(hmac.hex(prev, sealed?.canonical ?? ''));
      prev = sealed?.hash ?? '';
    }
    expect(JSON.parse(sink.lines[1] as string).truncated).toBe(true);
  });

  it('honours the largest allowed limit, 262,000 bytes', () => {
    const { sink, audit } = setup({ maxEntryBytes: MAX_ALLOWED_ENTRY_BYTES });
    audit.log({ ...BASE, details: { a: 'a'.repeat(200_000), b: 'b'.repeat(200_000) } });
    const { line, bytes } = last(sink);
    expect(bytes).toBeLessThanOrEqual(262_000);
    expect(bytes).toBeGreaterThan(200_000);
    expect(brief(line.details)).toEqual({ a: '[TRUNCATED 200002 bytes]', b: '<200000×b>' });
  });

  it('leaves lines under the limit untouched', () => {
    const { sink, audit } = setup();
    audit.log({ ...BASE, details: { fits: 'f'.repeat(10_000) } });
    const { line } = last(sink);
    expect(line.truncated).toBeUndefined();
    expect(line.original_bytes).toBeUndefined();
    expect(brief(line.details)).toEqual({ fits: '<10000×f>' });
  });

  // Optional fields whose JSON escapes are 6 bytes per character (control
  // characters, lone surrogates) are dropped, user_agent first, when trimming
  // details alone cannot make the line fit.
  it('keeps the limit when escaped path and user_agent alone exceed it', () => {
    const { sink, audit } = setup();
    audit.log({
      ...BASE,
      resource: `/${'\u0001'.repeat(1_000)}`,
      path: '\u0000'.repeat(2_048),
      user_agent: '\u001b'.repeat(512),
      details: { ok: 1 },
    });
    expect(last(sink).bytes).toBeLessThanOrEqual(16_384);
  });
});
