import pino from 'pino';
import type { ResolvedAuditOptions } from './config.js';
import { createFdDestination } from './destination.js';
import { AuditConfigError } from './errors.js';
import { routeProcessStdout } from './stdout-route.js';
import type { AuditDestination } from './types.js';

/**
 * Where the lines go (SPEC §4.4): the `destination` option, else the stream of
 * the `pino` logger passed, else fd 1 written synchronously.
 *
 * @example
 * ```ts
 * const destination = chooseDestination(resolveAuditOptions({}), onFailure); // fd 1
 * ```
 */
export function chooseDestination(
  options: ResolvedAuditOptions,
  onFailure: (e: NodeJS.ErrnoException) => void,
): AuditDestination {
  if (options.destination) return options.destination;
  if (options.pino) {
    // pino.symbols is pino's documented integration surface for its stream.
    const stream = (options.pino as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
    if (
      typeof stream !== 'object' ||
      stream === null ||
      typeof (stream as AuditDestination).write !== 'function'
    ) {
      throw new AuditConfigError(
        'pino',
        'createAuditLogger: the "pino" logger has no writable stream. Fix: pass a logger made by pino().',
      );
    }
    return stream as AuditDestination;
  }
  const stall = { timeoutMs: options.stallTimeoutMs, action: options.onStall };
  // console.log shares fd 1: route it through a synchronous writer too, so it
  // cannot interleave with an audit line (issue #13; stdout-route.ts says why).
  if (options.routeStdout) routeProcessStdout(stall);
  return createFdDestination({ onFailure, stall });
}
