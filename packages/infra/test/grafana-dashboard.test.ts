import { AUDIT_FIELDS } from '@auditline/core';
import { defaultNamespace, EMF_DIMENSIONS, EMF_METRICS } from '@auditline/emf';
import {
  GRAFANA_DATASOURCE_INPUT,
  GRAFANA_LOG_PANELS,
  grafanaDashboard,
  InfraConfigError,
  METRIC_FILTERS,
} from '@auditline/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_LABELS, writeRealLines } from './helpers/real-lines.js';

// Issue #17: the Grafana dashboard is built from the same constants as the
// CloudFormation one, on Grafana's current CloudWatch query model, and every
// metric it draws is one the logger (EMF) or the metric filters really produce.

// biome-ignore lint/suspicious/noExplicitAny: test-side access into dashboard JSON
type Json = any;

const targetsOf = (d: Json): Json[] => d.panels.flatMap((p: Json) => p.targets);
const variable = (d: Json, name: string): Json =>
  d.templating.list.find((v: Json) => v.name === name);

describe('grafanaDashboard', () => {
  it('asks for the CloudWatch data source on import and makes it a variable', () => {
    const d: Json = grafanaDashboard({ service: 'my-app' });
    expect(d.__inputs).toEqual([
      expect.objectContaining({
        name: GRAFANA_DATASOURCE_INPUT,
        type: 'datasource',
        pluginId: 'cloudwatch',
      }),
    ]);
    expect(variable(d, 'datasource')).toMatchObject({
      type: 'datasource',
      query: 'cloudwatch',
      current: { value: `\${${GRAFANA_DATASOURCE_INPUT}}` },
    });
    // Every panel and target reads through the variable, so switching it switches all.
    for (const p of d.panels)
      expect(p.datasource).toEqual({ type: 'cloudwatch', uid: `\${datasource}` });
    for (const t of targetsOf(d)) expect(t.datasource.uid).toBe(`\${datasource}`);
  });

  it('has region and log group variables, defaulting to the options', () => {
    const d: Json = grafanaDashboard({ service: 'my-app', region: 'eu-west-1' });
    expect(variable(d, 'region').current.value).toBe('eu-west-1');
    expect(variable(d, 'logGroup').current.value).toBe('/ecs/my-app');
    expect(variable(grafanaDashboard({ service: 'my-app' }), 'region').current.value).toBe(
      'default',
    );
    for (const t of targetsOf(d)) expect(t.region).toBe('$region');
  });

  it('uses the current query model: queryMode, logGroups, statistic', () => {
    const d: Json = grafanaDashboard({ service: 'my-app', emf: true });
    const targets = targetsOf(d);
    const logs = targets.filter((t) => t.queryMode === 'Logs');
    const metrics = targets.filter((t) => t.queryMode === 'Metrics');
    expect(logs.length + metrics.length).toBe(targets.length);
    for (const t of logs) {
      expect(t.logGroups).toEqual([{ arn: '$logGroup', name: '$logGroup' }]);
      expect(t).not.toHaveProperty('logGroupNames');
    }
    for (const t of metrics) {
      expect(typeof t.statistic).toBe('string');
      expect(t).not.toHaveProperty('statistics');
    }
  });

  it('draws the four metric-filter metrics in the metric namespace', () => {
    const d: Json = grafanaDashboard({ service: 'my-app' });
    const metrics = targetsOf(d).filter((t) => t.queryMode === 'Metrics');
    expect(metrics.map((t) => t.metricName).sort()).toEqual(
      Object.values(METRIC_FILTERS)
        .map((f) => f.metricName)
        .sort(),
    );
    for (const t of metrics) {
      expect(t).toMatchObject({
        namespace: defaultNamespace('my-app'),
        statistic: 'Sum',
        period: '300',
      });
    }
  });

  it('adds the EMF metrics per Action only with emf', () => {
    const names = (o: { emf?: boolean }) =>
      targetsOf(grafanaDashboard({ service: 'my-app', ...o }))
        .filter((t) => t.queryMode === 'Metrics')
        .map((t) => t.metricName);
    expect(names({})).not.toContain(EMF_METRICS.auditEventCount);
    const emf = targetsOf(grafanaDashboard({ service: 'my-app', emf: true })).filter(
      (t) =>
        t.metricName === EMF_METRICS.auditEventCount || t.metricName === EMF_METRICS.actionDuration,
    );
    expect(emf.map((t) => t.metricName).sort()).toEqual(
      [EMF_METRICS.actionDuration, EMF_METRICS.auditEventCount].sort(),
    );
    for (const t of emf) {
      // One series per Action, and only the [Action] dimension set (not [Action, Status]).
      expect(t.dimensions).toEqual({ [EMF_DIMENSIONS.action]: '*' });
      expect(t.matchExact).toBe(true);
    }
  });

  it('has the six Logs Insights panels of issue #17, each on the audit log group', () => {
    const d: Json = grafanaDashboard({ service: 'my-app' });
    const logPanels = d.panels.filter((p: Json) => p.targets[0].queryMode === 'Logs');
    expect(logPanels.map((p: Json) => p.title)).toEqual(GRAFANA_LOG_PANELS.map((p) => p.title));
    const titles = logPanels.map((p: Json) => p.title.toLowerCase()).join(' | ');
    for (const want of [
      'failed logins by user and ip',
      'failure rate',
      'recent',
      'slowest',
      'delete',
      'access denied',
    ]) {
      expect(titles).toContain(want);
    }
    for (const p of logPanels) {
      expect(p.targets[0].expression).toContain(
        `${AUDIT_FIELDS.audit} = 1 and ${AUDIT_FIELDS.seq} >= 1`,
      );
    }
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const d: Json = grafanaDashboard({ service: 'my-app', emf: true });
    const cells = new Set<string>();
    for (const { gridPos: g } of d.panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `overlap at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('is deterministic and refuses bad options by name', () => {
    expect(JSON.stringify(grafanaDashboard({ service: 'a' }))).toBe(
      JSON.stringify(grafanaDashboard({ service: 'a' })),
    );
    expect(() => grafanaDashboard({ service: 'has space' })).toThrow(InfraConfigError);
    try {
      grafanaDashboard({ service: 'a', region: 'mars' });
    } catch (e) {
      expect((e as InfraConfigError).option).toBe('region');
      expect((e as Error).message).toContain('"mars"');
    }
    expect(() => grafanaDashboard({ service: 'a', metricNamespace: 'A:B' })).toThrow(
      /metricNamespace/,
    );
  });
});

describe('every metric the Grafana dashboard names is written (drift)', () => {
  let emfLines: Json[];
  beforeAll(async () => {
    emfLines = (await writeRealLines('emf'))
      .filter((l) => (AUDIT_LABELS as readonly string[]).includes(l.label))
      .map((l) => JSON.parse(l.line));
  });

  it('EMF metric names and dimensions are declared on real EMF lines', () => {
    const d: Json = grafanaDashboard({ service: 'filters-test', emf: true });
    const emfTargets = targetsOf(d).filter(
      (t) =>
        t.queryMode === 'Metrics' &&
        !Object.values(METRIC_FILTERS).some((f) => f.metricName === t.metricName),
    );
    expect(emfTargets.length).toBeGreaterThan(0);
    for (const t of emfTargets) {
      const declaring = emfLines.filter((line) =>
        line._aws?.CloudWatchMetrics?.some(
          (m: Json) =>
            m.Namespace === t.namespace &&
            m.Metrics.some((x: Json) => x.Name === t.metricName) &&
            m.Dimensions.some(
              (set: string[]) => set.length === 1 && set[0] === Object.keys(t.dimensions)[0],
            ),
        ),
      );
      expect(declaring.length, t.metricName).toBeGreaterThan(0);
      for (const line of declaring)
        expect(line).toHaveProperty(Object.keys(t.dimensions)[0] ?? '?');
    }
  });
});
