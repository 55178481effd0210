import {
  createResolvedVerifier,
  resolvedVerifyOptions,
  type VerifyReport,
} from '@auditline/core/internal/verify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecordSplitter } from '../src/input-formats.js';
import { readRecords } from '../src/verify-input.js';
import { interleavedStream, KEY, ndjson, tempFile } from './verify-support.js';

// Attack on issue #15's file reader: a plain file is read in 64 KiB readSync
// chunks, and records whole inside an ASCII chunk are hashed from the bytes
// read. Whatever the bytes at a chunk boundary, the report must be the one the
// same verifier gives for the whole file decoded in one TextDecoder pass with
// no bytes handed over. The property moves the boundary across every offset of
// a line (a blank-padded first line of any length) and drops odd bytes at or
// next to it; a reader that handed over the wrong bytes, dropped or doubled
// one at the boundary, or decoded across it differently would report otherwise.
const READ_BYTES = 64 * 1024;

const ODD_BYTES: readonly (readonly number[])[] = [
  [0xef, 0xbb, 0xbf], // a byte order mark
  [0x0d], // a lone CR
  [0x0d, 0x0a], // CRLF
  [0x0a], // an extra newline
  [0x00], // NUL
  [0xc3, 0xa9], // é, split by the boundary when it lands between the bytes
  [0xe2, 0x80, 0xa8], // U+2028
  [0xf0, 0x9f, 0x98, 0x80], // an emoji
  [0xff], // never valid UTF-8
  [0xc0, 0xaf], // an overlong '/'
  [0xed, 0xa0, 0x80], // an encoded lone surrogate
  [0xe2, 0x82], // a truncated sequence
  [0x20], // a space
  [0x7d, 0x7b], // }{
];

function decodedReport(bytes: Buffer): VerifyReport {
  const verifier = createResolvedVerifier(resolvedVerifyOptions({}, KEY), true);
  const splitter = createRecordSplitter((record) => verifier.push(record));
  splitter.write(new TextDecoder('utf-8').decode(bytes));
  splitter.end();
  return verifier.result();
}

async function fileReport(bytes: Buffer): Promise<VerifyReport> {
  const verifier = createResolvedVerifier(resolvedVerifyOptions({}, KEY), true);
  const file = tempFile('boundary.ndjson', bytes);
  await readRecords(file, (record, ascii, start) => {
    if (ascii === undefined) verifier.push(record);
    else verifier.pushAscii(record, ascii, start ?? 0);
  });
  return verifier.result();
}

describe('auditline verify: a file read in chunks reports as the decoded whole', () => {
  it('gives the decoded text report wherever the 64 KiB boundary falls and whatever bytes lie at it', async () => {
    // Prepare: a clean chained log of about three reads.
    const { lines } = await interleavedStream(700, { instances: 2 });
    const log = Buffer.from(ndjson(lines));
    expect(log.length).toBeGreaterThan(2 * READ_BYTES);
    const clean = await fileReport(log);
    expect(clean.ok).toBe(true); // not blind: the untouched log is clean

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 700 }),
        fc.array(fc.constantFrom(...ODD_BYTES.keys()), { minLength: 1, maxLength: 3 }),
        // At the boundary half the time: the first byte a decoder sees matters.
        fc.oneof(fc.constant(0), fc.integer({ min: -4, max: 4 })),
        fc.boolean(),
        async (pad, odd, near, secondBoundary) => {
          // A first line of blanks shifts every later line across the boundary.
          const head = Buffer.from(`${' '.repeat(pad)}\n`);
          const shifted = Buffer.concat([head, log]);
          const at = Math.max(0, (secondBoundary ? 2 : 1) * READ_BYTES + near);
          const inserted = Buffer.from(odd.flatMap((i) => [...(ODD_BYTES[i] as number[])]));
          const bytes = Buffer.concat([shifted.subarray(0, at), inserted, shifted.subarray(at)]);
          const expected = JSON.parse(JSON.stringify(decodedReport(bytes)));
          expect(JSON.parse(JSON.stringify(await fileReport(bytes)))).toEqual(expected);
        },
      ),
      // The first example is the hole this caught: a BOM starting the second read.
      { numRuns: 300, examples: [[0, [0], 0, false]] },
    );
  });
});
