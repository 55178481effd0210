import { WARNING_CODES } from '@auditline/core';
import type { AppLogger } from './options.js';

/** Reports a failure inside auditing; each kind is logged once per middleware. */
export type FailureReporter = (kind: string, error: unknown) => void;

/**
 * SPEC §5.8: an exception inside auditing is caught and logged once at `error`
 * level; it never changes the response. Once per kind, so a getUserId that
 * throws on every request cannot flood the log.
 */
export function createFailureReporter(appLogger: AppLogger): FailureReporter {
  const reported = new Set<string>();
  return (kind, error) => {
    if (reported.has(kind)) return;
    reported.add(kind);
    try {
      appLogger.error(
        { err: error },
        `auditline: ${kind} failed; the response is unaffected. Further ${kind} failures are not logged.`,
      );
    } catch {
      // The app log shares the audit destination, which may be what failed.
      process.emitWarning(`auditline: ${kind} failed: ${String((error as Error)?.message)}`, {
        code: WARNING_CODES.auditFailure,
      });
    }
  };
}
