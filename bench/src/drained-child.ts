import { type ChildProcess, fork, type StdioOptions, spawn } from 'node:child_process';
import { createFifo } from './fifo.js';
import type { DrainResult } from './pipe-drain.js';
import { exited, script } from './proc.js';

/** A writer child whose stdout is a real pipe read by a {@link DrainResult pipe-drain} process. */
export interface DrainedChild {
  readonly child: ChildProcess;
  /** Lines the drain has read so far. */
  lineCount(): Promise<number>;
  /** Resolves after the writer exited and the drain reached EOF. */
  readonly done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    drain: DrainResult | undefined;
  }>;
}

interface DrainMessage {
  readonly type: string;
  readonly lines?: number;
}

/**
 * Starts `pipe-drain` on a fresh FIFO, waits until it reads, then spawns
 * `node <file> ...args` with the FIFO as stdout. `ipc` gives the writer an IPC
 * channel (http servers); otherwise fd 3 is a pipe for its result line.
 */
export async function spawnDrained(
  file: string,
  args: readonly string[],
  options: {
    readonly env?: Readonly<Record<string, string>>;
    readonly execArgv?: readonly string[];
    readonly ipc?: boolean;
  } = {},
): Promise<DrainedChild> {
  const fifo = createFifo();
  let drain: ChildProcess;
  let child: ChildProcess;
  try {
    drain = fork(script(import.meta.url, './pipe-drain.js'), [], {
      stdio: [fifo.readFd, 'ignore', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      drain.once('error', reject);
      drain.once('exit', () => reject(new Error('pipe-drain exited before reading')));
      const onMessage = (message: DrainMessage): void => {
        if (message.type !== 'ready') return;
        drain.off('message', onMessage);
        drain.removeAllListeners('exit');
        resolve();
      };
      drain.on('message', onMessage);
    });
    const stdio: StdioOptions = ['ignore', fifo.writeFd, 'pipe', options.ipc ? 'ipc' : 'pipe'];
    child = spawn(process.execPath, [...(options.execArgv ?? []), file, ...args], {
      stdio,
      env: { ...process.env, ...options.env },
    });
  } finally {
    // The drain and the writer hold their ends; EOF comes when the writer exits.
    fifo.closeReadEnd();
    fifo.closeWriteEnd();
  }
  const result = new Promise<DrainResult | undefined>((resolve) => {
    const onMessage = (message: DrainMessage & Partial<DrainResult>): void => {
      if (message.type === 'done') resolve(message as unknown as DrainResult);
    };
    drain.on('message', onMessage);
    drain.once('exit', () => resolve(undefined));
  });
  const lineCount = (): Promise<number> =>
    new Promise<number>((resolve) => {
      const onMessage = (message: DrainMessage): void => {
        if (message.type !== 'count') return;
        drain.off('message', onMessage);
        resolve(message.lines ?? 0);
      };
      drain.on('message', onMessage);
      drain.send({ type: 'count' });
    });
  const done = Promise.all([exited(child), result, exited(drain)]).then(([status, drained]) => ({
    ...status,
    drain: drained,
  }));
  return { child, lineCount, done };
}
