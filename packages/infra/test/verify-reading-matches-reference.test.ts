import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecordSplitter, hasConcatenation } from '../src/input-formats.js';
import { readRecords } from '../src/verify-input.js';

// Issue #6: `auditline verify` reads faster (ASCII chunks decoded as Latin-1,
// concatenated records found without a regex scan of every line). What it
// reads must not change: these compare against the plain way of doing it.

/** Every character JavaScript's `\s` matches, and a few that it does not. */
const SPACES = [
  ' ',
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
];
const NOT_SPACES = ['\u0085', '\u180e', '\u200b', '\u1fff', 'x', ',', '"', ']', '\u0000'];

function recordsOf(text: string): string[] {
  const records: string[] = [];
  const splitter = createRecordSplitter((record) => records.push(record));
  splitter.write(text);
  splitter.end();
  return records;
}

async function readChunks(chunks: readonly Buffer[]): Promise<string[]> {
  const records: string[] = [];
  async function* stdin(): AsyncGenerator<Buffer> {
    yield* chunks;
  }
  await readRecords('-', (record) => records.push(record), stdin());
  return records;
}

describe('verify reading', () => {
  it('finds concatenated records exactly where /\\}\\s*\\{/ does', () => {
    // Prepare
    const piece = fc.constantFrom('{', '}', '"', 'a', '{"a":1}', ...SPACES, ...NOT_SPACES);

    // Act + Assess
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(hasConcatenation(text)).toBe(/\}\s*\{/.test(text));
      }),
      { numRuns: 3000 },
    );
    for (const space of SPACES)
      expect(hasConcatenation(`{"a":1}${space}${space}{"b":2}`)).toBe(true);
    for (const other of NOT_SPACES) expect(hasConcatenation(`{"a":1}${other}{"b":2}`)).toBe(false);
  });

  it('decodes text split at any byte, ASCII or not, valid UTF-8 or not, like one TextDecoder pass', async () => {
    // Prepare: multi-byte characters, invalid and truncated sequences, and
    // ASCII-only stretches long enough to fill whole chunks.
    const ascii = `{"level":"info","audit":true,"n":"${'a'.repeat(40)}"}\n`;
    const bytes = Buffer.concat([
      Buffer.from(ascii),
      Buffer.from('{"name":"Zoë 名前 😀"}\n'),
      Buffer.from(ascii),
      Buffer.from([0x7b, 0x22, 0x62, 0x22, 0x3a, 0x22, 0xff, 0xc3, 0x22, 0x7d, 0x0a]),
      Buffer.from(ascii),
      Buffer.from('{"tail":"é"}\n{"cut":"'),
      Buffer.from([0xe5, 0x90]),
    ]);
    const expected = recordsOf(new TextDecoder('utf-8').decode(bytes));

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 12 }),
        async (sizes) => {
          const chunks: Buffer[] = [];
          let at = 0;
          for (const size of sizes) {
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          chunks.push(bytes.subarray(at));
          expect(await readChunks(chunks)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
    expect(expected).toContain('{"name":"Zoë 名前 😀"}');
    expect(expected.at(-1)).toBe('{"cut":"\ufffd');
  });
});
