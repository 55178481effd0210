// The reader of a writer child's stdout pipe, in its own process, as a log driver
// is. Its main thread answers the parent over IPC; a worker thread reads the pipe
// with blocking `read(2)` calls into one 1 MiB buffer, as containerd's shim or
// Docker's log copier do (a Go loop over a fixed buffer).
//
// Why not a Node stream in the bench process (as up to stop 8): each chunk then
// cost a libuv callback, a fresh Buffer and a `data` event, several µs, so a
// writer that hands the kernel one line per `write(2)` (auditline, durable by
// SPEC §4.4) woke a reader that was slower than the writer, and the bench timed
// the reader. pino's 16 KiB batches hid the same per-chunk cost. One reader for
// every contender, as cheap per chunk as a real log driver, times the writers.
//
// Protocol: the parent forks this file with the pipe's read end as fd 0 and an
// IPC channel. It sends `{ type: 'ready' }` once reading has started, answers
// `{ type: 'count' }` with `{ type: 'count', lines }`, and after EOF sends
// `{ type: 'done', ...DrainResult }` and exits.

import { closeSync, openSync, readSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** What the drain saw, sent to the parent after EOF. */
export interface DrainResult {
  readonly lines: number;
  readonly bytes: number;
  readonly chunks: number;
  /** Complete lines JSON-parsed as a validity sample, and how many failed. */
  readonly sampled: number;
  readonly invalid: number;
  /** `process.hrtime.bigint()` (CLOCK_MONOTONIC, shared by every process) of the last read with data. */
  readonly lastDataNs: string;
}

/** Every Nth chunk has one complete line JSON-parsed, to prove the output is valid. */
const SAMPLE_EVERY_CHUNKS = 32;
const READ_BUFFER_BYTES = 1 << 20;
/** Bytes kept from the end of the stream, so the very last line can be checked. */
const TAIL_BYTES = 16_384;
const NEWLINE = 0x0a;

function drainPipe(counter: Int32Array, onOpen: () => void): DrainResult {
  // The read end the parent made is non-blocking (it had to be, to open the FIFO
  // without a writer). Re-opening it through /proc gives this process its own
  // blocking open file description of the same pipe. The parent still holds the
  // write end until it hears 'ready', so this open cannot wait for a writer.
  const fd = openSync('/proc/self/fd/0', 'r');
  onOpen();
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const tail = Buffer.alloc(TAIL_BYTES);
  let tailLength = 0;
  let lines = 0;
  let bytes = 0;
  let chunks = 0;
  let sampled = 0;
  let invalid = 0;
  let lastDataNs = 0n;
  for (;;) {
    const n = readSync(fd, buffer, 0, READ_BUFFER_BYTES, null);
    if (n === 0) break;
    lastDataNs = process.hrtime.bigint();
    bytes += n;
    // A view of this read only: a search of the whole buffer would run on into stale bytes.
    const chunk = buffer.subarray(0, n);
    let at = chunk.indexOf(NEWLINE);
    const first = at;
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(NEWLINE, at + 1);
    }
    Atomics.store(counter, 0, lines);
    if (chunks++ % SAMPLE_EVERY_CHUNKS === 0 && first !== -1) {
      const second = chunk.indexOf(NEWLINE, first + 1);
      if (second !== -1) {
        sampled++;
        try {
          JSON.parse(chunk.toString('utf8', first + 1, second));
        } catch {
          invalid++;
        }
      }
    }
    if (n >= TAIL_BYTES) {
      buffer.copy(tail, 0, n - TAIL_BYTES, n);
      tailLength = TAIL_BYTES;
    } else {
      const keep = Math.min(tailLength, TAIL_BYTES - n);
      tail.copyWithin(0, tailLength - keep, tailLength);
      buffer.copy(tail, keep, 0, n);
      tailLength = keep + n;
    }
  }
  closeSync(fd);
  // The very last line is checked too: a truncated final write would show here.
  const text = tail.toString('utf8', 0, tailLength).trimEnd();
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  if (lastLine !== '') {
    sampled++;
    try {
      JSON.parse(lastLine);
    } catch {
      invalid++;
    }
  }
  return { lines, bytes, chunks, sampled, invalid, lastDataNs: lastDataNs.toString() };
}

if (isMainThread) {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL(import.meta.url), { workerData: shared });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'count') process.send?.({ type: 'count', lines: Atomics.load(shared, 0) });
  });
  worker.on('message', (message: 'opened' | DrainResult) => {
    if (message === 'opened') process.send?.({ type: 'ready' });
    else process.send?.({ type: 'done', ...message }, () => process.disconnect?.());
  });
  worker.once('error', (error) => {
    process.stderr.write(`pipe-drain: ${error.stack ?? error}\n`);
    process.exitCode = 1;
    process.disconnect?.();
  });
} else {
  const result = drainPipe(workerData as Int32Array, () => parentPort?.postMessage('opened'));
  parentPort?.postMessage(result);
}
