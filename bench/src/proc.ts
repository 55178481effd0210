import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createFifo } from './fifo.js';

/** Absolute path of a compiled sibling script, e.g. `script(import.meta.url, './child.js')`. */
export function script(base: string, relative: string): string {
  return fileURLToPath(new URL(relative, base));
}

/** Keeps the first `cap` characters a stream produces (stderr of a child, for error messages). */
export function capture(stream: NodeJS.ReadableStream | null, cap = 8192): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    if (text.length < cap) text += chunk.slice(0, cap - text.length);
  });
  return () => text;
}

/** Resolves when the child has exited and its stdio has closed. */
export function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

/** A child whose stdout is a real pipe read by this process. */
export interface PipedChild {
  readonly child: ChildProcess;
  /** The read end of the child's stdout pipe. */
  readonly stdout: Socket;
  /** Resolves once the child has exited and its stdout reached EOF here. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node <file> ...args` with stdout on a real pipe (see {@link createFifo}),
 * stderr captured, and fd 3 as the child's result channel.
 */
export function spawnNode(
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  execArgv: readonly string[] = [],
): PipedChild {
  const fifo = createFifo();
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...execArgv, file, ...args], {
      stdio: ['ignore', fifo.writeFd, 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
  } finally {
    fifo.closeWriteEnd();
  }
  const stdout = fifo.reader();
  const eof = new Promise<void>((resolve) => {
    stdout.once('close', () => resolve());
  });
  const done = Promise.all([exited(child), eof]).then(([status]) => status);
  return { child, stdout, done };
}

/** `setTimeout` as a promise. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads the JSON lines a child writes to fd 3: `onLine` sees each one as it
 * arrives; the returned function gives all of them so far.
 */
export function resultChannel(
  child: ChildProcess,
  onLine?: (message: Record<string, unknown>) => void,
): () => Record<string, unknown>[] {
  const stream = child.stdio[3] as NodeJS.ReadableStream | null | undefined;
  const messages: Record<string, unknown>[] = [];
  let partial = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    partial += chunk;
    let at = partial.indexOf('\n');
    while (at !== -1) {
      const line = partial.slice(0, at).trim();
      partial = partial.slice(at + 1);
      if (line !== '') {
        const message = JSON.parse(line) as Record<string, unknown>;
        messages.push(message);
        onLine?.(message);
      }
      at = partial.indexOf('\n');
    }
  });
  return () => messages;
}
