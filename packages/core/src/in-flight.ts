import type { ShutdownReason } from './signals.js';

/**
 * Work a logger must settle before it writes `AUDIT_STOP`, so the stop entry
 * is the last line of its instance (SPEC §7): the Express middleware registers
 * its in-flight requests. `drain` waits (bounded by the work itself) for them
 * to finish on their own; `interrupt` then writes, synchronously, one entry for
 * each that is still open.
 *
 * @example
 * ```ts
 * const open = new Set<() => void>();
 * const unregister = audit.registerInFlight({
 *   drain: async () => {},
 *   interrupt: () => {
 *     for (const writeInterrupted of open) writeInterrupted();
 *   },
 * });
 * unregister();
 * ```
 */
export interface InFlightWork {
  /** Resolves once the tracked work has finished, or after the work's own bounded wait. Never rejects. */
  drain(): Promise<void>;
  /**
   * Writes one entry for every unit still open, saying what stopped it: a
   * signal, the process exiting, or `close()` after the bounded drain. Synchronous.
   */
  interrupt(reason: ShutdownReason | 'close'): void;
}
