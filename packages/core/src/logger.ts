// The audit logger: a coordinator over named parts (issue #14). Resolving an
// entry (resolve-entry.ts), encoding it (encode-entry.ts), fitting it to the
// limit (fit-entry.ts), the fallback line (fallback-entry.ts), lifecycle and
// signals (lifecycle.ts), the failure policy (failure-policy.ts), plugins
// (plugins.ts) and the shared state (logger-state.ts) live in their own files.

import { createAppLineGuard } from './app-line-guard.js';
import type { AuditLogger } from './audit-logger.js';
import { checkChildBindings, serializeBindings } from './child-bindings.js';
import { type AuditLoggerOptions, resolveAuditOptions } from './config.js';
import { type AuditFormat, WARNING_CODES } from './constants.js';
import { encodeEntry } from './encode-entry.js';
import { type AuditlineError, AuditValidationError, type AuditValidationIssue } from './errors.js';
import { writeFallback } from './fallback-entry.js';
import type { InFlightWork } from './in-flight.js';
import { drainInFlight, flushDestination, startLifecycle, stopLifecycle } from './lifecycle.js';
import { type CallState, createLoggerState, type LoggerState } from './logger-state.js';
import { resolveEntry } from './resolve-entry.js';
import type { BindingMember } from './safe-json.js';
import type { AuditEntry, AuditParams } from './schema.js';
import type { ShutdownReason } from './signals.js';
import type { AuditLoggerStats } from './types.js';

export type { AuditLogger } from './audit-logger.js';
export { FAIL_CLOSED_EXIT_CODE } from './failure-policy.js';

class AuditLoggerImpl implements AuditLogger {
  readonly #state: LoggerState;
  readonly #bindings: readonly BindingMember[] | undefined;
  readonly #bindingValues: Readonly<Record<string, unknown>>;
  /** What was wrong with the bindings (typed reserved keys), repeated on every line. */
  readonly #bindingIssues: readonly AuditValidationIssue[] | undefined;

  constructor(
    state: LoggerState,
    bindingValues: Readonly<Record<string, unknown>>,
    bindingIssues?: readonly AuditValidationIssue[],
  ) {
    this.#state = state;
    this.#bindingValues = bindingValues;
    this.#bindingIssues = bindingIssues;
    this.#bindings = serializeBindings(state, bindingValues);
  }

  get service(): string {
    return this.#state.options.service;
  }
  get instance(): string {
    return this.#state.instance;
  }
  get format(): AuditFormat {
    return this.#state.options.format;
  }
  get appStream(): { write(line: string): void } {
    const state = this.#state;
    // Every app line passes the guard: reserved keys nested, same redaction as details (SPEC §6, issue #13).
    state.appLineGuard ??= createAppLineGuard(
      (value) => state.serializer.object(value, undefined),
      state.pluginKeys,
    );
    const guard = state.appLineGuard;
    return {
      write(line: string): void {
        const safe = guard(line);
        state.destination.write(state.pretty ? state.pretty(safe) : safe);
      },
    };
  }

  on(event: 'error', listener: (error: AuditlineError) => void): this {
    this.#state.emitter.on(event, listener);
    return this;
  }
  off(event: 'error', listener: (error: AuditlineError) => void): this {
    this.#state.emitter.off(event, listener);
    return this;
  }

  get closed(): boolean {
    return this.#state.closed;
  }

  registerInFlight(work: InFlightWork): () => void {
    const works = this.#state.inFlight;
    works.add(work);
    return () => {
      works.delete(work);
    };
  }

  stats(): AuditLoggerStats {
    const s = this.#state;
    return { written: s.written, lost: s.destination.lost ?? 0, seq: s.seq };
  }

  child(bindings: Record<string, unknown>): AuditLogger {
    const checked = checkChildBindings(this.#bindingValues, bindings);
    if (checked.issues.length > 0 && this.#state.options.onInvalid === 'throw') {
      throw new AuditValidationError(checked.issues);
    }
    return new AuditLoggerImpl(
      this.#state,
      Object.freeze(checked.bindings),
      checked.issues.length > 0 ? checked.issues : undefined,
    );
  }

  log(params: AuditParams): AuditEntry {
    const state = this.#state;
    if (state.closed && !state.warnedAfterClose) {
      state.warnedAfterClose = true;
      process.emitWarning(
        'auditline: log() after close(); the entry is still written, after AUDIT_STOP.',
        {
          code: WARNING_CODES.logAfterClose,
        },
      );
    }
    return this.#log(params, false);
  }

  /** Writes a lifecycle entry (AUDIT_START, AUDIT_STOP) outside any request context. */
  logLifecycle(params: AuditParams): AuditEntry {
    return this.#log(params, true);
  }

  #log(params: AuditParams, lifecycle: boolean): AuditEntry {
    const state = this.#state;
    const call: CallState = { seq: 0, written: false };
    try {
      // Everything caller-supplied is read first, then the seq is taken: a nested
      // log() (a getter, getUserId, a plugin) is simply an earlier line (issue #13).
      return encodeEntry(
        state,
        resolveEntry(state, params, this.#bindings, this.#bindingIssues, lifecycle),
        call,
      );
    } catch (error) {
      if (error instanceof AuditValidationError) throw error;
      // The line was handed over and the destination itself threw (a user
      // destination; the fd writer never throws): writing again would repeat the
      // seq, so its error goes to the caller (the Express adapter reports it, SPEC §5.8).
      if (call.written) throw error;
      return writeFallback(state, params, error, call);
    }
  }

  redactRouteParams(url: string, params: Readonly<Record<string, unknown>> | undefined): string {
    return this.#state.redaction.redactRouteParams(url, params);
  }

  /** Writes `AUDIT_STOP` once; used by close() and the shutdown handlers. */
  stop(reason: ShutdownReason | 'close'): void {
    stopLifecycle(this.#state, this, reason);
  }

  flush(): Promise<void> {
    return flushDestination(this.#state.destination);
  }

  /** Waits for the registered in-flight work (SPEC §7). */
  drain(): Promise<void> {
    return drainInFlight(this.#state);
  }

  async close(): Promise<void> {
    await this.drain();
    this.stop('close');
    await this.flush();
  }
}

/**
 * Creates an audit logger (SPEC §4). Options are validated and resolved once
 * here (option > env > default); a bad option throws {@link AuditConfigError}
 * naming it. The first line written is `AUDIT_START`.
 *
 * @example
 * ```ts
 * import { createAuditLogger } from '@auditline/core';
 *
 * const audit = createAuditLogger({ service: 'orders-api', handleSignals: true });
 * audit.log({ action: 'DELETE', resource: '/orders/42', status: 'SUCCESS', user_id: 'u-7' });
 * await audit.close();
 * ```
 */
export function createAuditLogger(options?: AuditLoggerOptions): AuditLogger {
  const state = createLoggerState(resolveAuditOptions(options));
  const logger = new AuditLoggerImpl(state, Object.freeze({}));
  startLifecycle(state, logger);
  return logger;
}
