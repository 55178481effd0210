import { type AuditLogger, type AuditPlugin, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// issue #15: a plugin may hand core its members' values with `fragmentInto`
// instead of core parsing its fragment back per member (SPEC §4.1: the entry
// as written). What would be wrong: those values missing from the returned
// entry, a plugin without `fragmentInto` losing its parse-back beside one that
// has it, or a nested log() from inside `fragmentInto` mixing two entries' values.

const BASE = { action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' } as const;

/** Writes `"n":<counter>` and hands the same value over; logs once from inside when asked. */
function counterPlugin(holder: { audit?: AuditLogger; nestOnce?: boolean }): AuditPlugin {
  let counter = 0;
  return {
    name: 'counter',
    reservedKeys: ['n'],
    setup: () => ({
      fragment: () => `,"n":${++counter}`,
      fragmentInto(entry, _timeMs, written): string {
        const n = ++counter;
        if (holder.nestOnce && holder.audit && entry.action === 'UPDATE') {
          holder.nestOnce = false;
          holder.audit.log({ ...BASE, action: 'NESTED' });
        }
        written.n = n;
        return `,"n":${n}`;
      },
    }),
  };
}

/** A plugin written before `fragmentInto` existed: text only. */
const legacyPlugin: AuditPlugin = {
  name: 'legacy',
  reservedKeys: ['legacy'],
  setup: () => ({ fragment: (entry) => `,"legacy":{"of":${JSON.stringify(entry.action)}}` }),
};

describe('plugins that hand over their values with fragmentInto (issue #15)', () => {
  it('puts the values on the returned entry as data, and the text on the line', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      plugins: [counterPlugin({})],
    });

    // Act
    const entry = audit.log(BASE);

    // Assess
    const line = JSON.parse(sink.lines.at(-1) as string);
    expect(line.n).toBeGreaterThan(0);
    expect({ ...entry }).toEqual(line);
    expect(Object.getOwnPropertyDescriptor(entry, 'n')).toMatchObject({ value: line.n });
  });

  it('still parses back the members of a plugin without fragmentInto beside one with it', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      plugins: [legacyPlugin, counterPlugin({})],
    });

    // Act
    const entries = [audit.log(BASE), audit.log({ ...BASE, action: 'DELETE' })];

    // Assess: each entry is its own line, legacy member included.
    entries.forEach((entry, i) => {
      const line = JSON.parse(sink.lines[i + 1] as string);
      expect((entry as unknown as { legacy: unknown }).legacy).toEqual(line.legacy);
      expect({ ...entry }).toEqual(line);
    });
  });

  it('keeps each entry its own values when fragmentInto logs from inside', () => {
    // Prepare
    const sink = createMemorySink();
    const holder: { audit?: AuditLogger; nestOnce?: boolean } = { nestOnce: true };
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      plugins: [counterPlugin(holder)],
    });
    holder.audit = audit;

    // Act: the nested NESTED entry is written first, from inside the outer one's fragmentInto.
    const outer = audit.log(BASE);

    // Assess
    const lines = sink.lines.slice(1).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.action)).toEqual(['NESTED', 'UPDATE']);
    expect({ ...outer }).toEqual(lines[1]);
    expect(lines[0].n).not.toBe(lines[1].n);
  });
});
