import { type AuditPlugin, createAuditLogger, REDACTED } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// issue #15: the returned entry's `details` and plugin members are accessors
// shared by every entry, with their state in private fields of each entry. An
// attacker's view of that: one entry's state leaking into another's, a plugin
// seeing the written (or another entry's) details, or an entry that no longer
// behaves like the plain object SPEC §4.1 returns.

const BASE = { action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' } as const;

/** Writes `,"tag":<details.tag>`, so a plugin that saw the wrong details writes the wrong tag. */
const tagPlugin = (seen: unknown[]): AuditPlugin => ({
  name: 'tag',
  reservedKeys: ['tag'],
  setup: () => ({
    fragment: (entry) => {
      seen.push(entry.details);
      return `,"tag":${JSON.stringify((entry.details as { tag?: unknown } | null)?.tag ?? null)}`;
    },
  }),
});

describe('entries returned by log() keep their own written members (issue #15)', () => {
  it('gives each of many entries its own details and plugin members, read in any order', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      plugins: [tagPlugin([])],
    });
    // Act: the entries are read only after all of them were written, last first.
    const entries = Array.from({ length: 50 }, (_, i) =>
      audit.log({ ...BASE, details: { tag: `t${i}`, password: `p${i}`, n: i } }),
    );
    // Assess: a shared accessor that kept state outside its entry would return the last one's.
    for (let i = entries.length - 1; i >= 0; i--) {
      const line = JSON.parse(sink.lines[i + 1] as string); // line 0 is AUDIT_START
      expect(entries[i]).toEqual(line);
      expect(entries[i]?.details).toEqual({ tag: `t${i}`, password: REDACTED, n: i });
      expect((entries[i] as unknown as { tag: unknown }).tag).toBe(`t${i}`);
    }
  });

  it("lets plugins read the caller's details of the entry being written, not another's", () => {
    // Prepare
    const seen: unknown[] = [];
    const audit = createAuditLogger({
      destination: createMemorySink(),
      format: 'json',
      plugins: [tagPlugin(seen)],
    });
    const first = { tag: 'a' };
    const second = { tag: 'b' };
    // Act
    audit.log({ ...BASE, details: first });
    audit.log({ ...BASE, details: second });
    // Assess: the plugin runs before the line exists, on the entry's own input.
    expect(seen.slice(-2)).toEqual([first, second]);
  });

  it('is a plain object: keys in line order, spread, JSON, assignment and structuredClone work', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    // Act
    const entry = audit.log({ ...BASE, method: 'PATCH', details: { token: 'abc', id: 7 } });
    // Assess
    expect(Object.getPrototypeOf(entry)).toBe(Object.prototype);
    const keys = Object.keys(entry);
    expect(keys.indexOf('details')).toBe(keys.indexOf('status') + 1);
    expect({ ...entry }.details).toEqual({ token: REDACTED, id: 7 });
    expect(structuredClone(entry).details).toEqual({ token: REDACTED, id: 7 });
    expect(JSON.parse(JSON.stringify(entry))).toEqual(JSON.parse(sink.lines.at(-1) as string));
    // Assigning replaces the member on this entry only, like a data property.
    entry.details = { replaced: true };
    expect(entry.details).toEqual({ replaced: true });
    const next = audit.log({ ...BASE, details: { id: 8 } });
    expect(next.details).toEqual({ id: 8 });
    expect(entry.details).toEqual({ replaced: true });
  });

  it('returns null details as null, without parsing', () => {
    const audit = createAuditLogger({ destination: createMemorySink(), format: 'json' });
    expect(audit.log(BASE).details).toBeNull();
  });
});
