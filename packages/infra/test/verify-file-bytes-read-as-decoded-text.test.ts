import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH } from '@auditline/core';
import {
  createResolvedVerifier,
  resolvedVerifyOptions,
  type VerifyReport,
} from '@auditline/core/internal/verify';
import { describe, expect, it } from 'vitest';
import { createRecordSplitter } from '../src/input-formats.js';
import { interleavedStream, KEY, parseReport, runVerify, tempFile } from './verify-support.js';

// Issue #15: `auditline verify` reads a plain file with readSync into one
// reused buffer, and hands the verifier each record of an ASCII chunk with its
// bytes, which the HMAC then reads instead of encoding the string again. What
// it finds must not change: each input here goes through the real CLI as a
// file and, as the reference, through the splitter and the same verifier on
// the decoded text with no bytes (the path every line took before).

/** A line sealed with KEY over exactly `body` + `}` (a key holder's forgery, bytes as given). */
function sealed(body: Buffer, prev: string): Buffer {
  const canonical = Buffer.concat([body, Buffer.from('}')]);
  const hash = createHmac('sha256', KEY).update(prev).update(canonical).digest('hex');
  return Buffer.concat([body, Buffer.from(`,"hash":"${hash}"}`)]);
}

/** The hash of a sealed line (its last 64 hex digits before `"}`). */
function hashOf(line: Buffer): string {
  return line.subarray(line.length - 66, line.length - 2).toString('latin1');
}

function body(instance: string, seq: number, userId: Buffer | string, extra = ''): Buffer {
  return Buffer.concat([
    Buffer.from(
      `{"level":"info","audit":true,"timestamp":"2026-12-01T10:00:00.000Z","service":"orders-api","instance":"${instance}","seq":${seq}${extra},"user_id":"`,
    ),
    typeof userId === 'string' ? Buffer.from(userId) : userId,
    Buffer.from('","action":"UPDATE","resource":"/orders/1","status":"SUCCESS","keyId":"default"'),
  ]);
}

function withPrev(start: Buffer, prev: string): Buffer {
  return Buffer.concat([start, Buffer.from(`,"prev":"${prev}"`)]);
}

/** The report the verifier gives for the decoded text, every record pushed as a string. */
function referenceReport(bytes: Buffer): VerifyReport {
  const verifier = createResolvedVerifier(resolvedVerifyOptions({}, KEY), true);
  const splitter = createRecordSplitter((record) => verifier.push(record));
  splitter.write(new TextDecoder('utf-8').decode(bytes));
  splitter.end();
  return verifier.result();
}

/** The CLI's --json report without what it adds (exit code, verdict, sources, record positions). */
function verifierPart(stdout: string): unknown {
  const { exitCode, verdict, sources, issues, ...report } = JSON.parse(stdout) as {
    exitCode: number;
    verdict: string;
    sources: unknown;
    issues: Record<string, unknown>[];
  };
  void exitCode;
  void verdict;
  void sources;
  return {
    ...report,
    issues: issues.map(({ source, record, ignored, ...issue }) => {
      void source;
      void record;
      void ignored;
      return issue;
    }),
  };
}

