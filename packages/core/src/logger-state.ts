import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ResolvedAuditOptions } from './config.js';
import { chooseDestination } from './destination-choice.js';
import { createFailureHandler } from './failure-policy.js';
import type { InFlightWork } from './in-flight.js';
import { createIntegrityChain, type IntegrityChain } from './integrity.js';
import { chainOverheadBytes, staticHead } from './line/index.js';
import { resolvePlugins } from './plugins.js';
import { createPrettyFormatter, type PrettyFormatter } from './pretty.js';
import { type CompiledRedaction, compileRedaction } from './redaction.js';
import { createDetailsSerializer, type DetailsSerializer } from './safe-json.js';
import { createTimestampFormatter } from './time.js';
import type { AuditDestination, AuditLineExtension } from './types.js';

/** Everything one logger (and its children) shares: decided once at construction, plus counters. */
export interface LoggerState {
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
  /** The plugin keys the returned entry parses back from the line (plugins without `fragmentInto`). */
  readonly parsedBackKeys: readonly string[];
  /** Per extension: write its `fragmentInto` output unscanned (escaped-fragments.ts). */
  readonly escapedFragments: readonly boolean[];
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
  /** Work to settle before `AUDIT_STOP`: the Express middleware's in-flight requests (SPEC §7). */
  readonly inFlight: Set<InFlightWork>;
  /** The drain in progress, shared by concurrent callers. */
  draining: Promise<void> | undefined;
  /** The signal that started shutdown, if one did: the stop entry names it. */
  signal: NodeJS.Signals | undefined;
}

/** What one `log()` call has done so far, for the fallback path (issue #13). */
export interface CallState {
  /** The seq this call took, or 0 before it took one. */
  seq: number;
  /** Whether its line went to the destination. */
  written: boolean;
}

/**
 * The static members after the timestamp, up to `seq`'s value (SPEC §3).
 *
 * @example
 * ```ts
 * state.staticMembers = staticMembersOf(state); // after ECS metadata arrived
 * ```
 */
export function staticMembersOf(state: Pick<LoggerState, 'options' | 'instance' | 'ecs'>): string {
  return staticHead({
    service: state.options.service,
    serviceVersion: state.options.serviceVersion,
    instance: state.instance,
    ecs: state.ecs,
  });
}

/**
 * Builds a logger's shared state from resolved options: destination and its
 * failure policy, plugins, pretty printer, chain, redaction and serialiser.
 * Cold path; throws {@link AuditConfigError} for contradictory options.
 *
 * @example
 * ```ts
 * const state = createLoggerState(resolveAuditOptions({ service: 'orders' }));
 * ```
 */
export function createLoggerState(resolved: ResolvedAuditOptions): LoggerState {
  const emitter = new EventEmitter();
  const instance = randomBytes(8).toString('hex');
  // The handler reads the destination's loss count lazily: it exists only after chooseDestination.
  const lost = { read: (): number => 0 };
  const onFailure = createFailureHandler({
    options: resolved,
    instance,
    emitter,
    lost: () => lost.read(),
  });
  const destination = chooseDestination(resolved, onFailure);
  lost.read = () => destination.lost ?? 0;
  const { extensions, claimedKeys, parsedBackKeys, escapedFragments } = resolvePlugins(resolved);
  const chain = resolved.integrity
    ? createIntegrityChain(resolved.integrity.key, resolved.integrity.keyId)
    : undefined;
  const redaction = compileRedaction(resolved.redact, {
    allow: resolved.redactAllow,
    paths: resolved.redactPaths,
  });
  const state: LoggerState = {
    options: resolved,
    instance,
    emitter,
    destination,
    pretty: resolved.format === 'pretty' ? createPrettyFormatter() : undefined,
    serializer: createDetailsSerializer(redaction, resolved.errorStack),
    redaction,
    redactUrl: redaction.redactUrl,
    chain,
    chainOverhead: resolved.integrity ? chainOverheadBytes(resolved.integrity.keyId) : 0,
    extensions,
    pluginKeys: claimedKeys,
    parsedBackKeys,
    escapedFragments,
    appLineGuard: undefined,
    timestamp: createTimestampFormatter(),
    staticMembers: '',
    ecs: undefined,
    seq: 0,
    written: 0,
    closed: false,
    warnedAfterClose: false,
    reportedInternalError: false,
    uninstallSignals: undefined,
    inFlight: new Set<InFlightWork>(),
    draining: undefined,
    signal: undefined,
  };
  state.staticMembers = staticMembersOf(state);
  return state;
}
