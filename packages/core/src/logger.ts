import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';
import { isIP } from 'node:net';
import pino from 'pino';
import { createAppLineGuard } from './app-line-guard.js';
import {
  type AuditLoggerOptions,
  type ResolvedAuditOptions,
  resolveAuditOptions,
} from './config.js';
import {
  AUDIT_FIELDS,
  type AuditFormat,
  CUSTOM_ACTION_PATTERN,
  DETAIL_FIELDS,
  LIFECYCLE_ACTIONS,
  MAX_METHOD_LENGTH,
  MAX_PATH_LENGTH,
  MAX_RESOURCE_LENGTH,
  MAX_USER_AGENT_LENGTH,
  MAX_USER_ID_LENGTH,
  TRACE_ID_PATTERN,
  WARNING_CODES,
} from './constants.js';
import { getAuditContext } from './context.js';
import { createFdDestination } from './destination.js';
import { readEcsMetadata } from './ecs-metadata.js';
import { AuditConfigError, AuditlineError, AuditValidationError, ERROR_CODES } from './errors.js';
import { formatPluginFactory } from './format-registry.js';
import { createIntegrityChain, type IntegrityChain } from './integrity.js';
import { escapeLineSeparators, quoteJson as quote, stringifyJson } from './json-string.js';
import { chainOverheadBytes, LINE_PREFIX, staticHead } from './line/index.js';
import { createPrettyFormatter, type PrettyFormatter } from './pretty.js';
import { compileRedaction, stripQuery } from './redaction.js';
import {
  type BindingMember,
  createDetailsSerializer,
  type DetailsSerializer,
} from './safe-json.js';
import type { AuditEntry, AuditParams } from './schema.js';
import { installShutdownHandlers, type ShutdownReason } from './signals.js';
import { trimDetails } from './size-guard.js';
import { routeProcessStdout } from './stdout-route.js';
import { createTimestampFormatter } from './time.js';
import type { AuditDestination, AuditLineExtension, AuditLoggerStats } from './types.js';
import { readValidParams, validateSlow } from './validate.js';

/**
 * Exit code with `failClosed` when the destination breaks: EX_IOERR from sysexits.h.
 *
 * @example
 * ```ts
 * const audit = createAuditLogger({ failClosed: true });
 * // A supervisor restarting the task sees exit code FAIL_CLOSED_EXIT_CODE (74) after EPIPE.
 * ```
 */
export const FAIL_CLOSED_EXIT_CODE = 74;

/** Room kept for the trimmed `details` and the truncation markers when deciding to drop optional members. */
const TRIM_RESERVE_BYTES = 256;
/** Top-level keys the logger itself writes; plugins may not claim them. */
const CORE_KEYS: ReadonlySet<string> = new Set(Object.values(AUDIT_FIELDS));

/**
 * An audit logger (SPEC §4.1). Every `log()` writes exactly one JSON line,
 * synchronously, whatever any log level says (SPEC §4.2).
 *
 * @example
 * ```ts
 * const audit: AuditLogger = createAuditLogger({ service: 'orders-api' });
 * audit.child({ tenant: 't-1' }).log({ action: 'CREATE', resource: '/orders/42', status: 'SUCCESS' });
 * await audit.close();
 * ```
 */