describe('auditline verify on a file: bytes read as the decoded text would be', () => {
  it('gives the reference report for odd lines among many chunks of genuine ones', async () => {
    // Prepare: genuine chained lines from the real logger, well over one
    // 64 KiB read, so lines straddle chunk ends; then, one by one, the odd cases.
    const { lines, instances } = await interleavedStream(900, { instances: 2 });
    const big = await interleavedStream(6, {
      instances: 1,
      details: { blob: 'x'.repeat(100_000) },
    });
    const nonAscii = await interleavedStream(6, { instances: 1, details: { who: 'Zoë 名前 😀' } });
    // Forged instances, each a first line in ASCII (its layout is learnt) and
    // then a line with invalid UTF-8 sealed over its raw bytes (each bad byte
    // decodes to one U+FFFD, so the text keeps the bytes' length). Hashing the
    // bytes as read would accept it; the decoded text must not verify. One
    // pair every 20 genuine lines, all before any other non-ASCII byte, so
    // whatever the read size, some chunk starts its non-ASCII text with one.
    const forgeries = (id: number): Buffer[] => {
      const instance = `f0f0f0f0f0f0${String(id).padStart(4, '0')}`;
      const first = sealed(withPrev(body(instance, 1, 'u-1'), GENESIS_HASH), GENESIS_HASH);
      const bad = Buffer.from([0x75, 0xff, 0xfe, 0xc3]);
      const second = sealed(withPrev(body(instance, 2, bad), hashOf(first)), hashOf(first));
      return [first, Buffer.from('\n'), second, Buffer.from('\n')];
    };
    // Key-holder lines with a second "seq" and a second "hash" member.
    const dupSeq = sealed(
      withPrev(body('d0d0d0d0d0d0d0d0', 1, 'u-1', ',"seq":7'), GENESIS_HASH),
      GENESIS_HASH,
    );
    const dupHash = sealed(
      withPrev(body('d0d0d0d0d0d0d0d0', 2, 'u-2', `,"hash":"${'e'.repeat(64)}"`), hashOf(dupSeq)),
      hashOf(dupSeq),
    );
    const crlf = lines.slice(0, 300).map((line) => `${line}\r\n`);
    const padded = lines.slice(300, 320).map((line, i) => (i % 2 ? `  ${line}\n` : `${line} \t\n`));
    const glued = [`${lines[320]}${lines[321]}\n`, `${lines[322]} ${lines[323]}\n`];
    const rest = lines.slice(324);
    const pieces: Buffer[] = [];
    let forged = 0;
    for (const [i, line] of [...crlf, ...padded, ...glued].entries()) {
      pieces.push(Buffer.from(line));
      if (i % 20 === 19) pieces.push(...forgeries(forged++));
    }
    pieces.push(dupSeq, Buffer.from('\n\n   \n'), dupHash, Buffer.from('\n'));
    pieces.push(Buffer.from(big.lines.map((line) => `${line}\n`).join('')));
    pieces.push(Buffer.from(nonAscii.lines.map((line) => `${line}\n`).join('')));
    pieces.push(Buffer.from(rest.join('\n'))); // the last line has no newline
    const bytes = Buffer.concat(pieces);
    const file = tempFile('odd.ndjson', bytes);
    const reference = referenceReport(bytes);

    // Act
    const result = await runVerify(['--json', '--key', KEY, file]);

    // Assess: the same report, record for record.
    expect(verifierPart(result.stdout)).toEqual(JSON.parse(JSON.stringify(reference)));
    // And it is not vacuous: the genuine instances verify, and the raw-byte forgery does not.
    const report = parseReport(result);
    for (let id = 0; id < forged; id++) {
      const instance = `f0f0f0f0f0f0${String(id).padStart(4, '0')}`;
      const found = report.issues.filter((issue) => issue.instance === instance);
      expect(found.map((issue) => [issue.code, issue.seq])).toContainEqual(['hash-mismatch', 2]);
    }
    expect(forged).toBeGreaterThan(10);
    const genuineIds = [...instances, ...big.instances, ...nonAscii.instances];
    const genuine = report.instances.filter((it) => genuineIds.includes(it.instance));
    expect(genuine).toHaveLength(4);
    for (const it of genuine) expect(it.verified).toBe(it.entries);
    expect(report.auditLines).toBeGreaterThan(900);
    expect(readFileSync(file).length).toBeGreaterThan(4 * 64 * 1024);
  });

  it('reads a path that is not a regular file (a named pipe) through the stream', async () => {
    // Prepare: a clean chained log, to be written into a FIFO the CLI is given as its file.
    const { lines } = await interleavedStream(400, { instances: 2 });
    const fifo = join(mkdtempSync(join(tmpdir(), 'auditline-fifo-')), 'audit.pipe');
    execFileSync('mkfifo', [fifo]);

    // Act: the writer opens the FIFO once the CLI opens it for reading.
    const verifying = runVerify(['--json', '--key', KEY, fifo]);
    await new Promise<void>((resolve, reject) => {
      const writer = createWriteStream(fifo);
      writer.on('error', reject);
      writer.end(`${lines.join('\n')}\n`, resolve);
    });
    const result = await verifying;

    // Assess: every line read and verified, exit 0 (a pipe cannot be read by
    // position, so taking it for a regular file would fail or lose lines).
    expect(result.code).toBe(0);
    expect(parseReport(result).auditLines).toBe(400);
  });
});
