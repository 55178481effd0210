import { writeSync } from 'node:fs';
import { STALL_EXIT_CODE, STALL_POLICIES, STDOUT_FD, type StallPolicy } from './constants.js';
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
/**
 * Longest single wait while the reader is stalled. It bounds how late we notice
 * that the reader moved again (and the stall clock). It does NOT keep the
 * process responsive to signals: the thread is inside this loop, so no JS
 * signal handler runs until the line is written (SPEC §4.4). Only the stall
 * policy ({@link FdDestinationOptions.stall}) or SIGKILL ends a stall.
 */
const MAX_EAGAIN_WAIT_MS = 10;

/**
 * Set once a writer gave up on a stalled reader and called `process.exit()`:
 * every writer of this module then fails fast, so the `exit` handlers (an
 * `AUDIT_STOP`, a `console.log`) cannot stall a second time (issue #13).
 */
let abandonedOnStall = false;

function stderr(message: string): void {
  try {
    writeSync(2, `${message}\n`);
  } catch {
    // stderr is stalled or gone too: the exit code still tells the orchestrator.
  }
}

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
 * Options of `createFdDestination` (exported from `@auditline/core/internal`).
 *
 * @example
 * ```ts
 * import { createFdDestination } from '@auditline/core/internal';
 * createFdDestination({ fd: 2, onFailure: (e) => log.error({ code: e.code }, 'audit fd broke') });
 * ```
 */
export interface FdDestinationOptions {
  /** @default 1 (stdout) */
  fd?: number;
  /** Called once, with the first fatal error (EPIPE, EBADF…). */
  onFailure?: (error: NodeJS.ErrnoException) => void;
  /**
   * What to do when the reader accepts no byte for `timeoutMs` while a line is
   * being written (SPEC §4.4, after auditd's `disk_full_action`). `'block'`
   * says so once on stderr and keeps waiting; `'exit'` says so on stderr and
   * exits with {@link STALL_EXIT_CODE} (75). A stall can only be seen on a
   * non-blocking fd: on a blocking one the kernel holds the thread inside
   * `write(2)`. @default no bound (wait silently)
   */
  stall?: { readonly timeoutMs: number; readonly action: StallPolicy };
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
  return createFdWriter(options);
}

/** {@link FdDestination} plus a byte-level write, for the `process.stdout` route. */
export interface FdWriter extends FdDestination {
  /** Writes `bytes` completely (or fails like `write`). */
  writeBytes(bytes: Uint8Array): boolean;
}

/** The writer behind {@link createFdDestination}; internal callers also get `writeBytes`. */
export function createFdWriter(options: FdDestinationOptions = {}): FdWriter {
  const fd = options.fd ?? STDOUT_FD;
  const onFailure = options.onFailure;
  const stall = options.stall;
  let lost = 0;
  let failure: NodeJS.ErrnoException | undefined;

  function fail(error: NodeJS.ErrnoException): void {
    lost++;
    if (failure) return;
    failure = error;
    onFailure?.(error);
  }

  function onStalled(stalledMs: number): void {
    if (!stall) return;
    if (stall.action === STALL_POLICIES.exit) {
      abandonedOnStall = true;
      stderr(
        `auditline: the reader of fd ${fd} accepted no byte for ${Math.round(stalledMs)} ms (stallTimeoutMs: ${stall.timeoutMs}); onStall is "exit": exiting with code ${STALL_EXIT_CODE} so the orchestrator can restart the task. Audit lines still unwritten are lost; verify reports the gap.`,
      );
      process.exit(STALL_EXIT_CODE);
    }
    stderr(
      `auditline: the reader of fd ${fd} accepted no byte for ${Math.round(stalledMs)} ms; onStall is "block": the process waits (signal handlers included) until it reads again. Set onStall: "exit" to exit with code ${STALL_EXIT_CODE} instead.`,
    );
  }

  function writeBuffer(buffer: Uint8Array, offset: number): void {
    let wait = FIRST_EAGAIN_WAIT_MS;
    let stalledSince = 0;
    let reported = false;
    while (offset < buffer.length) {
      try {
        offset += writeSync(fd, buffer, offset, buffer.length - offset);
        wait = FIRST_EAGAIN_WAIT_MS;
        stalledSince = 0;
        reported = false;
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        if (e.code !== 'EAGAIN') throw e;
        if (abandonedOnStall) throw e;
        if (stall !== undefined) {
          const now = performance.now();
          if (stalledSince === 0) stalledSince = now;
          else if (!reported && now - stalledSince >= stall.timeoutMs) {
            reported = true;
            onStalled(now - stalledSince);
          }
        }
        sleepMs(wait);
        wait = Math.min(wait * 2, MAX_EAGAIN_WAIT_MS);
      }
    }
  }

  /** A thrown write error as the result `write` returns: fatal errors count, the rest propagate. */
  function failed(error: unknown): boolean {
    const e = error as NodeJS.ErrnoException;
    // An `exit` handler wrote while a stall exit is under way: lost, not a broken fd.
    if (abandonedOnStall) {
      lost++;
      return false;
    }
    if (FATAL_WRITE_ERRORS.has(e.code ?? '')) {
      fail(e);
      return false;
    }
    throw e;
  }

  function refused(): boolean {
    if (failure || abandonedOnStall) {
      lost++;
      return true;
    }
    return false;
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
      if (refused()) return false;
      // No closure per line (issue #15): the try sits here, not in a helper taking a callback.
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
        return failed(error);
      }
    },
    writeBytes(bytes: Uint8Array): boolean {
      if (refused()) return false;
      try {
        writeBuffer(bytes, 0);
        return true;
      } catch (error) {
        return failed(error);
      }
    },
    flush(callback: (err?: Error | null) => void): void {
      callback(failure ?? null);
    },
  };
}
