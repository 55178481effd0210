import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const WRITER = fileURLToPath(new URL('../fixtures/writer.mjs', import.meta.url));

/** What a child process printed and how it ended. */
export interface ChildResult {
  readonly lines: string[];
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Wall time from spawn until stdout ended, in ms. */
  readonly ms: number;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Parse every line as JSON in the reader, as a real log shipper does. */
  parse?: boolean;
  /** Called once the child is spawned (send signals, pause reading…). */
  onSpawn?: (child: ChildProcess) => void;
  /** Stop collecting lines (but keep draining) after this many. */
  keep?: number;
}

/**
 * Spawns `node script ...args` with stdout as a pipe, reads it line by line
 * (optionally JSON-parsing each line) and resolves when the child has exited
 * and stdout has ended.
 */
export async function runChild(
  script: string,
  args: string[],
  options: RunOptions = {},
): Promise<ChildResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  options.onSpawn?.(child);
  const lines: string[] = [];
  let stderr = '';
  let rest = '';
  const keep = options.keep ?? Number.POSITIVE_INFINITY;
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      if (options.parse) JSON.parse(part);
      if (lines.length < keep) lines.push(part);
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (rest !== '') lines.push(rest);
  return { lines, stderr, code, signal, ms: performance.now() - started };
}

/** Asserts-friendly summary of the `seq` values: gaps, duplicates, reorders. */
export function seqProblems(lines: readonly string[]): { count: number; problems: string[] } {
  const problems: string[] = [];
  let expected = 1;
  for (const line of lines) {
    const entry = JSON.parse(line) as { seq?: number };
    if (entry.seq !== expected) {
      problems.push(`expected seq ${expected}, got ${entry.seq}`);
      if (problems.length > 5) break;
      expected = (entry.seq ?? expected) + 1;
      continue;
    }
    expected++;
  }
  return { count: lines.length, problems };
}
