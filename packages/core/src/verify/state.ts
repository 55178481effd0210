import { createSealCheck, type PreparedHmac, prepareHmac, type SealCheck } from '../integrity.js';
import type { HashMismatch, VerifyIssue } from './report.js';
import type { ResolvedVerifyOptions } from './resolved-options.js';
import { type SealStatus, SeqRuns } from './seq-runs.js';

/** What the verifier keeps about one logger instance while lines arrive. */
export interface InstanceState {
  readonly instance: string;
  readonly service: string | undefined;
  readonly runs: SeqRuns;
  entries: number;
  signed: number;
  verified: number;
  readonly duplicates: { seq: number; line: number; status: SealStatus }[];
  readonly mismatches: HashMismatch[];
  /** Runs of unsigned lines, in arrival order. */
  readonly unsigned: { from: number; to: number; line: number }[];
  /** `AUDIT_START` said `chain: true`. */
  declaredChain: boolean;
  /** Lowest `seq` of an `AUDIT_STOP` seen. */
  stopSeq: number | undefined;
  finalSeq: number | undefined;
  stopLine: number;
}

/** What the verifier keeps about one `keyId`. */
export interface KeyState {
  readonly keyId: string;
  /** The full parse's HMAC: the same bytes and code as the logger's chain. */
  readonly hmac: PreparedHmac | undefined;
  /** The same key for the fast path; set with `hmac`. */
  readonly seal: SealCheck | undefined;
  lines: number;
  verified: number;
  mismatched: number;
  readonly firstInstance: string;
  readonly firstSeq: number;
}

/** Everything one verifier has seen: shared by the full parse, the fast path and the findings. */
export interface VerifierState {
  readonly options: ResolvedVerifyOptions;
  readonly instances: Map<string, InstanceState>;
  readonly keys: Map<string, KeyState>;
  /** Findings about single lines that belong to no instance. */
  readonly lineIssues: VerifyIssue[];
  lines: number;
  auditLines: number;
  /** Lines accepted by the fast path, for the tests that hold it to the full parse. */
  fastLines: number;
}

/**
 * A fresh state for one verifier.
 *
 * @example
 * ```ts
 * const state = createVerifierState(resolveVerifyOptions({}));
 * ```
 */
export function createVerifierState(options: ResolvedVerifyOptions): VerifierState {
  return {
    options,
    instances: new Map(),
    keys: new Map(),
    lineIssues: [],
    lines: 0,
    auditLines: 0,
    fastLines: 0,
  };
}

/**
 * The state of `instance`, created on its first line.
 *
 * @example
 * ```ts
 * const it = instanceStateFor(state, 'a1b2c3', 'orders-api');
 * ```
 */
export function instanceStateFor(
  state: VerifierState,
  instance: string,
  service: string | undefined,
): InstanceState {
  let found = state.instances.get(instance);
  if (found === undefined) {
    found = {
      instance,
      service,
      runs: new SeqRuns(),
      entries: 0,
      signed: 0,
      verified: 0,
      duplicates: [],
      mismatches: [],
      unsigned: [],
      declaredChain: false,
      stopSeq: undefined,
      finalSeq: undefined,
      stopLine: 0,
    };
    state.instances.set(instance, found);
  }
  return found;
}

/**
 * The state of `keyId`, created (and its key prepared) on its first line.
 *
 * @example
 * ```ts
 * const key = keyStateFor(state, 'default', 'a1b2c3', 1);
 * ```
 */
export function keyStateFor(
  state: VerifierState,
  keyId: string,
  instance: string,
  seq: number,
): KeyState {
  let found = state.keys.get(keyId);
  if (found === undefined) {
    const key = state.options.keys.get(keyId) ?? state.options.defaultKey;
    found = {
      keyId,
      hmac: key === undefined ? undefined : prepareHmac(key),
      seal: key === undefined ? undefined : createSealCheck(key),
      lines: 0,
      verified: 0,
      mismatched: 0,
      firstInstance: instance,
      firstSeq: seq,
    };
    state.keys.set(keyId, found);
  }
  return found;
}

/**
 * Places one line of `instance` among its runs; a `seq` seen before is kept as a duplicate.
 *
 * @example
 * ```ts
 * placeLine(instanceState, 7, 12, prev, hash, 'verified');
 * ```
 */
export function placeLine(
  instance: InstanceState,
  seq: number,
  line: number,
  prev: string | undefined,
  hash: string | undefined,
  status: SealStatus,
): void {
  if (!instance.runs.add(seq, line, prev, hash, status)) {
    instance.duplicates.push({ seq, line, status });
  }
}
