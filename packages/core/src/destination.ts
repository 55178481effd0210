import { writeSync } from 'node:fs';
import { STDOUT_FD } from './constants.js';
import type { AuditDestination } from './types.js';

/** Errors that mean the fd will never accept another byte. pino/sonic-boom turn these into silent no-ops; we do not (SPEC §4.4). */
const FATAL_WRITE_ERRORS = new Set(['EPIPE', 'EBADF', 'ECONNRESET', 'EINVAL', 'ENOSPC', 'EIO']);

/**
 * First wait after `EAGAIN`, in ms. sonic-boom sleeps a fixed 100 ms here, which
 * was measured to stretch 200k lines from 2 s to 26–29 s once anything made fd 1
 * non-blocking (SPEC §4.4). A pipe drains 64 KiB in well under a millisecond, so
 * we start tiny and back off to {@link MAX_EAGAIN_WAIT_MS}.
 */
const FIRST_EAGAIN_WAIT_MS = 0.05;
/** Longest single wait while the reader is stalled; keeps a blocked process responsive to signals. */
const MAX_EAGAIN_WAIT_MS = 10;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * An fd destination whose failures are reported, never swallowed.
 *
 * @example
 * ```ts
 * const dest: FdDestination = createFdDestination();
 * createAuditLogger({ destination: dest });
 * if (dest.failure) log.error(`${dest.lost} audit lines lost: ${dest.failure.code}`);
 * ```
 */
export interface FdDestination extends AuditDestination {
  readonly fd: number;
  /** Entries that could not be written because the fd broke. */
  readonly lost: number;
  /** The error that broke the fd, once it has. */
  readonly failure: NodeJS.ErrnoException | undefined;
}

/**
 * Options of {@link createFdDestination}.
 *
 * @example
 * ```ts
 * createFdDestination({ fd: 2, onFailure: (e) => log.error('audit fd broke', e.code) });
 * ```
 */
export interface FdDestinationOptions {
  /** @default 1 (stdout) */
  fd?: number;
  /** Called once, with the first fatal error (EPIPE, EBADF…). */
  onFailure?: (error: NodeJS.ErrnoException) => void;
}

/**
 * A synchronous, durable line writer: when `write()` returns, the line is in the
 * kernel (SPEC §4.4). Unlike `pino.destination({ sync: true })` it keeps its
 * throughput on a non-blocking fd (short back-off on `EAGAIN` instead of a fixed
 * 100 ms sleep), finishes partial writes, and reports a broken fd once instead
 * of dropping lines silently. Memory is bounded: nothing is buffered; a stalled
 * reader throttles the writer, which is the documented trade-off.
 *
 * @example
 * ```ts
 * const dest = createFdDestination({ onFailure: (e) => log.error(e.code) });
 * dest.write('{"audit":true}\n');
 * ```
 */
export function createFdDestination(options: FdDestinationOptions = {}): FdDestination {
  const fd = options.fd ?? STDOUT_FD;
  const onFailure = options.onFailure;
  let lost = 0;
  let failure: NodeJS.ErrnoException | undefined;

  function fail(error: NodeJS.ErrnoException): void {
    lost++;
    if (failure) return;
    failure = error;
    onFailure?.(error);
  }

  function writeBuffer(buffer: Buffer, offset: number): void {
    let wait = FIRST_EAGAIN_WAIT_MS;
    while (offset < buffer.length) {
      try {
        offset += writeSync(fd, buffer, offset, buffer.length - offset);
        wait = FIRST_EAGAIN_WAIT_MS;
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        if (e.code === 'EAGAIN') {
          sleepMs(wait);
          wait = Math.min(wait * 2, MAX_EAGAIN_WAIT_MS);
          continue;
        }
        throw e;
      }
    }
  }

  return {
    fd,
    get lost() {
      return lost;
    },
    get failure() {
      return failure;
    },
    write(line: string): boolean {
      if (failure) {
        lost++;
        return false;
      }
      try {
        // Fast path: one syscall with the string. A short count only happens on
        // non-blocking fds with a nearly full pipe; finish from a Buffer then.
        let written: number;
        try {
          written = writeSync(fd, line);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          written = 0;
        }
        // Byte count, not string length: a short count only happens on non-blocking fds with a
        // nearly full pipe, and must be finished from a Buffer.
        if (written < Buffer.byteLength(line)) writeBuffer(Buffer.from(line, 'utf8'), written);
        return true;
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        if (FATAL_WRITE_ERRORS.has(e.code ?? '')) {
          fail(e);
          return false;
        }
        throw e;
      }
    },
    flush(callback: (err?: Error | null) => void): void {
      callback(failure ?? null);
    },
  };
}
