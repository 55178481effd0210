import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLI, interleavedStream, KEY, ndjson, tempFile } from './verify-support.js';

// Issue #13: `auditline verify` reads in bounded memory. A line over the cap
// is one finding and reading goes on; a gzip bomb is refused. Each case runs
// the real CLI as a child process and reads its peak RSS (getrusage, printed
// at exit by a preloaded module).
const REPORT_MAX_RSS = fileURLToPath(new URL('./helpers/report-max-rss.mjs', import.meta.url));
/** SPEC §7 / issue #13: "handles a gzip bomb under 256 MB RSS". */
const MAX_RSS_BYTES = 256 * 1024 * 1024;

interface MeasuredRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly maxRssBytes: number;
}

function runMeasured(args: readonly string[]): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.AUDIT_HMAC_KEY;
    const child = spawn(process.execPath, ['--import', REPORT_MAX_RSS, CLI, 'verify', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      const kb = /max-rss-kb=(\d+)/.exec(stderr)?.[1];
      if (kb === undefined) reject(new Error(`no max RSS reported: ${stderr}`));
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        maxRssBytes: Number(kb) * 1024,
      });
    });
  });
}

describe('auditline verify reads in bounded memory', () => {
  it('refuses a 10 GiB-equivalent gzip bomb under 256 MB RSS (it read the whole line into memory: 815 MB, then crashed)', async () => {
    // Prepare: one gzip member of 64 MiB of zeros, repeated 160 times. gunzip
    // reads concatenated members as one stream (RFC 1952 §2.2): 10 GiB out of about 10 MB.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const path = tempFile('bomb.gz', '');
    const fd = openSync(path, 'w');
    for (let i = 0; i < 160; i++) writeSync(fd, member);
    closeSync(fd);

    // Act
    const run = await runMeasured(['--key', KEY, path]);

    // Assess: refused as unusable input (exit 2), saying why, in bounded memory.
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/decompression bomb/);
    expect(run.maxRssBytes).toBeLessThan(MAX_RSS_BYTES);
  }, 60_000);

  it('reports a 300 MB line as one finding and reads the audit lines after it, under 256 MB RSS', async () => {
    // Prepare: a clean chained stream, with one 300 MB line of junk first.
    const { lines } = await interleavedStream(12, { instances: 1 });
    const path = tempFile('huge-line.ndjson', '');
    const fd = openSync(path, 'w');
    const block = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 300; i++) writeSync(fd, block);
    writeSync(fd, `\n${ndjson(lines)}`);
    closeSync(fd);

    // Act
    const run = await runMeasured(['--json', '--key', KEY, path]);

    // Assess: exit 1 for the one oversized line; the 12 audit lines after it all verified.
    const report = JSON.parse(run.stdout) as {
      auditLines: number;
      instances: { verified: number; closed: boolean }[];
      issues: { code: string; chars: number; record: number }[];
    };
    expect(run.code).toBe(1);
    expect(report.issues).toEqual([
      expect.objectContaining({ code: 'oversized-line', chars: 300 * 1024 * 1024, record: 1 }),
    ]);
    expect(report.auditLines).toBe(12);
    expect(report.instances).toEqual([expect.objectContaining({ verified: 12, closed: true })]);
    expect(run.maxRssBytes).toBeLessThan(MAX_RSS_BYTES);
  }, 60_000);

  it('still splits a long Firehose line of concatenated records past the cap (records are kept, junk is not)', async () => {
    // Prepare: 30,000 chained lines with no delimiter (Firehose without a
    // newline appended): one line of several MB, longer than the 1 Mi-char cap.
    const { lines } = await interleavedStream(30_000, { instances: 1 });
    const path = tempFile('firehose.json', lines.join(''));

    // Act
    const run = await runMeasured(['--json', '--key', KEY, path]);

    // Assess: every record read and verified; nothing oversized.
    const report = JSON.parse(run.stdout) as { auditLines: number; ok: boolean };
    expect(lines.join('').length).toBeGreaterThan(1024 * 1024);
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ auditLines: 30_000, ok: true });
  }, 60_000);
});
