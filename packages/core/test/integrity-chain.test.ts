import { createHmac } from 'node:crypto';
import { createAuditLogger, GENESIS_HASH } from '@auditline/core';
import { prepareHmac } from '@auditline/core/internal';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §7 / issue #7: hash = hex HMAC-SHA256(key, prev + the exact line
// without its `,"hash":"…"` member); prev is the previous hash, the genesis
// value at seq 1. Recomputed here with plain node:crypto, independently of
// integrity.ts, so a bug shared by the writer and the verifier cannot hide.
const KEY = 'chain-test-key-0123456789abcdef';

function recompute(line: string, key: string | Uint8Array, prev: string): string {
  const cut = line.lastIndexOf(',"hash":"');
  return createHmac('sha256', key)
    .update(prev + line.slice(0, cut) + '}', 'utf8')
    .digest('hex');
}

describe('the HMAC chain on written lines', () => {
  it('links every line to the previous hash, from the genesis value', async () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      integrity: { key: KEY, keyId: 'k-2026' },
    });

    // Act
    for (let i = 0; i < 20; i++) {
      audit.log({ action: 'READ', resource: `/r/${i}`, status: 'SUCCESS', details: { i } });
    }
    await audit.close();

    // Assess
    const lines = sink.lines.map((line) => line.slice(0, -1));
    let prev = GENESIS_HASH;
    for (const [i, line] of lines.entries()) {
      const entry = JSON.parse(line) as { seq: number; keyId: string; prev: string; hash: string };
      expect(entry.seq).toBe(i + 1);
      expect(entry.keyId).toBe('k-2026');
      expect(entry.prev).toBe(prev);
      expect(line.endsWith(`,"hash":"${entry.hash}"}`)).toBe(true);
      expect(entry.hash).toBe(recompute(line, KEY, prev));
      prev = entry.hash;
    }
    expect(lines).toHaveLength(22);
  });

  it('seals the exact UTF-8 bytes, odd characters included', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json', integrity: { key: KEY } });
    const odd = 'a\u2028b\u0000c\u{1F600}d\uD800e\uDFFFf';

    // Act
    audit.log({ action: 'UPDATE', resource: '/odd', status: 'SUCCESS', details: { odd } });

    // Assess: recomputed over the bytes as they would reach fd 1.
    const line = (sink.lines[1] as string).slice(0, -1);
    const bytes = Buffer.from(line, 'utf8').toString('utf8');
    const entry = JSON.parse(bytes) as { prev: string; hash: string };
    expect(entry.hash).toBe(recompute(bytes, KEY, entry.prev));
    expect(line).not.toContain('\u2028');
  });

  it('keys with the bytes of a Uint8Array key', () => {
    // Prepare
    const sink = createMemorySink();
    const key = new Uint8Array(32).map((_, i) => i * 7);

    // Act
    createAuditLogger({ destination: sink, format: 'json', integrity: { key } });

    // Assess
    const line = (sink.lines[0] as string).slice(0, -1);
    expect((JSON.parse(line) as { hash: string }).hash).toBe(recompute(line, key, GENESIS_HASH));
  });

  it('seals truncated entries too', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      maxEntryBytes: 16_384,
      integrity: { key: KEY },
    });

    // Act
    audit.log({
      action: 'UPDATE',
      resource: '/big',
      status: 'SUCCESS',
      details: { blob: 'x'.repeat(20_000) },
    });

    // Assess
    const line = (sink.lines[1] as string).slice(0, -1);
    const entry = JSON.parse(line) as { truncated?: boolean; prev: string; hash: string };
    expect(entry.truncated).toBe(true);
    expect(Buffer.byteLength(line) + 1).toBeLessThanOrEqual(8192);
    expect(entry.hash).toBe(recompute(line, KEY, entry.prev));
  });

  it('writes no hash, prev or keyId when the chain is off', () => {
    // Prepare
    const sink = createMemorySink();

    // Act
    createAuditLogger({ destination: sink, format: 'json', integrity: false });

    // Assess
    const entry = JSON.parse(sink.lines[0] as string) as Record<string, unknown>;
    expect(entry).not.toHaveProperty('hash');
    expect(entry).not.toHaveProperty('prev');
    expect(entry).not.toHaveProperty('keyId');
    expect(entry.seq).toBe(1);
  });
  // integrity.ts builds HMAC-SHA256 by hand from two hash one-shots (issue #6):
  // RFC 2104 has edge cases at the block size (keys over 64 bytes are hashed
  // first) and in the key and message bytes, so check it against node:crypto.
  it('computes the same HMAC as node:crypto for every key length and byte', () => {
    const binary = Uint8Array.from({ length: 80 }, (_, i) => (i * 37 + 200) % 256);
    const keys: (string | Uint8Array)[] = [
      'k'.repeat(16),
      'k'.repeat(63),
      'k'.repeat(64),
      'k'.repeat(65),
      'ключ-🔑-'.repeat(12),
      binary,
      binary.subarray(0, 64),
    ];
    const messages = ['', '{"a":1}', 'é\u2028😀\uD800'.repeat(50), 'x'.repeat(70_000)];
    for (const key of keys) {
      const hmac = prepareHmac(key);
      for (const message of messages) {
        const expected = createHmac('sha256', key)
          .update(GENESIS_HASH)
          .update(message)
          .digest('hex');
        expect(hmac.hex(GENESIS_HASH, message)).toBe(expected);
      }
    }
  });
});
