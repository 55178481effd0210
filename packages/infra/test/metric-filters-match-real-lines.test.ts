import {
  AUDIT_LINE_PATTERN,
  compileFilterPattern,
  METRIC_FILTERS,
  type MetricFilterDefinition,
} from '@auditline/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP_LABELS,
  AUDIT_LABELS,
  FORGED_BODY,
  type LabelledLine,
  writeRealLines,
} from './helpers/real-lines.js';

// SPEC §9 "Checks": each metric filter, run through the evaluator, matches the
// lines the library actually writes for its case and no others. If a pattern
// drifts from the logger (field renamed, value re-cased, boolean written as a
// string), the matched set changes and these fail.

const EXPECTED: ReadonlyArray<readonly [MetricFilterDefinition, readonly string[]]> = [
  [METRIC_FILTERS.failedLogins, ['login-failed']],
  [
    METRIC_FILTERS.failedActions,
    [
      'login-failed',
      'create-failed',
      'update-failed',
      'read-failed',
      'delete-failed',
      'access-denied',
      'mw-login-denied',
      'mw-delete-denied',
      'mw-read-failed',
    ],
  ],
  [METRIC_FILTERS.deleteActions, ['delete-success', 'delete-failed', 'mw-delete-success']],
  [METRIC_FILTERS.accessDenied, ['access-denied', 'mw-login-denied', 'mw-delete-denied']],
];

describe.each(['json', 'emf'] as const)(
  'metric filters against lines the logger really writes (%s)',
  (format) => {
    let lines: LabelledLine[];

    beforeAll(async () => {
      lines = await writeRealLines(format);
    });

    function matchedLabels(pattern: string): string[] {
      const matches = compileFilterPattern(pattern);
      return [...new Set(lines.filter((l) => matches(l.line)).map((l) => l.label))].sort();
    }

    it('has a real line for every case, app lines included', () => {
      // Prepare/Act: beforeAll. Assess: a missing case would make the matches below vacuous.
      const labels = new Set(lines.map((l) => l.label));
      for (const label of [...AUDIT_LABELS, ...APP_LABELS]) {
        expect(labels, label).toContain(label);
      }
      if (format === 'emf') {
        // The EMF members must really be there, or this pass proves nothing new.
        const auditLines = lines.filter((l) => AUDIT_LABELS.includes(l.label as never));
        for (const { line } of auditLines) expect(line).toContain('"_aws":');
      }
    });

    it.each(EXPECTED.map(([filter, expected]) => ({ name: filter.metricName, filter, expected })))(
      '$name matches exactly its case',
      ({ filter, expected }) => {
        // Act
        const matched = matchedLabels(filter.pattern);
        // Assess
        expect(matched).toEqual([...expected].sort());
      },
    );

    it('every metric filter requires the audit marker', () => {
      // An app log line with audit-like keys must never count as an audit event.
      const lookalike = lines.find((l) => l.label === 'app-lookalike');
      expect(lookalike?.line).toContain('"action":"DELETE"');
      for (const filter of Object.values(METRIC_FILTERS)) {
        expect(filter.pattern.startsWith(AUDIT_LINE_PATTERN.slice(0, -2))).toBe(true);
        expect(compileFilterPattern(filter.pattern)(lookalike?.line ?? '')).toBe(false);
      }
    });

    it("issue #13's forged body logged through req.log is counted by no filter", () => {
      // Prepare: the line really carries the forged marker, action and status at
      // some level (today nested by the app logger, or at the top before the fix).
      const forged = lines.filter((l) => l.label === 'app-forged');
      expect(forged).toHaveLength(1);
      expect(forged[0]?.line).toContain('"action":"LOGIN"');
      // Act / Assess: would be counted as a failed login, archived, alarmed on.
      for (const pattern of [
        AUDIT_LINE_PATTERN,
        ...Object.values(METRIC_FILTERS).map((f) => f.pattern),
      ]) {
        expect(compileFilterPattern(pattern)(forged[0]?.line ?? ''), pattern).toBe(false);
      }
    });

    it('requires seq, the member only the audit logger writes (issue #13)', () => {
      // The same forged body written verbatim to stdout, with and without a seq of its own:
      // without one it fails the pattern; a forged numeric seq is why the app logger
      // must not write top-level seq (SPEC §6), which streams' tests cover.
      const { seq: _seq, ...withoutSeq } = FORGED_BODY;
      const verbatim = JSON.stringify(withoutSeq);
      expect(compileFilterPattern(AUDIT_LINE_PATTERN)(verbatim)).toBe(false);
      expect(
        compileFilterPattern(AUDIT_LINE_PATTERN)(JSON.stringify({ ...FORGED_BODY, seq: '3' })),
      ).toBe(false);
      expect(
        compileFilterPattern(AUDIT_LINE_PATTERN)(JSON.stringify({ ...FORGED_BODY, seq: 3 })),
      ).toBe(true);
    });

    it('the archive subscription pattern takes every audit line and no app line', () => {
      const matched = matchedLabels(AUDIT_LINE_PATTERN);
      expect(matched).toEqual([...AUDIT_LABELS].sort());
    });
  },
);
