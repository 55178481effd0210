/** Signals that stop an ECS task (SIGTERM, then SIGKILL after `stopTimeout`) or a terminal session. */
const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Why the stream is being closed: a signal, or the process exiting with a code. */
export type ShutdownReason = { signal: NodeJS.Signals } | { exitCode: number };

/**
 * Installs SIGTERM/SIGINT handlers that run `onShutdown` (write `AUDIT_STOP`,
 * flush), then let shutdown continue: if the app has its own handler it runs
 * as usual; if not, the signal is re-raised so the default action (exit)
 * happens. Without this, Node as PID 1 ignores SIGTERM (SPEC §4.4).
 *
 * It also closes the stream on `process.exit()` and on an uncaught exception
 * (the `exit` event, where only synchronous work runs, which a write is), with
 * the exit code, so `auditline verify` can tell a clean stop from a cut chain;
 * only SIGKILL and OOM kills leave the chain unclosed. Returns a function that
 * removes every handler.
 *
 * @example
 * ```ts
 * const uninstall = installShutdownHandlers((reason) => logger.stop(reason));
 * ```
 */
export function installShutdownHandlers(onShutdown: (reason: ShutdownReason) => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    uninstall();
    try {
      onShutdown({ signal });
    } finally {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    }
  };
  const onExit = (exitCode: number): void => {
    uninstall();
    onShutdown({ exitCode });
  };
  function uninstall(): void {
    for (const signal of HANDLED_SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener('exit', onExit);
  }
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
  return uninstall;
}
