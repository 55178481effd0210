import { createAuditLogger, MAX_ALLOWED_ENTRY_BYTES } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.6 / issue #13: one total budget per entry, shared by every path.
// The red-team pass: 7 objects with 10 references each took 1.2–1.4 s and
// +326 MB for a 429-byte line, because shared references were walked again
// on every path. These tests pin the budget by the output's shape, not by time.

const BASE = { action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' } as const;

/** `levels` objects, each holding `fanOut` references to the next one: fanOut^levels paths. */
function sharedDag(levels: number, fanOut: number): Record<string, unknown> {
  let node: Record<string, unknown> = { leaf: true };
  for (let level = 0; level < levels; level++) {
    const next: Record<string, unknown> = {};
    for (let i = 0; i < fanOut; i++) next[`r${i}`] = node;
    node = next;
  }
  return node;
}

function logOne(details: Record<string, unknown>): {
  raw: string;
  details: Record<string, unknown>;
} {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    destination: sink,
    format: 'json',
    maxEntryBytes: MAX_ALLOWED_ENTRY_BYTES,
  });
  audit.log({ ...BASE, details });
  const raw = sink.lines.at(-1) as string;
  return { raw, details: (JSON.parse(raw) as { details: Record<string, unknown> }).details };
}

describe('bounded serialisation (SPEC §4.6, issue #13)', () => {
  it('writes each shared object once and marks every later reference, so 10^7 paths give a small line', () => {
    // Prepare: 7 levels x 10 references (the red-team case), 71 distinct objects.
    const dag = sharedDag(7, 10);
    // Act
    const { raw, details } = logOne({ dag });
    // Assess: each object written once (one "leaf" in the whole line); the rest are markers.
    expect(raw.match(/"leaf":true/g)).toHaveLength(1);
    expect(raw).toContain('"[Shared]"');
    // Walking every path would write ~10^7 leaves; written once, the line stays small.
    expect(raw.length).toBeLessThan(10_000);
    expect(Object.keys(details.dag as object)).toHaveLength(10);
  });

  it('marks a repeated object wherever it was first seen, however many came before it', () => {
    // Prepare: 40 distinct containers, then the 1st, 17th and 40th again. A
    // record of written containers that is bounded, or that drops early ones,
    // would write them twice.
    const items = Array.from({ length: 40 }, (_, i) => ({ i }));
    // Act
    const { details } = logOne({
      items,
      again: [items[0], items[16], items[39]],
    });
    // Assess
    expect(details.items).toHaveLength(40);
    expect(details.again).toEqual(['[Shared]', '[Shared]', '[Shared]']);
  });

  it('forgets what the previous entry wrote: an object logged again is written in full', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    const order = { id: 'o-1', lines: [{ sku: 'a' }] };
    // Act: a frame that kept the last entry's containers would mark these "[Shared]".
    audit.log({ ...BASE, details: { order } });
    audit.log({ ...BASE, details: { order } });
    // Assess
    const last = JSON.parse(sink.lines.at(-1) as string);
    expect(last.details.order).toEqual({ id: 'o-1', lines: [{ sku: 'a' }] });
  });

  it('logs a 1,000-node shared-reference DAG within the budget, each node once', () => {
    // Prepare: 1,000 nodes, each referencing up to 3 earlier ones (random but seeded).
    const nodes: Record<string, unknown>[] = [];
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 1_000; i++) {
      const node: Record<string, unknown> = { id: i };
      for (let k = 0; k < 3 && i > 0; k++) node[`ref${k}`] = nodes[next() % i];
      nodes.push(node);
    }
    // Act
    const { raw } = logOne({ roots: nodes.slice(-20) });
    // Assess: one line, bounded, and no node id written twice.
    const ids = [...raw.matchAll(/"id":(\d+)/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(raw.length).toBeLessThan(MAX_ALLOWED_ENTRY_BYTES);
  });

  it('stops at the node budget with markers when a tree (no sharing) is too large', () => {
    // 8 levels x 4 children = 87,381 distinct objects: within depth and key caps,
    // over the 10,000-node budget.
    const tree = (depth: number): Record<string, unknown> =>
      depth === 0
        ? { v: 1 }
        : { a: tree(depth - 1), b: tree(depth - 1), c: tree(depth - 1), d: tree(depth - 1) };
    const { raw } = logOne({ tree: tree(7) });
    expect(raw).toMatch(/\[Budget exceeded\]|\[truncated_keys\]/);
    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(MAX_ALLOWED_ENTRY_BYTES);
  });

  it('cuts strings past the character budget before they are censored or written', () => {
    const { raw } = logOne({ a: 'a'.repeat(1_500_000), b: 'b'.repeat(1_500_000) });
    // The second string is cut: the line's original_bytes stays near the 2 MiB budget, not 3 MB.
    const line = JSON.parse(raw) as { truncated: boolean; original_bytes: number };
    expect(line.truncated).toBe(true);
    expect(line.original_bytes).toBeLessThan(2_200_000);
  });
});
