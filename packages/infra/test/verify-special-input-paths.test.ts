import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  interleavedStream,
  KEY,
  ndjson,
  parseReport,
  runVerify,
  tempFile,
} from './verify-support.js';

// Attack on issue #15's file reader, which takes readSync for a path that
// stat says is a regular file and the stream for anything else: paths that
// are not what they look like, and inputs with nothing in them. None of these
// was covered: verify-file-bytes-read-as-decoded-text gives a FIFO by its own
// path only. An empty input must never read as CLEAN (SPEC §7: nothing
// verified is exit 2), and a pipe reached through a link must be read whole.

describe('auditline verify on special paths and empty inputs', () => {
  it('reads a symlink to a named pipe whole, through the stream', async () => {
    // Prepare: a clean log written into a FIFO the CLI reaches through a symlink.
    const { lines } = await interleavedStream(300, { instances: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'auditline-fifo-link-'));
    const fifo = join(dir, 'audit.pipe');
    execFileSync('mkfifo', [fifo]);
    const link = join(dir, 'audit.ndjson');
    symlinkSync(fifo, link);

    // Act
    const verifying = runVerify(['--json', '--key', KEY, link]);
    await new Promise<void>((resolve, reject) => {
      const writer = createWriteStream(fifo);
      writer.on('error', reject);
      writer.end(ndjson(lines), resolve);
    });
    const result = await verifying;

    // Assess: every line, exit 0 (stat of the link's target, not of the link).
    expect(result.code).toBe(0);
    expect(parseReport(result).auditLines).toBe(300);
  });

  for (const [what, bytes] of [
    ['an empty file', Buffer.alloc(0)],
    ['a file of one newline', Buffer.from('\n')],
    ['a file of only a byte order mark', Buffer.from([0xef, 0xbb, 0xbf])],
    ['a file of NUL bytes over one read', Buffer.alloc(70_000)],
  ] as const) {
    it(`reports ${what} as nothing verified (exit 2), never clean`, async () => {
      // Prepare
      const file = tempFile('empty.ndjson', bytes);

      // Act
      const result = await runVerify(['--json', '--key', KEY, file]);

      // Assess
      // (`ok` alone is true here: no finding; the verdict and exit code say nothing was verified.)
      expect(result.code).toBe(2);
      const report = JSON.parse(result.stdout) as { exitCode: number; verdict: string };
      expect(report.exitCode).toBe(2);
      expect(report.verdict).toMatch(/^NOTHING VERIFIED/);
      expect(parseReport(result).auditLines).toBe(0);
    });
  }
});
