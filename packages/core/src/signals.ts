/** Signals that stop an ECS task (SIGTERM, then SIGKILL after `stopTimeout`) or a terminal session. */
const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Why the stream is being closed: a signal, or the process exiting with a code.
 *
 * @example
 * ```ts
 * const reason: ShutdownReason = { signal: 'SIGTERM' };
 * ```
 */
export type ShutdownReason = { signal: NodeJS.Signals } | { exitCode: number };

/** What the shutdown handlers call. */
export interface ShutdownHooks {
  /** Told first, synchronously: the stop entry names the signal even if the app's handler closes first. */
  signalled(signal: NodeJS.Signals): void;
  /** Waits (bounded) for in-flight work before the stop entry; only signals can wait. */
  drain(): Promise<void>;
  /** Writes `AUDIT_STOP` and flushes, synchronously. */
  stop(reason: ShutdownReason): void;
}

/**
 * Installs SIGTERM/SIGINT handlers that drain in-flight work (bounded), write
 * `AUDIT_STOP` and flush, then let shutdown continue: if the app has its own
 * handler it runs as usual; if not, the signal is re-raised so the default
 * action (exit) happens. Without this, Node as PID 1 ignores SIGTERM (SPEC §4.4).
 *
 * It also closes the stream on `process.exit()` and on an uncaught exception
 * (the `exit` event, where only synchronous work runs, which a write is), with
 * the exit code, so `auditline verify` can tell a clean stop from a cut chain;
 * only SIGKILL and OOM kills leave the chain unclosed. The exit handler stays
 * installed while a signal drains, so an app that exits mid-drain still gets
 * its in-flight entries and the stop entry. Returns a function that removes
 * every handler.
 *
 * @example
 * ```ts
 * const uninstall = installShutdownHandlers({
 *   signalled: () => {},
 *   drain: async () => {},
 *   stop: (r) => logger.stop(r),
 * });
 * ```
 */
export function installShutdownHandlers(hooks: ShutdownHooks): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    removeSignalListeners();
    // Decided now: an app's `process.once` handler is gone by the time the drain ends.
    const appHandles = process.listenerCount(signal) > 0;
    hooks.signalled(signal);
    let drained: Promise<void>;
    try {
      drained = hooks.drain();
    } catch {
      drained = Promise.resolve();
    }
    void drained
      .catch(() => undefined)
      .then(() => {
        uninstall();
        try {
          hooks.stop({ signal });
        } finally {
          if (!appHandles) process.kill(process.pid, signal);
        }
      });
  };
  const onExit = (exitCode: number): void => {
    uninstall();
    hooks.stop({ exitCode });
  };
  function removeSignalListeners(): void {
    for (const signal of HANDLED_SIGNALS) process.removeListener(signal, onSignal);
  }
  function uninstall(): void {
    removeSignalListeners();
    process.removeListener('exit', onExit);
  }
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
  return uninstall;
}
