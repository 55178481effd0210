import type { ResolvedAuditOptions } from './config.js';
import { STDOUT_FD, WARNING_CODES } from './constants.js';
import { createFdDestination } from './destination.js';
import { routeProcessStdout } from './stdout-route.js';
import type { AuditDestination } from './types.js';

let warnedPinoNotShared = false;

/**
 * `pino` alone used to mean "write into that logger's stream", which pino's
 * public API cannot reach (STYLE anti-patterns, issue #14). The
 * safest behaviour without it: auditline's own synchronous fd 1 writer, which
 * is what SPEC §4.4 asks of audit lines anyway (durable when `log()` returns;
 * pino's default stream is asynchronous), said once, with the fix.
 */
function warnPinoNotShared(): void {
  if (warnedPinoNotShared) return;
  warnedPinoNotShared = true;
  process.emitWarning(
    'auditline: createAuditLogger got "pino" without "destination". pino offers no public way to reach its stream, so audit lines go to fd 1 through auditline\'s own synchronous writer, not through that logger. Lines that logger writes to fd 1 on its own can then interleave with audit lines under load. Fix: pass the stream the logger writes to as "destination" (const dest = pino.destination({ dest: 1, sync: true }); pino(dest); createAuditLogger({ destination: dest })) and drop "pino", or write app logs with createAppLogger({ audit }).',
    { code: WARNING_CODES.pinoNotShared },
  );
}

/**
 * Where the lines go (SPEC §4.4): a `destination` stream as given; else
 * auditline's synchronous writer on the `destination` fd, or fd 1 (also for
 * `pino` alone, with one warning). Only fd 1 routes `process.stdout`.
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
  const target = options.destination;
  if (typeof target === 'object') return target;
  if (options.pino) warnPinoNotShared();
  const fd = target ?? STDOUT_FD;
  const stall = { timeoutMs: options.stallTimeoutMs, action: options.onStall };
  // console.log shares fd 1: route it through a synchronous writer too, so it
  // cannot interleave with an audit line (issue #13; stdout-route.ts says why).
  if (options.routeStdout && fd === STDOUT_FD) routeProcessStdout(stall);
  return createFdDestination({ fd, onFailure, stall });
}
