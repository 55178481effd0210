import { GENESIS_HASH } from '@auditline/core';
import { describe, expect, it } from 'vitest';
import { SeqRuns } from '../src/verify/seq-runs.js';

// Issue #14: the verifier keeps, per instance, only the ends of each run of
// consecutive seq values, and checks each prev link when both sides are seen,
// in any arrival order. These pin that small class on its own.
const h = (n: number): string => String(n).padStart(64, '0');

describe('SeqRuns', () => {
  it('merges out-of-order lines into one run and finds no gap (a wrong merge would invent gaps)', () => {
    // Prepare
    const runs = new SeqRuns();
    // Act: 3, 1, 2, 5, 4 arrive in that order.
    for (const [i, seq] of [3, 1, 2, 5, 4].entries()) {
      runs.add(seq, i + 1, undefined, undefined, 'unchecked');
    }
    // Assess
    expect(runs.gaps()).toEqual([]);
    expect([runs.first, runs.last]).toEqual([1, 5]);
  });

  it('reports each missing range between runs', () => {
    const runs = new SeqRuns();
    for (const seq of [1, 2, 5, 9, 10]) runs.add(seq, seq, undefined, undefined, 'unchecked');
    expect(runs.gaps()).toEqual([
      { from: 3, to: 4 },
      { from: 6, to: 8 },
    ]);
  });

  it('returns false for a seq already seen, and keeps the first copy', () => {
    const runs = new SeqRuns();
    expect(runs.add(1, 1, GENESIS_HASH, h(1), 'verified')).toBe(true);
    expect(runs.add(1, 2, GENESIS_HASH, h(99), 'verified')).toBe(false);
    // The link to seq 2 is checked against the first copy's hash.
    runs.add(2, 3, h(1), h(2), 'verified');
    expect(runs.breaks).toEqual([]);
  });

  it('finds a broken link whichever side arrives first', () => {
    // Prepare: seq 2 claims prev h(7), but seq 1's hash is h(1).
    const forwards = new SeqRuns();
    const backwards = new SeqRuns();
    // Act
    forwards.add(1, 1, GENESIS_HASH, h(1), 'verified');
    forwards.add(2, 2, h(7), h(2), 'verified');
    backwards.add(2, 1, h(7), h(2), 'verified');
    backwards.add(1, 2, GENESIS_HASH, h(1), 'verified');
    // Assess: both name seq 2 and its own input line.
    expect(forwards.breaks).toEqual([{ seq: 2, line: 2 }]);
    expect(backwards.breaks).toEqual([{ seq: 2, line: 1 }]);
  });

  it('checks seq 1 against the genesis value', () => {
    const runs = new SeqRuns();
    runs.add(1, 1, h(5), h(1), 'verified');
    expect(runs.breaks).toEqual([{ seq: 1, line: 1 }]);
  });

  it('does not add a break next to a line whose own HMAC failed (already reported once)', () => {
    const runs = new SeqRuns();
    runs.add(1, 1, GENESIS_HASH, h(1), 'verified');
    runs.add(2, 2, h(7), h(2), 'mismatch');
    runs.add(3, 3, h(8), h(3), 'verified');
    expect(runs.breaks).toEqual([]);
  });

  it('lists the ranges after a seq, with the input line where a run starts there', () => {
    const runs = new SeqRuns();
    for (const seq of [1, 2, 3, 4]) runs.add(seq, seq, undefined, undefined, 'unchecked');
    runs.add(7, 10, undefined, undefined, 'unchecked');
    expect(runs.rangesAfter(3)).toEqual([
      { range: { from: 4, to: 4 }, line: undefined },
      { range: { from: 7, to: 7 }, line: 10 },
    ]);
    expect(runs.rangesAfter(7)).toEqual([]);
  });

  it('keeps 300,000 gaps without recursion or quadratic work (a spread or re-sort would fail here)', () => {
    const runs = new SeqRuns();
    for (let seq = 1; seq <= 600_001; seq += 2)
      runs.add(seq, seq, undefined, undefined, 'unchecked');
    expect(runs.gaps()).toHaveLength(300_000);
  });
});
