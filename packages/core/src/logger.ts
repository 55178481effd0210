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
import {
  AuditConfigError,
  AuditlineError,
  AuditValidationError,
  type AuditValidationIssue,
  ERROR_CODES,
} from './errors.js';
import { formatPluginFactory } from './format-registry.js';
import { createIntegrityChain, type IntegrityChain } from './integrity.js';
import { escapeLineSeparators, quoteJson as quote, stringifyJson } from './json-string.js';
import { chainOverheadBytes, LINE_PREFIX, staticHead } from './line/index.js';
import { createPrettyFormatter, type PrettyFormatter } from './pretty.js';
import { type CompiledRedaction, compileRedaction, stripQuery } from './redaction.js';
import {
  type BindingMember,
  createDetailsSerializer,
  type DetailsSerializer,
} from './safe-json.js';
import type { AuditEntry, AuditParams } from './schema.js';
import { installShutdownHandlers, type ShutdownReason } from './signals.js';
import { type TrimmedDetails, trimDetails } from './size-guard.js';
import { routeProcessStdout } from './stdout-route.js';
import { createTimestampFormatter } from './time.js';
import type { AuditDestination, AuditLineExtension, AuditLoggerStats } from './types.js';
import { readValidParams, safeStringForm, validateBindings, validateSlow } from './validate.js';
import { attachChainMembers, attachPluginMembers, parseWritten } from './written-entry.js';

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
  /**
   * A logger whose entries carry `bindings` inside `details` (never at the top
   * level). The typed reserved keys (`statusCode`, `duration_ms`, `mfa_used`…)
   * are checked like `details`: with `onInvalid: 'throw'` a wrong type throws
   * here, otherwise it is written in its safe string form and every line says
   * so in `validation_errors`.
   */
  child(bindings: Record<string, unknown>): AuditLogger;
  /**
   * `url` with the path segments that hold a sensitive route parameter
   * censored, by parameter name (`/reset/:token` with `{ token }`), using this
   * logger's redaction rules. For adapters that know the matched route's
   * params, such as `@auditline/express`.
   */
  redactRouteParams(url: string, params: Readonly<Record<string, unknown>> | undefined): string;
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
  readonly redaction: CompiledRedaction;
  readonly redactUrl: (text: string) => string;
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

/** What one `log()` call has done so far, for the fallback path (issue #13). */
interface CallState {
  /** The seq this call took, or 0 before it took one. */
  seq: number;
  /** Whether its line went to the destination. */
  written: boolean;
}

/** `String(value)` capped, for values of any type; never throws (a null-prototype object has no `toString`). */
function safeString(value: unknown, max: number): string {
  if (typeof value === 'string') return value.slice(0, max);
  try {
    return String(value).slice(0, max);
  } catch {
    return safeStringForm(value, max);
  }
}

