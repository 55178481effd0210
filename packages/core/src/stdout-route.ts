import { fstatSync } from 'node:fs';
import { STDOUT_FD, WARNING_CODES } from './constants.js';
import { createFdWriter, type FdDestinationOptions, type FdWriter } from './destination.js';

/**
 * Marks the `write` we put on `process.stdout`, so a second logger (or a
 * second copy of core) sees the route is already there. `Symbol.for`, not a
 * module symbol: two copies of the package must recognise each other (SPEC §2).
 */
const ROUTE_MARK = Symbol.for('auditline.stdout-route');

type WriteCallback = (error?: Error | null) => void;
type RoutedWrite = ((
  chunk: unknown,
  encoding?: BufferEncoding | WriteCallback,
  callback?: WriteCallback,
) => boolean) & { [ROUTE_MARK]?: true };

let warnedForeignWrite = false;

/**
 * Makes `process.stdout.write` (and so `console.log`) go through a synchronous
 * fd 1 writer, like the audit lines, when fd 1 is a pipe or a socket
 * (issue #13, SPEC §4.4).
 *
 * Why: on POSIX, `process.stdout` writes to a pipe asynchronously. With a slow
 * reader libuv keeps the rest of a chunk queued and writes it later, and an
 * audit `writeSync` issued meanwhile lands inside that chunk
 * (`…xxxx{"level":"info","audit":true…`; 3–4 of 502 lines broken per run).
 * When every writer of fd 1 finishes its bytes before returning, no two can
 * interleave: JavaScript runs one of them at a time.
 *
 * How, and why this way: the `write` of the `process.stdout` *instance* is
 * replaced by an own property. Node's shared `Writable`/`Socket` prototypes
 * are untouched, and nothing private is read (`_handle.setBlocking` is not
 * public API). The route is not installed when someone else already put an own
 * `write` on `process.stdout` (we never overwrite another library's property;
 * a coded warning says interleaving is then possible), nor for files and TTYs,
 * whose writes Node already makes synchronous. It stays for the life of the
 * process: removing it would bring the interleaving back for other loggers.
 *
 * The cost is the one audit lines already pay: a stalled reader now blocks
 * `console.log` too, instead of growing libuv's queue without bound. The stall
 * policy applies to both.
 */
export function routeProcessStdout(stall: FdDestinationOptions['stall']): void {
  if (!isPipeOrSocket(STDOUT_FD)) return;
  const stdout = process.stdout;
  const own = Object.getOwnPropertyDescriptor(stdout, 'write');
  if (own !== undefined) {
    if ((own.value as RoutedWrite | undefined)?.[ROUTE_MARK]) return;
    warnForeignWrite();
    return;
  }
  const original = stdout.write;
  const writer = createFdWriter({ fd: STDOUT_FD, stall });
  const write: RoutedWrite = (chunk, encoding, callback) => {
    const done = typeof encoding === 'function' ? encoding : callback;
    const bytes = toBytes(chunk, typeof encoding === 'string' ? encoding : undefined);
    // Not a string or bytes: let Node raise its own ERR_INVALID_ARG_TYPE.
    if (bytes === undefined) return Reflect.apply(original, stdout, [chunk, encoding, callback]);
    const ok = typeof bytes === 'string' ? writer.write(bytes) : writer.writeBytes(bytes);
    if (done) process.nextTick(done, ok ? null : failureOf(writer));
    return true;
  };
  write[ROUTE_MARK] = true;
  Object.defineProperty(stdout, 'write', {
    value: write,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

function isPipeOrSocket(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

function toBytes(
  chunk: unknown,
  encoding: BufferEncoding | undefined,
): string | Uint8Array | undefined {
  if (typeof chunk === 'string') {
    return encoding === undefined || encoding === 'utf8' || encoding === 'utf-8'
      ? chunk
      : Buffer.from(chunk, encoding);
  }
  return chunk instanceof Uint8Array ? chunk : undefined;
}

function failureOf(writer: FdWriter): Error {
  return writer.failure ?? new Error('stdout write failed');
}

function warnForeignWrite(): void {
  if (warnedForeignWrite) return;
  warnedForeignWrite = true;
  process.emitWarning(
    'auditline: process.stdout.write was already replaced by another library, so console.log output is not routed through the synchronous audit writer and can interleave with audit lines when the reader is slow. Fix: write app logs with createAppLogger(), or install that library after the audit logger.',
    { code: WARNING_CODES.stdoutNotRouted },
  );
}
