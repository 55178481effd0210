import { LIFECYCLE_ACTIONS } from './constants.js';
import { readEcsMetadata } from './ecs-metadata.js';
import { type LoggerState, staticMembersOf } from './logger-state.js';
import type { AuditEntry, AuditParams } from './schema.js';
import { installShutdownHandlers, type ShutdownReason } from './signals.js';
import type { AuditDestination } from './types.js';

/** What lifecycle needs of a logger: writing one lifecycle entry, draining, and stopping. */
export interface LifecycleTarget {
  /** Writes an entry outside any request context (SPEC §4.9). */
  logLifecycle(params: AuditParams): AuditEntry;
  drain(): Promise<void>;
  stop(reason: ShutdownReason | 'close'): void;
}

/**
 * Starts a logger's life (SPEC §7): writes `AUDIT_START` first, installs the
 * signal handlers when `handleSignals` is on, and reads the ECS metadata once
 * in the background when enabled (SPEC §4.7: never blocks start-up).
 *
 * @example
 * ```ts
 * startLifecycle(state, logger);
 * ```
 */
export function startLifecycle(state: LoggerState, logger: LifecycleTarget): void {
  const options = state.options;
  logger.logLifecycle({
    action: LIFECYCLE_ACTIONS.AUDIT_START,
    resource: `audit-log/${options.service}`,
    status: 'SUCCESS',
    user_id: 'system',
    traceId: state.instance,
    details: {
      format: state.pretty ? options.format : options.format === 'pretty' ? 'json' : options.format,
      chain: state.chain !== undefined,
      keyId: options.integrity?.keyId ?? null,
      max_entry_bytes: options.maxEntryBytes,
      plugins: state.extensions.length,
      pid: process.pid,
    },
  });
  if (options.handleSignals) {
    state.uninstallSignals = installShutdownHandlers({
      signalled: (signal) => {
        state.signal = signal;
      },
      drain: () => logger.drain(),
      stop: (reason) => logger.stop(reason),
    });
  }
  if (options.ecsMetadata && options.env.ECS_CONTAINER_METADATA_URI_V4) {
    void readEcsMetadata(options.env.ECS_CONTAINER_METADATA_URI_V4).then((ecs) => {
      if (!ecs) return;
      state.ecs = ecs;
      state.staticMembers = staticMembersOf(state);
    });
  }
}

/**
 * Writes `AUDIT_STOP` once; used by close() and the shutdown handlers.
 *
 * @example
 * ```ts
 * stopLifecycle(state, logger, { signal: 'SIGTERM' });
 * ```
 */
export function stopLifecycle(
  state: LoggerState,
  logger: LifecycleTarget,
  requested: ShutdownReason | 'close',
): void {
  if (state.closed) return;
  state.uninstallSignals?.();
  state.uninstallSignals = undefined;
  // A signal started this shutdown and the app's handler (close(), or a clean
  // exit) finished it: the stop entry still says which signal.
  const reason: ShutdownReason | 'close' =
    state.signal !== undefined &&
    (requested === 'close' || ('exitCode' in requested && requested.exitCode === 0))
      ? { signal: state.signal }
      : requested;
  // In-flight requests first: AUDIT_STOP is the last line of the instance (SPEC §7).
  for (const work of [...state.inFlight]) {
    try {
      work.interrupt(reason);
    } catch {
      // A broken work must not keep the chain open; its entries are lost, the stop is not.
    }
  }
  // A crash still closes the chain, but says so: exit_code ≠ 0 (SPEC §7).
  const why =
    reason === 'close'
      ? { reason: 'close' }
      : 'signal' in reason
        ? { reason: reason.signal }
        : { reason: 'exit', exit_code: reason.exitCode };
  logger.logLifecycle({
    action: LIFECYCLE_ACTIONS.AUDIT_STOP,
    resource: `audit-log/${state.options.service}`,
    status:
      reason !== 'close' && 'exitCode' in reason && reason.exitCode !== 0 ? 'FAILED' : 'SUCCESS',
    user_id: 'system',
    traceId: state.instance,
    details: {
      ...why,
      final_seq: state.seq + 1,
      written: state.written + 1,
      lost: state.destination.lost ?? 0,
    },
  });
  state.closed = true;
  // close() awaits the ordered flush(). A signal or exit cannot wait, so it
  // flushes synchronously: for our fd writer that is a no-op (every line is
  // already in the kernel), for an async pino destination it is a best effort.
  // Not on close(): sonic-boom's flushSync writes its queue even while an
  // async write is still in flight, which put AUDIT_STOP on the wire before
  // AUDIT_START (test/shared-pino-close-order.test.ts).
  if (requested !== 'close') flushSync(state.destination);
}

/**
 * Waits for every registered in-flight work (each bounds its own wait);
 * concurrent callers (close() and a signal) share one wait.
 *
 * @example
 * ```ts
 * await drainInFlight(state);
 * ```
 */
export function drainInFlight(state: LoggerState): Promise<void> {
  if (state.closed || state.inFlight.size === 0) return Promise.resolve();
  state.draining ??= Promise.all(
    [...state.inFlight].map((work) => {
      try {
        return work.drain().catch(() => undefined);
      } catch {
        return undefined;
      }
    }),
  ).then(() => {
    state.draining = undefined;
  });
  return state.draining;
}

/**
 * Resolves when everything written so far has reached the OS.
 *
 * @example
 * ```ts
 * await flushDestination(state.destination);
 * ```
 */
export function flushDestination(destination: AuditDestination): Promise<void> {
  return new Promise((resolve) => {
    if (typeof destination.flush !== 'function') return resolve();
    try {
      destination.flush(() => resolve());
    } catch {
      resolve();
    }
  });
}

function flushSync(destination: AuditDestination): void {
  const withSync = destination as { flushSync?: () => void };
  if (typeof withSync.flushSync === 'function') {
    try {
      withSync.flushSync();
    } catch {
      // An async pino destination that is not ready yet; flush() still resolves later.
    }
  }
}
