import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  indexOf,
  interleavedStream,
  KEY,
  ndjson,
  parseReport,
  runVerify,
  type Stream,
  tempFile,
} from './verify-support.js';

// Issue #7 "Keys": a wrong key and a missing key (hash present) exit 2 with a
// clear message; unreadable input exits 2; without a chain, seq gaps still count.
let stream: Stream;
let file: string;
beforeAll(async () => {
  stream = await interleavedStream(30);
  file = tempFile('audit.ndjson', ndjson(stream.lines));
});

describe('auditline verify key handling', () => {
  it('exits 2 and says the key is probably wrong when no line verifies', async () => {
    // Act
    const result = await runVerify(['--key', 'not-the-key-0123456789', file]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/WRONG KEY/);
    expect(result.stdout).toMatch(/key is probably wrong/);
    // The wrong key is one finding, not one per line.
    expect(result.stdout).not.toMatch(/hash-mismatch/);
  });

  it('exits 2 naming the keyId when lines carry a hash and no key is given', async () => {
    // Act
    const result = await runVerify(['--json', file]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/MISSING KEY: lines are signed \(keyId "default"\)/);
    expect(parseReport(result).issues).toContainEqual(
      expect.objectContaining({ code: 'missing-key', severity: 'key', keyId: 'default' }),
    );
  });

  it('reads the key from AUDIT_HMAC_KEY', async () => {
    // Act
    const result = await runVerify([file], { env: { AUDIT_HMAC_KEY: KEY } });

    // Assess
    expect(result.code).toBe(0);
  });

  it('prefers --key over AUDIT_HMAC_KEY', async () => {
    // Act
    const result = await runVerify(['--key', KEY, file], {
      env: { AUDIT_HMAC_KEY: 'an-old-key-0123456789' },
    });

    // Assess
    expect(result.code).toBe(0);
  });

  it('reads the key from --key-file, ignoring the trailing newline', async () => {
    // Prepare
    const keyFile = tempFile('key.txt', `${KEY}\n`);

    // Act
    const result = await runVerify(['--key-file', keyFile, file]);

    // Assess
    expect(result.code).toBe(0);
  });

  it('verifies rotated keys with --keys-json, and flags the keyId it lacks', async () => {
    // Prepare: two deployments, one per key id.
    const rotated = await interleavedStream(12, {
      instances: 2,
      key: 'second-key-0123456789',
      keyId: 'k2',
    });
    const both = tempFile('both.ndjson', ndjson([...stream.lines, ...rotated.lines]));
    const keysJson = tempFile(
      'keys.json',
      JSON.stringify({ default: KEY, k2: 'second-key-0123456789' }),
    );
    const onlyOld = tempFile('old.json', JSON.stringify({ default: KEY }));

    // Act
    const ok = await runVerify(['--json', '--keys-json', keysJson, both]);
    const missing = await runVerify(['--json', '--keys-json', onlyOld, both]);

    // Assess
    expect(ok.code).toBe(0);
    expect(parseReport(ok).instances).toHaveLength(5);
    expect(missing.code).toBe(2);
    expect(parseReport(missing).issues).toEqual([
      expect.objectContaining({ code: 'missing-key', keyId: 'k2', count: 12 }),
    ]);
  });

  it('exits 2 on --key together with --key-file', async () => {
    // Prepare
    const keyFile = tempFile('key.txt', KEY);

    // Act
    const result = await runVerify(['--key', KEY, '--key-file', keyFile, file]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--key and --key-file/);
  });
});

describe('auditline verify unreadable input', () => {
  it('exits 2 for a missing file', async () => {
    const result = await runVerify(['--key', KEY, '/nonexistent/audit.ndjson']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/audit\.ndjson: cannot read input: no such file/);
  });

  it('exits 2 for a corrupt gzip file', async () => {
    // Prepare: a gzip header followed by garbage.
    const corrupt = gzipSync(ndjson(stream.lines));
    corrupt.fill(0x41, 20, 200);
    const path = tempFile('broken.gz', corrupt);

    // Act
    const result = await runVerify(['--key', KEY, path]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.gz: cannot read input/);
  });

  it('exits 2 when the input holds no audit line at all', async () => {
    const path = tempFile('app.log', 'just an app log\n{"level":30,"msg":"hi"}\n');
    const result = await runVerify(['--key', KEY, path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no audit line/);
  });

  it('exits 2 on an unknown flag, naming it and pointing at --help', async () => {
    const result = await runVerify(['--frobnicate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /unknown option --frobnicate\nRun 'auditline verify --help' for usage\./,
    );
  });
});

describe('auditline verify without a chain', () => {
  it('still finds seq gaps when the logger had no key', async () => {
    // Prepare
    const plain = await interleavedStream(30, { key: false });
    const lines = [...plain.lines];
    const c = plain.instances[2] as string;
    lines.splice(indexOf(lines, c, 4), 1);
    lines.splice(indexOf(lines, c, 5), 1);

    // Act
    const clean = await runVerify(['--json', tempFile('a.ndjson', ndjson(plain.lines))]);
    const gapped = await runVerify(['--json', tempFile('b.ndjson', ndjson(lines))]);

    // Assess
    expect(clean.code).toBe(0);
    expect(gapped.code).toBe(1);
    expect(parseReport(gapped).issues).toEqual([
      expect.objectContaining({ code: 'gap', instance: c, seq: 4, range: { from: 4, to: 5 } }),
    ]);
  });
});
