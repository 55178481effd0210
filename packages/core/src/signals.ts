/** Signals that stop an ECS task (SIGTERM, then SIGKILL after `stopTimeout`) or a terminal session. */
const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Installs SIGTERM/SIGINT handlers that run `onSignal` (write `AUDIT_STOP`,
 * flush), then let shutdown continue: if the app has its own handler it runs
 * as usual; if not, the signal is re-raised so the default action (exit)
 * happens. Without this, Node as PID 1 ignores SIGTERM (SPEC §4.4).
 * Returns a function that removes the handlers.
 *
 * @example
 * ```ts
 * const uninstall = installSignalHandlers((signal) => logger.stop(signal));
 * ```
 */
export function installSignalHandlers(onSignal: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    uninstall();
    try {
      onSignal(signal);
    } finally {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    }
  };
  function uninstall(): void {
    for (const signal of HANDLED_SIGNALS) process.removeListener(signal, handler);
  }
  for (const signal of HANDLED_SIGNALS) process.on(signal, handler);
  return uninstall;
}