export interface AuditLogger {
  /** The resolved `service`. */
  readonly service: string;
  /** Random id of this logger instance; `seq` counts within it (SPEC §7). */
  readonly instance: string;
  /** The resolved output format. */
  readonly format: AuditFormat;
  /**
   * Validates, redacts, size-guards and writes one entry; returns it. Never
   * throws unless `onInvalid: 'throw'` and the params are invalid.
   */
  log(params: AuditParams): AuditEntry;
  /** A logger whose entries carry `bindings` inside `details` (never at the top level). */
  child(bindings: Record<string, unknown>): AuditLogger;
  /** Resolves when everything written so far has reached the OS. */
  flush(): Promise<void>;
  /** Writes `AUDIT_STOP` (once), removes signal handlers and flushes. */
  close(): Promise<void>;
  /** Counters: written, lost, last seq. */
  stats(): AuditLoggerStats;
  /**
   * A line sink for application logs that share this destination and format
   * (pretty when the audit lines are pretty). Pass it to `pino(options, stream)`.
   */
  readonly appStream: { write(line: string): void };
  /** `error` is emitted once when the destination breaks (EPIPE, EBADF…). */
  on(event: 'error', listener: (error: AuditlineError) => void): this;
  off(event: 'error', listener: (error: AuditlineError) => void): this;
}

interface LoggerState {
  readonly options: ResolvedAuditOptions;
  readonly instance: string;
  readonly emitter: EventEmitter;
  readonly destination: AuditDestination;
  readonly pretty: PrettyFormatter | undefined;
  readonly serializer: DetailsSerializer;
  readonly redactQuery: (text: string) => string;
  readonly chain: IntegrityChain | undefined;
  readonly chainOverhead: number;
  readonly extensions: readonly AuditLineExtension[];
  /** Top-level keys the plugins write; app lines may not (app-line-guard.ts). */
  readonly pluginKeys: readonly string[];
  appLineGuard: ((line: string) => string) | undefined;
  readonly timestamp: (ms: number) => string;
  /** `","service":…,"instance":…,"seq":`, rebuilt once if ECS metadata arrives. */
  staticMembers: string;
  ecs: { task_arn?: string; cluster?: string } | undefined;
  seq: number;
  written: number;
  closed: boolean;
  warnedAfterClose: boolean;
  reportedInternalError: boolean;
  uninstallSignals: (() => void) | undefined;
}

function staticMembersOf(state: Pick<LoggerState, 'options' | 'instance' | 'ecs'>): string {
  return staticHead({
    service: state.options.service,
    serviceVersion: state.options.serviceVersion,
    instance: state.instance,
    ecs: state.ecs,
  });
}

function stderr(message: string): void {
  try {
    writeSync(2, `${message}\n`);
  } catch {
    // stderr is gone too; nothing left to tell.
  }
}

