import { AUDIT_FIELDS, DETAIL_FIELDS } from '@auditline/core';
import {
  DASHBOARD_LOG_WIDGETS,
  GRAFANA_LOG_PANELS,
  type InsightsQuery,
  MIDDLEWARE_DETAIL_FIELDS,
  SAVED_QUERIES,
} from '@auditline/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_LABELS, type LabelledLine, writeRealLines } from './helpers/real-lines.js';

// SPEC §9 "Checks": every field a query or dashboard (CloudFormation or
// Grafana, issue #17) names is a field the logger writes. A query on a field nobody writes returns nothing, silently.
// Issue #17: checking across all lines let "Access denied" select
// `details.reason`, which no middleware ACCESS_DENIED line carries. So each
// query is checked against the lines of its own case: each field it names must
// be on every middleware-written line of that case (what most services write),
// and on at least one line of the case.

const ALL = AUDIT_LABELS;
const FAILED_LOGINS = ['login-failed'];
const DELETES = ['delete-success', 'delete-failed', 'mw-delete-success'];
const ACCESS_DENIED = ['access-denied', 'mw-login-denied', 'mw-delete-denied'];

/** The lines each query selects, by the labels of real-lines.ts. */
const CASES: Readonly<Record<string, readonly string[]>> = {
  'saved:RecentEvents': ALL,
  'saved:UserActivity': ALL,
  'saved:BruteForce': FAILED_LOGINS,
  'saved:Deletes': DELETES,
  'saved:LatencyByPath': ALL,
  'saved:SharedIps': ALL,
  'saved:FailureRate': ALL,
  'saved:AccessDenied': ACCESS_DENIED,
  'widget:failedLoginsByUser': FAILED_LOGINS,
  'widget:failureRate': ALL,
  'widget:eventCounts': ALL,
  'widget:recentEvents': ALL,
  'widget:slowestEndpoints': ALL,
  'widget:deletes': DELETES,
  'grafana:Failed logins by user and IP': FAILED_LOGINS,
  'grafana:Failure rate % (15-minute bins)': ALL,
  'grafana:Audit events and failures (15-minute bins)': ALL,
  'grafana:Recent audit events': ALL,
  'grafana:Slowest routes (p95 ms)': ALL,
  'grafana:Delete operations': DELETES,
  'grafana:Access denied': ACCESS_DENIED,
};

const QUERIES: ReadonlyArray<{ key: string; name: string; q: InsightsQuery }> = [
  ...SAVED_QUERIES.map((q) => ({ key: `saved:${q.id}`, name: `saved query "${q.name}"`, q })),
  ...Object.entries(DASHBOARD_LOG_WIDGETS).map(([key, w]) => ({
    key: `widget:${key}`,
    name: `widget "${w.title}"`,
    q: w.query,
  })),
  ...GRAFANA_LOG_PANELS.map((p) => ({
    key: `grafana:${p.title}`,
    name: `Grafana panel "${p.title}"`,
    q: p.query,
  })),
];

/** The field paths one line carries, as Logs Insights names them. */
function fieldsOf(line: string): Set<string> {
  const entry = JSON.parse(line) as Record<string, unknown>;
  const fields = new Set(Object.keys(entry));
  const details = entry[AUDIT_FIELDS.details];
  if (details && typeof details === 'object') {
    for (const key of Object.keys(details)) fields.add(`${AUDIT_FIELDS.details}.${key}`);
  }
  return fields;
}

let lines: LabelledLine[];

beforeAll(async () => {
  // Prepare: real lines of the core logger and of the express middleware.
  lines = await writeRealLines();
});

/** The query text with its quoted string literals blanked, so values are not mistaken for fields. */
function withoutStrings(query: string): string {
  return query.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

describe('fields named by saved queries and dashboard widgets', () => {
  it('covers the eight saved queries, six log widgets and seven Grafana log panels, each with its case', () => {
    expect(SAVED_QUERIES).toHaveLength(8);
    expect(Object.keys(DASHBOARD_LOG_WIDGETS)).toHaveLength(6);
    expect(GRAFANA_LOG_PANELS).toHaveLength(7);
    // A new query without a case here would go unchecked.
    expect(QUERIES.map((q) => q.key).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(QUERIES)('$name names only fields the lines of its case carry', ({ key, q }) => {
    // Prepare
    const labels = CASES[key] ?? [];
    const caseLines = lines.filter((l) => labels.includes(l.label)).map((l) => fieldsOf(l.line));
    const middlewareLines = lines
      .filter((l) => labels.includes(l.label) && l.label.startsWith('mw-'))
      .map((l) => fieldsOf(l.line));
    expect(caseLines.length).toBeGreaterThan(0);
    // Assess
    expect(q.fields.length).toBeGreaterThan(0);
    for (const field of q.fields) {
      expect(
        caseLines.some((f) => f.has(field)),
        `${field} on no line of the case`,
      ).toBe(true);
      for (const f of middlewareLines)
        expect(f, `${field} missing on a middleware line`).toContain(field);
    }
  });

  it('would have caught details.reason on the access-denied query (the check is live)', () => {
    const denied = lines.filter(
      (l) => l.label.startsWith('mw-') && ACCESS_DENIED.includes(l.label),
    );
    expect(denied.length).toBe(2);
    for (const { line } of denied) expect(fieldsOf(line)).not.toContain('details.reason');
  });

  it.each(QUERIES)(
    '$name filters on the audit marker as Insights indexes it (audit = 1) and on seq',
    ({ q }) => {
      expect(q.query).toMatch(
        new RegExp(`\\b${AUDIT_FIELDS.audit} = 1 and ${AUDIT_FIELDS.seq} >= 1\\b`),
      );
    },
  );

  it.each(QUERIES)('$name declares every audit field its text mentions', ({ q }) => {
    // A field typed into the template text instead of interpolated would bypass
    // the check above; find any audit field name in the text and require it in `fields`.
    const text = withoutStrings(q.query);
    const known = [
      ...Object.values(AUDIT_FIELDS),
      ...[...Object.values(DETAIL_FIELDS), ...Object.values(MIDDLEWARE_DETAIL_FIELDS)].map(
        (d) => `${AUDIT_FIELDS.details}.${d}`,
      ),
    ];
    for (const name of known) {
      const escaped = name.replace(/\./g, '\\.');
      if (new RegExp(`(^|[^\\w.@])${escaped}(?![\\w.])`).test(text)) {
        expect(q.fields, name).toContain(name);
      }
    }
  });
});

describe('query parameters instead of placeholders (issue #17)', () => {
  it("One user's activity asks for the user id through a QueryDefinition parameter", () => {
    const q = SAVED_QUERIES.find((s) => s.id === 'UserActivity');
    const [param] = q?.parameters ?? [];
    expect(param?.name).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
    expect(q?.query).toContain(`${AUDIT_FIELDS.userId} = "{{${param?.name}}}"`);
    expect(q?.query).not.toContain('REPLACE_WITH');
  });
});
