import '@auditline/emf/register';
import { AUDIT_LINE_PATTERN, evaluateFilterPattern, METRIC_FILTERS } from '@auditline/infra';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAILED_LOGIN_BURST, runTraffic } from '../src/traffic.js';
import { type RunningApp, startApp } from './helpers/in-process-app.js';

// Issue #5 "Filters against real lines": the example app, driven by the demo's
// traffic over real HTTP, writes real lines (audit and app logs, in the
// production format: EMF members and the HMAC chain on). Each generated metric
// filter, through the filter-pattern evaluator, must match exactly the lines
// its alarm is about. The oracles below read the parsed JSON with the SPEC §3
// literals, independently of the constants the filters are built from.

type Line = { readonly raw: string; readonly json: Record<string, unknown> };

const ORACLES: Record<keyof typeof METRIC_FILTERS, (l: Record<string, unknown>) => boolean> = {
  failedLogins: (l) => l.audit === true && l.action === 'LOGIN' && l.status === 'FAILED',
  // One failure per request: a claimed request's outcome line counts only when
  // it contradicts the explicit entry's SUCCESS (SPEC §5.7).
  failedActions: (l) =>
    l.audit === true &&
    l.status === 'FAILED' &&
    (l.action !== 'REQUEST_OUTCOME' ||
      (l.details as { contradicts_claim?: unknown } | null)?.contradicts_claim === true),
  deleteActions: (l) => l.audit === true && l.action === 'DELETE',
  accessDenied: (l) => l.audit === true && l.action === 'ACCESS_DENIED',
};

let app: RunningApp;
let lines: Line[];

beforeAll(async () => {
  app = await startApp({ format: 'emf', integrity: { key: 'example-filter-test-key-0123' } });
  await runTraffic(app.baseUrl, () => {});
  await vi.waitFor(
    () =>
      expect(app.sink.entries.some((e) => (e.details as { aborted?: unknown })?.aborted)).toBe(
        true,
      ),
    // After the client left, the entry waits answerWaitMs (1 s in the example) for an answer.
    { timeout: 5_000 },
  );
  await app.close();
  lines = app.sink.lines.map((raw) => ({ raw: raw.replace(/\n$/, ''), json: JSON.parse(raw) }));
});

afterAll(async () => {
  await app?.close();
});

describe('metric filters match the lines the example app really writes', () => {
  it('captured audit lines in the production format, and app log lines beside them', () => {
    // Assess: a vacuous capture would make every filter check below pass
    const audit = lines.filter((l) => l.json.audit === true);
    expect(audit.length).toBeGreaterThan(40);
    expect(audit.every((l) => '_aws' in l.json && typeof l.json.hash === 'string')).toBe(true);
    expect(lines.some((l) => l.json.audit === undefined && l.json.msg === 'order created')).toBe(
      true,
    );
    expect(audit.map((l) => l.json.action)).toEqual(
      expect.arrayContaining(['AUDIT_START', 'AUDIT_STOP', 'LOGIN', 'READ', 'CREATE', 'DELETE']),
    );
  });

  it.each(
    Object.entries(METRIC_FILTERS) as [
      keyof typeof METRIC_FILTERS,
      (typeof METRIC_FILTERS)[keyof typeof METRIC_FILTERS],
    ][],
  )('%s matches its lines and nothing else', (key, filter) => {
    // Prepare
    const expected = lines.filter((l) => ORACLES[key](l.json)).map((l) => l.raw);

    // Act
    const matched = lines
      .filter((l) => evaluateFilterPattern(filter.pattern, l.raw))
      .map((l) => l.raw);

    // Assess
    expect(expected.length).toBeGreaterThan(0);
    expect(matched).toEqual(expected);
  });

  it('counts the burst: every failed login of the traffic, one line each', () => {
    // Act
    const matched = lines.filter((l) =>
      evaluateFilterPattern(METRIC_FILTERS.failedLogins.pattern, l.raw),
    );

    // Assess: the burst plus carol's missing MFA code; no second (ACCESS_DENIED) line per attempt
    expect(matched).toHaveLength(FAILED_LOGIN_BURST + 1);
  });

  it('the audit-line pattern (archive subscription, base of every filter) matches exactly the audit lines', () => {
    // Act
    const matched = lines.filter((l) => evaluateFilterPattern(AUDIT_LINE_PATTERN, l.raw));

    // Assess
    expect(matched.map((l) => l.raw)).toEqual(
      lines.filter((l) => l.json.audit === true).map((l) => l.raw),
    );
    expect(matched.length).toBeLessThan(lines.length);
  });
});