function resolveDestination(
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

function resolveExtensions(options: ResolvedAuditOptions): {
  extensions: AuditLineExtension[];
  claimedKeys: string[];
} {
  const plugins = [...options.plugins];
  if (options.format === 'emf' && !plugins.some((p) => p.name === 'emf')) {
    const factory = formatPluginFactory('emf');
    if (!factory) {
      throw new AuditConfigError(
        'format',
        'createAuditLogger: format "emf" (AUDIT_LOG_FORMAT=emf) needs @auditline/emf. Fix: import "@auditline/emf/register" once at start-up, or pass plugins: [emf()].',
      );
    }
    plugins.push(factory());
  }
  const claimed = new Map<string, string>();
  for (const plugin of plugins) {
    for (const key of plugin.reservedKeys) {
      if (CORE_KEYS.has(key)) {
        throw new AuditConfigError(
          'plugins',
          `createAuditLogger: plugin "${plugin.name}" claims the top-level key "${key}", which is an audit field. Fix: rename the plugin's member.`,
        );
      }
      const other = claimed.get(key);
      if (other) {
        throw new AuditConfigError(
          'plugins',
          `createAuditLogger: plugins "${other}" and "${plugin.name}" both write "${key}". Fix: configure one of them to use another name.`,
        );
      }
      claimed.set(key, plugin.name);
    }
  }
  const context = Object.freeze({
    service: options.service,
    serviceVersion: options.serviceVersion,
    env: options.env,
  });
  return {
    extensions: plugins.map((plugin) => plugin.setup(context)),
    claimedKeys: [...claimed.keys()],
  };
}

class AuditLoggerImpl implements AuditLogger {
  readonly #state: LoggerState;
  readonly #bindings: readonly BindingMember[] | undefined;
  readonly #bindingValues: Readonly<Record<string, unknown>>;

  constructor(state: LoggerState, bindingValues: Readonly<Record<string, unknown>>) {
    this.#state = state;
    this.#bindingValues = bindingValues;
    const keys = Object.keys(bindingValues);
    this.#bindings =
      keys.length === 0
        ? undefined
        : keys
            .map((key) => {
              // Serialised once, through the same redaction as details.
              const json = state.serializer.object({ [key]: bindingValues[key] }, undefined);
              return { key, member: json.slice(1, -1) };
            })
            .filter((b) => b.member !== '');
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

  stats(): AuditLoggerStats {
    const s = this.#state;
    return { written: s.written, lost: s.destination.lost ?? 0, seq: s.seq };
  }

  child(bindings: Record<string, unknown>): AuditLogger {
    if (typeof bindings !== 'object' || bindings === null || Array.isArray(bindings)) {
      throw new AuditConfigError(
        'bindings',
        'child(bindings): bindings must be a plain object such as { component: "billing" }.',
      );
    }
    let merged: Record<string, unknown>;
    try {
      merged = { ...this.#bindingValues, ...bindings };
    } catch (error) {
      throw new AuditConfigError(
        'bindings',
        `child(bindings): bindings could not be read (${(error as Error)?.message}). Fix: pass plain data.`,
        { cause: error },
      );
    }
    return new AuditLoggerImpl(this.#state, Object.freeze(merged));
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
    try {
      return this.#write(params);
    } catch (error) {
      if (error instanceof AuditValidationError) throw error;
      return this.#writeFallback(params, error);
    }
  }

  #write(params: AuditParams): AuditEntry {
    const state = this.#state;
    let p = readValidParams(params);
    let issues: readonly { path: string; code: string; message: string }[] | undefined;
    let unexpected: Record<string, unknown> | undefined;
    if (p === undefined) {
      const repaired = validateSlow(params);
      if (repaired.issues.length > 0) {
        if (state.options.onInvalid === 'throw') throw new AuditValidationError(repaired.issues);
        issues = repaired.issues;
      }
      p = repaired.params;
      unexpected = repaired.unexpected;
    }
    const ctx = getAuditContext();
    const now = Date.now();
    const timestamp = state.timestamp(now);
    const seq = ++state.seq;

    let traceId = p.traceId;
    if (traceId === undefined) {
      const fromContext = ctx?.traceId;
      traceId =
        fromContext !== undefined && TRACE_ID_PATTERN.test(fromContext)
          ? fromContext
          : randomUUID();
    }
    // Read the context user once: middleware may expose it as a lazy getter.
    const contextUser = p.user_id === undefined ? ctx?.userId : undefined;
    const userId =
      p.user_id ?? (contextUser ? String(contextUser).slice(0, MAX_USER_ID_LENGTH) : 'anonymous');
    const resource = this.#cleanUrl(p.resource);
    // Context values are not schema-checked like params: cap them the same way.
    const method = p.method ?? ctx?.method?.slice(0, MAX_METHOD_LENGTH);
    const rawPath = p.path ?? ctx?.path;
    const cappedPath = rawPath?.slice(0, MAX_PATH_LENGTH);
    // The middleware passes the same URL as resource and path: redact it once.
    const path =
      cappedPath === undefined
        ? undefined
        : cappedPath === p.resource
          ? resource
          : this.#cleanUrl(cappedPath);
    let ip = p.ip_address;
    if (ip === undefined && ctx?.ip !== undefined && isIP(ctx.ip) !== 0) ip = ctx.ip;
    const userAgent = p.user_agent ?? ctx?.userAgent?.slice(0, MAX_USER_AGENT_LENGTH);

    let head = `${LINE_PREFIX}${timestamp}${state.staticMembers}${seq},"traceId":${quote(traceId)},"user_id":${quote(userId)},"action":${quote(p.action)},"resource":${quote(resource)},"status":${quote(p.status)}`;
    if (method !== undefined) head += `,"method":${quote(method)}`;
    if (ip !== undefined) head += `,"ip_address":${quote(ip)}`;
    // path and user_agent last: they are what the size guard drops when trimming
    // details alone cannot make the line fit (SPEC §4.5).
    const optionalTail =
      (path === undefined ? '' : `,"path":${quote(path)}`) +
      (userAgent === undefined ? '' : `,"user_agent":${quote(userAgent)}`);

    const details = p.details ?? null;
    let detailsJson: string;
    if (issues !== undefined || unexpected !== undefined) {
      // The serialiser merges them, so Map/Error/Buffer details keep their content.
      detailsJson = state.serializer.object(details ?? {}, this.#bindings, {
        [DETAIL_FIELDS.validationErrors]: issues,
        [DETAIL_FIELDS.unexpectedFields]: unexpected,
      });
    } else if (details === null && this.#bindings === undefined) {
      detailsJson = 'null';
    } else {
      detailsJson = state.serializer.object(details ?? {}, this.#bindings);
    }

    const entry: AuditEntry = {
      level: 'info',
      audit: true,
      timestamp,
      service: state.options.service,
      instance: state.instance,
      seq,
      traceId,
      user_id: userId,
      action: p.action,
      resource,
      status: p.status,
      details,
    };
    if (state.options.serviceVersion !== undefined)
      entry.service_version = state.options.serviceVersion;
    if (method !== undefined) entry.method = method;
    if (path !== undefined) entry.path = path;
    if (ip !== undefined) entry.ip_address = ip;
    if (userAgent !== undefined) entry.user_agent = userAgent;
    if (state.ecs) entry.ecs = state.ecs;

    let tail = '';
    for (const extension of state.extensions) tail += extension.fragment(entry, now);
    // Core's own members are escaped as they are quoted (json-string.ts); plugin output is checked here.
    if (tail !== '') tail = escapeLineSeparators(tail);

    let body = `${head}${optionalTail},"details":${detailsJson}${tail}`;
    const max = state.options.maxEntryBytes;
    // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
    if (body.length * 3 + state.chainOverhead + 2 > max) {
      const bytes = Buffer.byteLength(body) + state.chainOverhead + 2;
      if (bytes > max) {
        body = this.#fitToLimit(head, optionalTail, detailsJson, tail, `${body}}`, entry);
      }
    }

    this.#finish(body);
    return entry;
  }

  /** Closes `body` (a line missing its final `}`) and writes it; with the chain on, seals it. */
  #finish(body: string): void {
    const chain = this.#state.chain;
    this.#emit(chain ? chain.seal(body + chain.linkMembers()) : `${body}}`);
  }

  /**
   * The cold path of the size guard (SPEC §4.5): trims `details`; if the fixed
   * members alone are still too big (control characters escape to 6 bytes each),
   * drops `user_agent`, then `path`. Required fields are never cut, and
   * MIN_ALLOWED_ENTRY_BYTES leaves room for them at their caps.
   */
  #fitToLimit(
    head: string,
    optionalTail: string,
    detailsJson: string,
    tail: string,
    originalLine: string,
    entry: AuditEntry,
  ): string {
    const state = this.#state;
    const max = state.options.maxEntryBytes;
    const fixedBytes = state.chainOverhead + 2 + Buffer.byteLength(tail) + '"details":'.length + 1;
    let members = optionalTail;
    if (
      Buffer.byteLength(head) + Buffer.byteLength(members) + fixedBytes + TRIM_RESERVE_BYTES >
      max
    ) {
      members = entry.path === undefined ? '' : `,"path":${quote(entry.path)}`;
      delete entry.user_agent;
      if (
        Buffer.byteLength(head) + Buffer.byteLength(members) + fixedBytes + TRIM_RESERVE_BYTES >
        max
      ) {
        members = '';
        delete entry.path;
      }
    }
    const prefix = `${head}${members},"details":`;
    let budget = max;
    let body = '';
    // trimDetails budgets from estimates; if the result is still over, shrink the budget and retry.
    for (let attempt = 0; attempt < 3; attempt++) {
      const trimmed = trimDetails(
        detailsJson,
        Buffer.byteLength(prefix) + fixedBytes,
        budget,
        originalLine,
      );
      body = prefix + trimmed.details + trimmed.markers + tail;
      const over = Buffer.byteLength(body) + state.chainOverhead + 2 - max;
      if (over <= 0) break;
      budget -= over;
    }
    entry.truncated = true;
    return body;
  }

  #cleanUrl(text: string): string {
    return this.#state.options.stripQueryStrings ? stripQuery(text) : this.#state.redactQuery(text);
  }

  #emit(line: string): void {
    const state = this.#state;
    const out = state.pretty ? state.pretty(line) : `${line}\n`;
    if (state.destination.write(out) !== false) state.written++;
  }

  /**
   * Last resort when building the line itself failed (a bug, or a hostile
   * object that escaped every guard). The entry is still written, minimal and
   * flagged, so nothing is dropped silently (SPEC §4.6).
   */
  #writeFallback(params: unknown, error: unknown): AuditEntry {
    const state = this.#state;
    if (!state.reportedInternalError) {
      state.reportedInternalError = true;
      stderr(
        'auditline: internal error while writing an audit entry; writing a minimal entry with details.internal_error instead.',
      );
    }
    let reason: string;
    try {
      reason = String((error as Error)?.message ?? error).slice(0, 512);
    } catch {
      reason = 'unreadable error';
    }
    const source = (typeof params === 'object' && params !== null ? params : {}) as Record<
      string,
      unknown
    >;
    // Anything may throw here too (a getter, a Proxy): read each member defensively.
    const p: Record<string, unknown> = {};
    for (const key of ['action', 'resource', 'status']) {
      try {
        p[key] = source[key];
      } catch {
        p[key] = undefined;
      }
    }
    const pick = (v: unknown, max: number): string =>
      typeof v === 'string' && v.length > 0 ? v.slice(0, max) : '[invalid]';
    const now = Date.now();
    const entry: AuditEntry = {
      level: 'info',
      audit: true,
      timestamp: state.timestamp(now),
      service: state.options.service,
      instance: state.instance,
      seq: ++state.seq,
      traceId: randomUUID(),
      user_id: 'anonymous',
      action: CUSTOM_ACTION_PATTERN.test(String(p.action)) ? String(p.action) : 'UNKNOWN',
      resource: this.#cleanUrl(pick(p.resource, MAX_RESOURCE_LENGTH)),
      status: p.status === 'SUCCESS' ? 'SUCCESS' : 'FAILED',
      details: { internal_error: reason },
    };
    const body = `${LINE_PREFIX}${entry.timestamp}${state.staticMembers}${entry.seq},"traceId":${quote(entry.traceId)},"user_id":"anonymous","action":${quote(entry.action)},"resource":${quote(entry.resource)},"status":${quote(entry.status)},"details":${stringifyJson(entry.details)}`;
    this.#finish(body);
    return entry;
  }

  /** Writes `AUDIT_STOP` once; used by close() and the shutdown handlers. */
  stop(reason: ShutdownReason | 'close'): void {
    const state = this.#state;
    if (state.closed) return;
    state.uninstallSignals?.();
    state.uninstallSignals = undefined;
    // A crash still closes the chain, but says so: exit_code ≠ 0 (SPEC §7).
    const why =
      reason === 'close'
        ? { reason: 'close' }
        : 'signal' in reason
          ? { reason: reason.signal }
          : { reason: 'exit', exit_code: reason.exitCode };
    this.log({
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
    if (reason !== 'close') flushSync(state.destination);
  }

  flush(): Promise<void> {
    const destination = this.#state.destination;
    return new Promise((resolve) => {
      if (typeof destination.flush !== 'function') return resolve();
      try {
        destination.flush(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  async close(): Promise<void> {
    this.stop('close');
    await this.flush();
  }
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
  const resolved = resolveAuditOptions(options);
  const emitter = new EventEmitter();
  let reportedFailure = false;
  const instance = randomBytes(8).toString('hex');
  const onFailure = (error: NodeJS.ErrnoException): void => {
    if (reportedFailure) return;
    reportedFailure = true;
    stderr(
      `auditline: the audit destination failed with ${error.code ?? error.message}; audit entries are being LOST (service ${resolved.service}, instance ${instance}). ${resolved.failClosed ? `failClosed is on: exiting with code ${FAIL_CLOSED_EXIT_CODE}.` : 'Set failClosed: true to stop the process instead.'}`,
    );
    const wrapped = new AuditlineError(
      ERROR_CODES.destinationFailed,
      `audit destination failed: ${error.code ?? error.message}`,
      { cause: error },
    );
    if (emitter.listenerCount('error') > 0) emitter.emit('error', wrapped);
    if (resolved.failClosed) process.exit(FAIL_CLOSED_EXIT_CODE);
    process.once('exit', () => {
      stderr(
        `auditline: ${destination.lost ?? 0} audit entries were lost after the destination failed (instance ${instance}).`,
      );
    });
  };
  const destination = resolveDestination(resolved, onFailure);
  const { extensions, claimedKeys } = resolveExtensions(resolved);
  const wantsPretty = resolved.format === 'pretty';
  const pretty = wantsPretty ? createPrettyFormatter() : undefined;
  const chain = resolved.integrity
    ? createIntegrityChain(resolved.integrity.key, resolved.integrity.keyId)
    : undefined;
  const redaction = compileRedaction(resolved.redact);
  const stateBase = {
    options: resolved,
    instance,
    emitter,
    destination,
    pretty,
    serializer: createDetailsSerializer(redaction, resolved.errorStack),
    redactQuery: redaction.redactQuery,
    chain,
    chainOverhead: resolved.integrity ? chainOverheadBytes(resolved.integrity.keyId) : 0,
    extensions,
    pluginKeys: claimedKeys,
    appLineGuard: undefined,
    timestamp: createTimestampFormatter(),
    ecs: undefined,
    seq: 0,
    written: 0,
    closed: false,
    warnedAfterClose: false,
    reportedInternalError: false,
    uninstallSignals: undefined,
  };
  const state: LoggerState = { ...stateBase, staticMembers: staticMembersOf(stateBase) };
  const logger = new AuditLoggerImpl(state, Object.freeze({}));

  logger.log({
    action: LIFECYCLE_ACTIONS.AUDIT_START,
    resource: `audit-log/${resolved.service}`,
    status: 'SUCCESS',
    user_id: 'system',
    traceId: instance,
    details: {
      format: pretty ? resolved.format : resolved.format === 'pretty' ? 'json' : resolved.format,
      chain: chain !== undefined,
      keyId: resolved.integrity?.keyId ?? null,
      max_entry_bytes: resolved.maxEntryBytes,
      plugins: extensions.length,
      pid: process.pid,
    },
  });

  if (resolved.handleSignals) {
    state.uninstallSignals = installShutdownHandlers((reason) => logger.stop(reason));
  }
  if (resolved.ecsMetadata && resolved.env.ECS_CONTAINER_METADATA_URI_V4) {
    void readEcsMetadata(resolved.env.ECS_CONTAINER_METADATA_URI_V4).then((ecs) => {
      if (!ecs) return;
      state.ecs = ecs;
      state.staticMembers = staticMembersOf(state);
    });
  }
  return logger;
}
