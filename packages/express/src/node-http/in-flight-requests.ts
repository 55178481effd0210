import type { InFlightWork } from '@auditline/core';
import type { RequestState } from './request-state.js';

/**
 * The requests one middleware is auditing right now. It is registered with the
 * audit logger, so `close()`, a signal or an exit writes their entries before
 * `AUDIT_STOP` (SPEC §7): `drain` waits, bounded, for them to finish on their
 * own; `interrupt` writes the rest.
 */
export class InFlightRequests implements InFlightWork {
  readonly #open = new Set<RequestState>();
  readonly #drainTimeoutMs: number;
  readonly #interruptOne: (
    state: RequestState,
    reason: string,
    exitCode: number | undefined,
  ) => void;
  #waiters: (() => void)[] = [];

  constructor(
    drainTimeoutMs: number,
    interruptOne: (state: RequestState, reason: string, exitCode: number | undefined) => void,
  ) {
    this.#drainTimeoutMs = drainTimeoutMs;
    this.#interruptOne = interruptOne;
  }

  get size(): number {
    return this.#open.size;
  }

  add(state: RequestState): void {
    this.#open.add(state);
  }

  delete(state: RequestState): void {
    if (!this.#open.delete(state) || this.#open.size !== 0 || this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  drain(): Promise<void> {
    if (this.#open.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      // Unref'd: a drain must not keep a process alive that would otherwise exit.
      const timer = setTimeout(resolve, this.#drainTimeoutMs);
      timer.unref();
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  interrupt(reason: { signal: NodeJS.Signals } | { exitCode: number } | 'close'): void {
    const why = reason === 'close' ? 'close' : 'signal' in reason ? reason.signal : 'exit';
    const exitCode = reason !== 'close' && 'exitCode' in reason ? reason.exitCode : undefined;
    for (const state of [...this.#open]) this.#interruptOne(state, why, exitCode);
  }
}
