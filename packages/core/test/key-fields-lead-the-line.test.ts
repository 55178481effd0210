import { type AuditPlugin, createAuditLogger, LEADING_DETAIL_KEYS } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// Issue #17: Logs Insights discovers the first 200 fields of a line, in wire
// order. The reserved details keys used to be written in caller order and the
// plugin (EMF) members after details, so a wide details pushed them out. Now the
// reserved keys lead details and plugin members come before it.

const BASE = { action: 'READ', resource: '/r', status: 'SUCCESS' } as const;

/** A minimal plugin writing one top-level member, as the EMF plugin writes several. */
const marker: AuditPlugin = {
  name: 'marker',
  reservedKeys: ['Marker'],
  setup: () => ({ fragment: () => ',"Marker":1' }),
};

describe('key fields lead the line', () => {
  it('writes the reserved details keys first, in their order, the rest in caller order', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json', handleSignals: false });
    // Act: caller order puts the reserved keys last and out of their order.
    audit.log({
      ...BASE,
      details: { zeta: 1, error: 'e', alpha: 2, duration_ms: 3, statusCode: 200 },
    });
    // Assess
    const line = sink.lines.at(-1) ?? '';
    const keys = Object.keys((JSON.parse(line) as { details: object }).details);
    expect(keys).toEqual(['statusCode', 'duration_ms', 'error', 'zeta', 'alpha']);
    expect(LEADING_DETAIL_KEYS.slice(0, 3)).toEqual(['statusCode', 'duration_ms', 'error']);
  });

  it('leaves a details object in caller order when no reserved key comes late', () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json', handleSignals: false });
    audit.log({ ...BASE, details: { statusCode: 200, b: 1, a: 2 } });
    const keys = Object.keys((JSON.parse(sink.lines.at(-1) ?? '') as { details: object }).details);
    expect(keys).toEqual(['statusCode', 'b', 'a']);
  });

  it('writes plugin members before details, also when the size guard trims it', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      handleSignals: false,
      plugins: [marker],
      maxEntryBytes: 16_384,
    });
    // Act: one small line, one the size guard must trim.
    audit.log({ ...BASE, details: { a: 1 } });
    audit.log({ ...BASE, details: { big: 'x'.repeat(40_000) } });
    // Assess
    for (const line of sink.lines.slice(-2)) {
      const keys = Object.keys(JSON.parse(line) as object);
      expect(keys.indexOf('Marker')).toBeGreaterThan(-1);
      expect(keys.indexOf('Marker')).toBeLessThan(keys.indexOf('details'));
    }
    expect(JSON.parse(sink.lines.at(-1) ?? '{}')).toMatchObject({ truncated: true, Marker: 1 });
  });
});
