import type { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';
import type { ResolvedAuditOptions } from './config.js';
import { AuditlineError, ERROR_CODES } from './errors.js';

/**
 * Exit code with `failClosed` when the destination breaks: EX_IOERR from sysexits.h.
 *
 * @example
 * ```ts
 * const audit = createAuditLogger({ failClosed: true });
 * // A supervisor restarting the task sees exit code FAIL_CLOSED_EXIT_CODE (74) after EPIPE.
 * ```
 */
export const FAIL_CLOSED_EXIT_CODE = 74;

/** One line on fd 2, synchronously; never throws. */
export function stderr(message: string): void {
  try {
    writeSync(2, `${message}\n`);
  } catch {
    // stderr is gone too; nothing left to tell.
  }
}

/** What the failure handler needs to know about its logger. */
export interface FailureContext {
  readonly options: ResolvedAuditOptions;
  readonly instance: string;
  readonly emitter: EventEmitter;
  /** Lines lost so far, read when the process exits. */
  lost(): number;
}

/**
 * The policy when the destination breaks (SPEC §4.4: a broken stdout is loud):
 * report once on stderr, emit `error` on the logger, count the lost entries
 * until exit, and with `failClosed` exit with {@link FAIL_CLOSED_EXIT_CODE},
 * after auditd's `disk_error_action`.
 *
 * @example
 * ```ts
 * const onFailure = createFailureHandler({ options, instance, emitter, lost: () => 0 });
 * createFdDestination({ onFailure });
 * ```
 */
export function createFailureHandler(
  context: FailureContext,
): (error: NodeJS.ErrnoException) => void {
  const { options, instance, emitter } = context;
  let reported = false;
  return (error: NodeJS.ErrnoException): void => {
    if (reported) return;
    reported = true;
    stderr(
      `auditline: the audit destination failed with ${error.code ?? error.message}; audit entries are being LOST (service ${options.service}, instance ${instance}). ${options.failClosed ? `failClosed is on: exiting with code ${FAIL_CLOSED_EXIT_CODE}.` : 'Set failClosed: true to stop the process instead.'}`,
    );
    const wrapped = new AuditlineError(
      ERROR_CODES.destinationFailed,
      `audit destination failed: ${error.code ?? error.message}`,
      { cause: error },
    );
    if (emitter.listenerCount('error') > 0) emitter.emit('error', wrapped);
    if (options.failClosed) process.exit(FAIL_CLOSED_EXIT_CODE);
    process.once('exit', () => {
      stderr(
        `auditline: ${context.lost()} audit entries were lost after the destination failed (instance ${instance}).`,
      );
    });
  };
}
