import { describe, expect, it } from 'vitest';
import {
  interleavedStream,
  KEY,
  ndjson,
  parseReport,
  runVerify,
  tempFile,
} from './verify-support.js';

// Attack on issue #15's file reader (and issue #6's ASCII shortcut before it):
// ASCII chunks bypass the TextDecoder, so the decoder first sees bytes at the
// first non-ASCII chunk, and a decoder strips a byte order mark at the start of
// what it decodes. Three bytes EF BB BF inserted at a 64 KiB read boundary, after
// only ASCII, would then vanish before the HMAC: a tampered file reported CLEAN,
// where the same bytes decoded whole keep U+FEFF inside a line (SPEC §6: a line
// verifies only as its exact bytes).
const READ_BYTES = 64 * 1024;

describe('auditline verify: a byte order mark inside the file is part of the line', () => {
  it('reports an altered log, not CLEAN, when EF BB BF is inserted at a read boundary', async () => {
    // Prepare: a clean chained log of pure ASCII well over two reads, and the
    // same bytes with a BOM inserted exactly where the second read starts.
    const { lines } = await interleavedStream(900, { instances: 1 });
    const clean = Buffer.from(ndjson(lines));
    expect(clean.length).toBeGreaterThan(2 * READ_BYTES);
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const tampered = Buffer.concat([
      clean.subarray(0, READ_BYTES),
      bom,
      clean.subarray(READ_BYTES),
    ]);
    const cleanFile = tempFile('clean.ndjson', clean);
    const tamperedFile = tempFile('tampered.ndjson', tampered);

    // Act
    const before = await runVerify(['--json', '--key', KEY, cleanFile]);
    const after = await runVerify(['--json', '--key', KEY, tamperedFile]);

    // Assess: the untouched file is clean (so the probe is not blind), and the
    // altered one is not: a line now holds U+FEFF its HMAC never covered.
    expect(before.code).toBe(0);
    expect(parseReport(before).ok).toBe(true);
    expect(after.code).not.toBe(0);
    expect(parseReport(after).ok).toBe(false);
  });

  it('reports an altered log when the BOM starts the first non-ASCII read of a pipe', async () => {
    // Prepare: the same insertion, through stdin (the stream path's chunks).
    const { lines } = await interleavedStream(900, { instances: 1 });
    const clean = Buffer.from(ndjson(lines));
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const tampered = Buffer.concat([
      clean.subarray(0, READ_BYTES),
      bom,
      clean.subarray(READ_BYTES),
    ]);

    // Act
    const after = await runVerify(['--json', '--key', KEY, '-'], { stdin: tampered });

    // Assess
    expect(after.code).not.toBe(0);
    expect(parseReport(after).ok).toBe(false);
  });

  it('still reads a log that starts with a byte order mark as clean (an editor saved it so)', async () => {
    // Prepare: the mark at the very start, before any text: no line holds it.
    const { lines } = await interleavedStream(900, { instances: 1 });
    const file = tempFile(
      'leading-bom.ndjson',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ndjson(lines))]),
    );

    // Act
    const result = await runVerify(['--json', '--key', KEY, file]);

    // Assess: a fix that kept U+FEFF glued to the first line would fail it here.
    expect(result.code).toBe(0);
    expect(parseReport(result).auditLines).toBe(900);
  });
});
