// Shared by the verify-*.test.ts files: real audit lines from the real logger,
// and the real CLI as a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const KEY = 'test-key-0123456789abcdef-0123456789';

export interface Stream {
  /** Lines in write order, without newline. */
  readonly lines: string[];
  /** Instance ids in creation order. */
  readonly instances: string[];
}

/**
 * `total` lines (AUDIT_START and AUDIT_STOP included) from `instances`
 * loggers writing round-robin into one sink, as interleaved containers would.
 */
export async function interleavedStream(
  total: number,
  options: {
    instances?: number;
    key?: string | false;
    keyId?: string;
    details?: Record<string, unknown>;
  } = {},
): Promise<Stream> {
  const sink = createMemorySink();
  const count = options.instances ?? 3;
  const key = options.key ?? KEY;
  const loggers = Array.from({ length: count }, () =>
    createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: sink,
      integrity: key === false ? false : { key, keyId: options.keyId ?? 'default' },
    }),
  );
  for (let i = 0; i < total - 2 * count; i++) {
    (loggers[i % count] as (typeof loggers)[number]).log({
      action: i % 5 === 0 ? 'DELETE' : 'UPDATE',
      resource: `/orders/${i}`,
      status: 'SUCCESS',
      user_id: `user-${i % 41}`,
      details: options.details ?? { statusCode: 200, duration_ms: 2.5, note: 'abcdefgh' },
    });
  }
  for (const logger of loggers) await logger.close();
  return {
    lines: sink.lines.map((line) => line.slice(0, -1)),
    instances: loggers.map((logger) => logger.instance),
  };
}

export function tempFile(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'auditline-verify-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export function ndjson(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `auditline verify …` as a real child process. `AUDIT_HMAC_KEY` is unset unless given. */
export function runVerify(
  args: readonly string[],
  options: { stdin?: string | Uint8Array; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (options.env?.AUDIT_HMAC_KEY === undefined) delete env.AUDIT_HMAC_KEY;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'verify', ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    // Given files, the CLI never reads stdin, and may exit before this write
    // lands (issue #15: it reads files with readSync, and builds process.stdin
    // only for "-"): the EPIPE that follows is the pipe's normal end, not a failure.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(options.stdin ?? '');
  });
}

export interface JsonIssue {
  code: string;
  severity: string;
  instance?: string;
  seq?: number;
  message: string;
  source?: string;
  record?: number;
}

export interface JsonReport {
  exitCode: number;
  ok: boolean;
  auditLines: number;
  skipped: number;
  instances: { instance: string; entries: number; closed: boolean; verified: number }[];
  issues: JsonIssue[];
}

export function parseReport(result: CliResult): JsonReport {
  return JSON.parse(result.stdout) as JsonReport;
}

/** Index of the line of `instance` with `seq`. */
export function indexOf(lines: readonly string[], instance: string, seq: number): number {
  const index = lines.findIndex((line) => {
    const entry = JSON.parse(line) as { instance: string; seq: number };
    return entry.instance === instance && entry.seq === seq;
  });
  if (index === -1) throw new Error(`no line for ${instance} seq ${seq}`);
  return index;
}