/** A context field, when it is a non-empty string; capped like the param it stands in for. */
function contextString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

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
    // Bindings are details too: the typed reserved keys are checked the same
    // way (SPEC §3, issue #13), once here rather than on every line.
    const checked = validateBindings(merged);
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
    const call: CallState = { seq: 0, written: false };
    try {
      return this.#write(params, call);
    } catch (error) {
      if (error instanceof AuditValidationError) throw error;
      // The line was built and handed over, and the destination itself threw
      // (a user destination; the fd writer never throws): writing again would
      // repeat the seq, so its error goes to the caller, as before (the
      // Express adapter reports it once, SPEC §5.8).
      if (call.written) throw error;
      return this.#writeFallback(params, error, call);
    }
  }

  redactRouteParams(url: string, params: Readonly<Record<string, unknown>> | undefined): string {
    return this.#state.redaction.redactRouteParams(url, params);
  }

  /**
   * Resolves everything the caller supplied first (params, context, details,
   * plugin members: any of them may run user code that logs), and only then
   * takes the seq and encodes, with no user code in between. A nested
   * `log()` is therefore simply an earlier entry: one line per call, seq in
   * write order, the chain intact (issue #13).
   */
  #write(params: AuditParams, call: CallState): AuditEntry {
    const state = this.#state;
    let p = readValidParams(params);
    let issues: readonly AuditValidationIssue[] | undefined = this.#bindingIssues;
    let unexpected: Record<string, unknown> | undefined;
    if (p === undefined) {
      const repaired = validateSlow(params);
      if (repaired.issues.length > 0) {
        if (state.options.onInvalid === 'throw') throw new AuditValidationError(repaired.issues);
        issues = issues === undefined ? repaired.issues : [...repaired.issues, ...issues];
      }
      p = repaired.params;
      unexpected = repaired.unexpected;
    }
    const ctx = getAuditContext();
    const now = Date.now();
    const timestamp = state.timestamp(now);

    let traceId = p.traceId;
    if (traceId === undefined) {
      const fromContext = ctx?.traceId;
      traceId =
        typeof fromContext === 'string' && TRACE_ID_PATTERN.test(fromContext)
          ? fromContext
          : randomUUID();
    }
    // Read the context user once: middleware may expose it as a lazy getter.
    const contextUser = p.user_id === undefined ? ctx?.userId : undefined;
    const userId =
      p.user_id ?? (contextUser ? safeString(contextUser, MAX_USER_ID_LENGTH) : 'anonymous');
    const resource = this.#cleanUrl(p.resource);
    // Context values are not schema-checked like params: a job may put anything
    // there, so only strings count, capped the same way (issue #13).
    const method = p.method ?? contextString(ctx?.method, MAX_METHOD_LENGTH);
    const rawPath = p.path ?? contextString(ctx?.path, MAX_PATH_LENGTH);
    // The middleware passes the same URL as resource and path: redact it once.
    const path =
      rawPath === undefined
        ? undefined
        : rawPath === p.resource
          ? resource
          : this.#cleanUrl(rawPath);
    let ip = p.ip_address;
    const contextIp = ctx?.ip;
    if (ip === undefined && typeof contextIp === 'string' && isIP(contextIp) !== 0) ip = contextIp;
    const userAgent = p.user_agent ?? contextString(ctx?.userAgent, MAX_USER_AGENT_LENGTH);

    const details = p.details ?? null;
    // Plugins count what they had to leave out of their members (emf: a metric
    // value CloudWatch rejects), in details.validation_errors (SPEC §8.4, issue #13).
    if (details !== null) {
      for (const extension of state.extensions) {
        const found = extension.inspect?.(details as Record<string, unknown>);
        if (found !== undefined && found.length > 0) issues = [...(issues ?? []), ...found];
      }
    }
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
      // Provisional for plugins; the real seq is taken below, after them.
      seq: state.seq + 1,
      traceId,
      user_id: userId,
      action: p.action,
      resource,
      status: p.status,
      // The caller's details, for the plugins only: replaced below by what was written.
      details,
    };
    if (state.options.serviceVersion !== undefined)
      entry.service_version = state.options.serviceVersion;
    if (method !== undefined) entry.method = method;
    if (path !== undefined) entry.path = path;
    if (ip !== undefined) entry.ip_address = ip;
    if (userAgent !== undefined) entry.user_agent = userAgent;
    if (state.ecs) entry.ecs = { ...state.ecs };

    let tail = '';
    for (const extension of state.extensions) tail += extension.fragment(entry, now);
    // Core's own members are escaped as they are quoted (json-string.ts); plugin output is checked here.
    if (tail !== '') tail = escapeLineSeparators(tail);

    // From here on no caller code runs until the line is written.
    const seq = ++state.seq;
    call.seq = seq;
    entry.seq = seq;
    let head = `${LINE_PREFIX}${timestamp}${state.staticMembers}${seq},"traceId":${quote(traceId)},"user_id":${quote(userId)},"action":${quote(p.action)},"resource":${quote(resource)},"status":${quote(p.status)}`;
    if (method !== undefined) head += `,"method":${quote(method)}`;
    if (ip !== undefined) head += `,"ip_address":${quote(ip)}`;
    // path and user_agent last: they are what the size guard drops when trimming
    // details alone cannot make the line fit (SPEC §4.5).
    const optionalTail =
      (path === undefined ? '' : `,"path":${quote(path)}`) +
      (userAgent === undefined ? '' : `,"user_agent":${quote(userAgent)}`);

    let body = `${head}${optionalTail},"details":${detailsJson}${tail}`;
    let lineDetails = detailsJson;
    const max = state.options.maxEntryBytes;
    // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
    if (body.length * 3 + state.chainOverhead + 2 > max) {
      const bytes = Buffer.byteLength(body) + state.chainOverhead + 2;
      if (bytes > max) {
        const fitted = this.#fitToLimit(head, optionalTail, detailsJson, tail, `${body}}`, entry);
        body = fitted.body;
        lineDetails = fitted.details;
      }
    }

    const line = this.#finish(body, call);
    // What was written, parsed back (SPEC §4.1). A lazy getter instead cost more
    // than it saved: defineProperty per entry tripled log() in GC, an accessor in
    // the literal doubled it; JSON.parse of a typical details is about 0.5 µs.
    entry.details = parseWritten(lineDetails);
    if (tail !== '') attachPluginMembers(entry, tail);
    if (state.chain) attachChainMembers(entry, line, state.options.integrity?.keyId);
    return entry;
  }

  /**
   * Closes `body` (a line missing its final `}`) and writes it; with the chain
   * on, seals it. Returns the line as written, without the newline.
   */
  #finish(body: string, call: CallState): string {
    const chain = this.#state.chain;
    const line = chain ? chain.seal(body + chain.linkMembers()) : `${body}}`;
    call.written = true;
    this.#emit(line);
    return line;
  }

  /**
   * The cold path of the size guard (SPEC §4.5): trims `details`; if the fixed
   * members alone are still too big (control characters escape to 6 bytes each),
   * drops `user_agent`, then `path`. Required fields are never cut, and
   * MIN_ALLOWED_ENTRY_BYTES leaves room for them at their caps. Records on
   * `entry` what the line then says.
   */
  #fitToLimit(
    head: string,
    optionalTail: string,
    detailsJson: string,
    tail: string,
    originalLine: string,
    entry: AuditEntry,
  ): { body: string; details: string } {
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
    let trimmed: TrimmedDetails | undefined;
    // trimDetails budgets from estimates; if the result is still over, shrink the budget and retry.
    for (let attempt = 0; attempt < 3; attempt++) {
      trimmed = trimDetails(
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
    if (trimmed !== undefined) {
      entry.original_bytes = trimmed.originalBytes;
      entry.original_sha256 = trimmed.originalSha256;
    }
    return { body, details: trimmed?.details ?? detailsJson };
  }

  #cleanUrl(text: string): string {
    return this.#state.options.stripQueryStrings ? stripQuery(text) : this.#state.redactUrl(text);
  }

  #emit(line: string): void {
    const state = this.#state;
    const out = state.pretty ? state.pretty(line) : `${line}\n`;
    if (state.destination.write(out) !== false) state.written++;
  }

  /**
   * Last resort when building the line itself failed (a bug, or a hostile
   * object that escaped every guard). The entry is still written, minimal and
   * flagged, so nothing is dropped silently (SPEC §4.6). It reuses the seq the
   * failed attempt took, writes nothing if that attempt's line already went
   * out, and cannot throw itself (issue #13).
   */
  #writeFallback(params: unknown, error: unknown, call: CallState): AuditEntry {
    const state = this.#state;
    if (!state.reportedInternalError) {
      state.reportedInternalError = true;
      stderr(
        'auditline: internal error while writing an audit entry; writing a minimal entry with details.internal_error instead.',
      );
    }
    let reason: string;
    try {
      reason = safeString((error as Error)?.message ?? error, 512);
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
    let resource: string;
    try {
      resource = this.#cleanUrl(pick(p.resource, MAX_RESOURCE_LENGTH));
    } catch {
      resource = '[invalid]';
    }
    const now = Date.now();
    const entry: AuditEntry = {
      level: 'info',
      audit: true,
      timestamp: state.timestamp(now),
      service: state.options.service,
      instance: state.instance,
      seq: call.seq === 0 ? ++state.seq : call.seq,
      traceId: randomUUID(),
      user_id: 'anonymous',
      action:
        typeof p.action === 'string' && CUSTOM_ACTION_PATTERN.test(p.action) ? p.action : 'UNKNOWN',
      resource,
      status: p.status === 'SUCCESS' ? 'SUCCESS' : 'FAILED',
      details: { internal_error: reason },
    };
    const body = `${LINE_PREFIX}${entry.timestamp}${state.staticMembers}${entry.seq},"traceId":${quote(entry.traceId)},"user_id":"anonymous","action":${quote(entry.action)},"resource":${quote(entry.resource)},"status":${quote(entry.status)},"details":${stringifyJson(entry.details)}`;
    try {
      const line = this.#finish(body, call);
      if (state.chain) attachChainMembers(entry, line, state.options.integrity?.keyId);
    } catch {
      // The destination itself throws: it has reported (or will report) the failure.
    }
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
  const redaction = compileRedaction(resolved.redact, {
    allow: resolved.redactAllow,
    paths: resolved.redactPaths,
  });
  const stateBase = {
    options: resolved,
    instance,
    emitter,
    destination,
    pretty,
    serializer: createDetailsSerializer(redaction, resolved.errorStack),
    redaction,
    redactUrl: redaction.redactUrl,
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
