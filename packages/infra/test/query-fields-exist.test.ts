import { AUDIT_FIELDS, DETAIL_FIELDS } from '@auditline/core';
import { DASHBOARD_LOG_WIDGETS, type InsightsQuery, SAVED_QUERIES } from '@auditline/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeRealLines } from './helpers/real-lines.js';

// SPEC §9 "Checks": every field a query or dashboard names is a field the
// logger writes. A query on a field nobody writes returns nothing, silently.

const QUERIES: ReadonlyArray<{ name: string; q: InsightsQuery }> = [
  ...SAVED_QUERIES.map((q) => ({ name: `saved query "${q.name}"`, q })),
  ...Object.values(DASHBOARD_LOG_WIDGETS).map((w) => ({ name: `widget "${w.title}"`, q: w.query })),
];

let written: Set<string>;

beforeAll(async () => {
  // Prepare: the field paths real audit lines carry, as Logs Insights names them.
  written = new Set();
  for (const { line } of await writeRealLines()) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry[AUDIT_FIELDS.audit] !== true) continue;
    for (const key of Object.keys(entry)) written.add(key);
    const details = entry[AUDIT_FIELDS.details];
    if (details && typeof details === 'object') {
      for (const key of Object.keys(details)) written.add(`${AUDIT_FIELDS.details}.${key}`);
    }
  }
});

/** The query text with its quoted string literals blanked, so values are not mistaken for fields. */
function withoutStrings(query: string): string {
  return query.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

describe('fields named by saved queries and dashboard widgets', () => {
  it('covers the eight saved queries and five log widgets of SPEC §9', () => {
    expect(SAVED_QUERIES).toHaveLength(8);
    expect(Object.keys(DASHBOARD_LOG_WIDGETS)).toHaveLength(5);
  });

  it.each(QUERIES)('$name names only fields the logger writes', ({ q }) => {
    // Assess
    expect(q.fields.length).toBeGreaterThan(0);
    for (const field of q.fields) expect(written, field).toContain(field);
  });

  it.each(QUERIES)(
    '$name filters on the audit marker as Insights indexes it (audit = 1)',
    ({ q }) => {
      expect(q.query).toMatch(new RegExp(`\\b${AUDIT_FIELDS.audit} = 1\\b`));
    },
  );

  it.each(QUERIES)('$name declares every audit field its text mentions', ({ q }) => {
    // A field typed into the template text instead of interpolated would bypass
    // the check above; find any audit field name in the text and require it in `fields`.
    const text = withoutStrings(q.query);
    const known = [
      ...Object.values(AUDIT_FIELDS),
      ...Object.values(DETAIL_FIELDS).map((d) => `${AUDIT_FIELDS.details}.${d}`),
    ];
    for (const name of known) {
      const escaped = name.replace(/\./g, '\\.');
      if (new RegExp(`(^|[^\\w.@])${escaped}(?![\\w.])`).test(text)) {
        expect(q.fields, name).toContain(name);
      }
    }
  });
});
