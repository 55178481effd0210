import { GENESIS_HASH } from '../constants.js';
import type { SeqRange } from './report.js';

/**
 * What the HMAC check said about one line: `verified` (matched a key),
 * `mismatch` (a key was there and did not match), `unchecked` (no hash, or no key).
 */
export type SealStatus = 'verified' | 'mismatch' | 'unchecked';

/** A `seq` whose `prev` is not the hash of the line before it. */
export interface LinkBreak {
  readonly seq: number;
  /** Input line of the line at `seq`. */
  readonly line: number;
}

/**
 * A contiguous run of `seq` values seen. Links inside a run were checked on
 * arrival, so only its ends are kept: memory is O(gaps), not O(lines).
 */
interface Run {
  from: number;
  to: number;
  /** `prev` of the line at `from` (undefined when unsigned). */
  fromPrev: string | undefined;
  fromStatus: SealStatus;
  /** Input line of the line at `from`, for a break found when the run grows backwards. */
  fromLine: number;
  /** `hash` of the line at `to`. */
  toHash: string | undefined;
  toStatus: SealStatus;
}

/**
 * A copy of `text` that does not keep the string it was sliced from alive
 * (V8 slices of 13+ chars point into their parent, here a whole input chunk).
 */
function detachedCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * The `seq` values of one instance seen so far, as sorted runs, with the
 * chain links checked whenever two consecutive values have both been seen,
 * in whatever order lines arrive (SPEC §7: lines of many instances may be
 * interleaved and out of order).
 *
 * @example
 * ```ts
 * const runs = new SeqRuns();
 * runs.add(2, 1, undefined, undefined, 'unchecked');
 * runs.add(1, 2, undefined, undefined, 'unchecked');
 * runs.gaps(); // []
 * ```
 */
export class SeqRuns {
  readonly #runs: Run[] = [];
  readonly #breaks: LinkBreak[] = [];

  /** Link breaks found so far, in the order found. */
  get breaks(): readonly LinkBreak[] {
    return this.#breaks;
  }

  /** Lowest `seq` seen (0 when none). */
  get first(): number {
    return this.#runs[0]?.from ?? 0;
  }

  /** Highest `seq` seen (0 when none). */
  get last(): number {
    return this.#runs[this.#runs.length - 1]?.to ?? 0;
  }

  /**
   * Records the line at `seq`. Returns false, and records nothing, when `seq`
   * was already seen (a duplicate).
   */
  add(
    seq: number,
    line: number,
    prev: string | undefined,
    hash: string | undefined,
    status: SealStatus,
  ): boolean {
    const runs = this.#runs;
    const newest = runs[runs.length - 1];
    // The usual, in-order case: the next line of the newest run.
    if (newest !== undefined && seq === newest.to + 1) {
      this.#checkLink(seq, line, prev, status, newest.toHash, newest.toStatus);
      newest.to = seq;
      newest.toHash = hash;
      newest.toStatus = status;
      return true;
    }
    const at = this.#indexAtOrBefore(seq);
    const before = at >= 0 ? runs[at] : undefined;
    if (before !== undefined && seq <= before.to) return false;
    if (seq === 1) {
      // The first line of an instance links to the genesis value (SPEC §7).
      this.#checkLink(seq, line, prev, status, GENESIS_HASH, 'verified');
    }
    const after = runs[at + 1];
    const joinsBefore = before !== undefined && before.to + 1 === seq;
    const joinsAfter = after !== undefined && after.from === seq + 1;
    if (joinsBefore) this.#checkLink(seq, line, prev, status, before.toHash, before.toStatus);
    if (joinsAfter) {
      this.#checkLink(seq + 1, after.fromLine, after.fromPrev, after.fromStatus, hash, status);
    }
    if (joinsBefore && joinsAfter) {
      before.to = after.to;
      before.toHash = after.toHash;
      before.toStatus = after.toStatus;
      runs.splice(at + 1, 1);
    } else if (joinsBefore) {
      before.to = seq;
      before.toHash = hash;
      before.toStatus = status;
    } else if (joinsAfter) {
      after.from = seq;
      after.fromPrev = prev === undefined ? undefined : detachedCopy(prev);
      after.fromStatus = status;
      after.fromLine = line;
    } else {
      runs.splice(at + 1, 0, {
        from: seq,
        to: seq,
        fromPrev: prev === undefined ? undefined : detachedCopy(prev),
        fromStatus: status,
        fromLine: line,
        toHash: hash,
        toStatus: status,
      });
    }
    return true;
  }

  /** Missing ranges between the runs, in `seq` order (not before the first). */
  gaps(): SeqRange[] {
    const gaps: SeqRange[] = [];
    const runs = this.#runs;
    for (let i = 1; i < runs.length; i++) {
      gaps.push(
        Object.freeze({ from: (runs[i - 1] as Run).to + 1, to: (runs[i] as Run).from - 1 }),
      );
    }
    return gaps;
  }

  /**
   * The ranges seen above `seq`, each with the input line of its first value
   * when that value starts a run (else `undefined`).
   */
  rangesAfter(seq: number): { range: SeqRange; line: number | undefined }[] {
    const found: { range: SeqRange; line: number | undefined }[] = [];
    for (const run of this.#runs) {
      if (run.to <= seq) continue;
      const from = Math.max(run.from, seq + 1);
      found.push({
        range: Object.freeze({ from, to: run.to }),
        line: from === run.from ? run.fromLine : undefined,
      });
    }
    return found;
  }

  /** Binary search: index of the last run with `from <= seq`, or -1. */
  #indexAtOrBefore(seq: number): number {
    const runs = this.#runs;
    let lo = 0;
    let hi = runs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((runs[mid] as Run).from <= seq) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  #checkLink(
    seq: number,
    line: number,
    prev: string | undefined,
    status: SealStatus,
    previousHash: string | undefined,
    previousStatus: SealStatus,
  ): void {
    // A line that fails its own HMAC is already reported; the broken link
    // next to it is a consequence, not a second finding.
    if (prev === undefined || previousHash === undefined) return;
    if (status === 'mismatch' || previousStatus === 'mismatch') return;
    if (prev !== previousHash) this.#breaks.push({ seq, line });
  }
}
