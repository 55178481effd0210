import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * What a child process printed and how it ended.
 *
 * @example
 * ```ts
 * const { lines, code } = await runChild(script, []);
 * ```
 */
export interface ChildResult {
  /** stdout split at `\n`; a last line without `\n` is kept. */
  readonly lines: string[];
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Wall time from spawn until stdout ended, in ms. */
  readonly ms: number;
}

/**
 * How {@link runChild} runs and reads the child.
 *
 * @example
 * ```ts
 * const options: RunOptions = { env: { AUDIT_LOG_FORMAT: undefined }, parse: true };
 * ```
 */
export interface RunOptions {
  /** Added to this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Parse every line as JSON in the reader, as a real log shipper does. */
  parse?: boolean;
  /** Called once the child is spawned (send signals, pause reading…). */
  onSpawn?: (child: ChildProcess) => void;
  /** Stop collecting lines (but keep draining) after this many. */
  keep?: number;
}

/**
 * Spawns `node script ...args` with stdout and stderr as pipes (as under the
 * awslogs driver), reads stdout line by line (optionally JSON-parsing each
 * line) and resolves when the child has exited and stdout has ended.
 *
 * @example
 * ```ts
 * const result = await runChild(FIXTURE, ['stream'], { env: { LOG_LEVEL: 'silent' } });
 * expect(result.code).toBe(0);
 * ```
 */
export async function runChild(
  script: string,
  args: readonly string[] = [],
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

/**
 * A slow reader: pauses the child's stdout for `everyMs`, then reads for
 * `everyMs`, until the child exits, so the pipe is full most of the time and
 * any writer that can be split mid-line is (issue #13).
 *
 * @example
 * ```ts
 * await runChild(FIXTURE, [], { onSpawn: (child) => pauseReading(child, 2) });
 * ```
 */
export function pauseReading(child: ChildProcess, everyMs: number): void {
  let paused = false;
  const timer = setInterval(() => {
    paused = !paused;
    if (paused) child.stdout?.pause();
    else child.stdout?.resume();
  }, everyMs);
  child.on('exit', () => {
    clearInterval(timer);
    child.stdout?.resume();
  });
}
