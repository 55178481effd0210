import { fileURLToPath } from 'node:url';
import { createMetrics, type ExtractedEmfMetric, extractEmfMetrics } from '@auditline/emf';
import { runChild } from '@auditline/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidEmf, writeAuditLines } from './support/emf-assertions.js';

type Put = [name: string, value: number, unit: string, resolution?: 1];
interface Scenario {
  namespace: string;
  dimensionSets: Record<string, string>[];
  puts: Put[];
}

const METRIC_NAMES = Array.from({ length: 120 }, (_, i) => `Metric${i}`);
const UNITS = ['Count', 'Milliseconds', 'Bytes', 'Percent', 'Count/Second', 'None'];

/** The same metric data, described once for aws-embedded-metrics and once for auditline. */
const SCENARIOS = {
  auditDefaults: {
    namespace: 'orders-api/Audit',
    dimensionSets: [{ Action: 'LOGIN' }, { Action: 'LOGIN', Status: 'FAILED' }],
    puts: [
      ['AuditEventCount', 1, 'Count'],
      ['ActionDuration', 12.5, 'Milliseconds'],
    ],
  },
  auditOptions: {
    namespace: 'Shop/Security',
    dimensionSets: [
      { Action: 'EXPORT', Environment: 'prod', Service: 'orders-api' },
      { Action: 'EXPORT', Status: 'SUCCESS', Environment: 'prod', Service: 'orders-api' },
    ],
    puts: [
      ['AuditEventCount', 1, 'Count', 1],
      ['ActionDuration', 1500, 'Milliseconds', 1],
      ['ResponseBytes', 2048, 'Bytes', 1],
    ],
  },
  appMetrics: {
    namespace: 'orders-api/App',
    dimensionSets: [{ Service: 'orders-api' }],
    puts: [
      ...METRIC_NAMES.map((name, i): Put => [name, i * 0.5, UNITS[i % UNITS.length] as string]),
      ...Array.from({ length: 230 }, (_, i): Put => ['Latency', i, 'Milliseconds']),
    ],
  },
} satisfies Record<string, Scenario>;

/** A comparable form: one row per (namespace, name, unit, resolution, dimensions), values merged and sorted. */
function canonical(metrics: readonly ExtractedEmfMetric[]): string[] {
  const rows = new Map<string, number[]>();
  for (const m of metrics) {
    const dims = Object.entries(m.dimensions).sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify([m.namespace, m.name, m.unit, m.storageResolution, dims]);
    rows.set(key, [...(rows.get(key) ?? []), ...m.values]);
  }
  return [...rows]
    .map(([key, values]) => `${key} ${values.sort((a, b) => a - b).join(',')}`)
    .sort();
}

describe('auditline and aws-embedded-metrics extract the same metrics from the same data', () => {
  let reference: Map<string, ExtractedEmfMetric[]>;

  beforeAll(async () => {
    // aws-embedded-metrics 4.2.1 in its own process, on stdout, as it would run in a container.
    const out = await runChild(
      fileURLToPath(new URL('./fixtures/aws-emf-reference.cjs', import.meta.url)),
      [JSON.stringify(Object.values(SCENARIOS))],
      { env: { AWS_EMF_ENVIRONMENT: 'Local' } },
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    reference = new Map();
    for (const line of out.lines) {
      const doc = JSON.parse(line);
      expectValidEmf(doc);
      const metrics = extractEmfMetrics(doc);
      const namespace = metrics[0]?.namespace ?? '';
      reference.set(namespace, [...(reference.get(namespace) ?? []), ...metrics]);
    }
  });

  it('for an audit line with default options', () => {
    // Act
    const { lines } = writeAuditLines({ namespace: 'orders-api/Audit' }, [
      { action: 'LOGIN', resource: '/login', status: 'FAILED', details: { duration_ms: 12.5 } },
    ]);
    const ours = extractEmfMetrics(lines[1]);

    // Assess
    expect(ours).toHaveLength(4);
    expect(canonical(ours)).toEqual(canonical(reference.get('orders-api/Audit') ?? []));
  });

  it('for an audit line with default dimensions, high resolution and a details metric', () => {
    // Act
    const { lines } = writeAuditLines(
      {
        namespace: 'Shop/Security',
        defaultDimensions: { Environment: 'prod', Service: 'orders-api' },
        storageResolution: 1,
        metrics: [{ name: 'ResponseBytes', detail: 'bytes', unit: 'Bytes' }],
      },
      [
        {
          action: 'EXPORT',
          resource: 'reports/q3',
          status: 'SUCCESS',
          details: { duration_ms: 1500, bytes: 2048 },
        },
      ],
    );
    const ours = extractEmfMetrics(lines[1]);

    // Assess
    expect(ours).toHaveLength(6);
    expect(canonical(ours)).toEqual(canonical(reference.get('Shop/Security') ?? []));
  });

  it('for 121 application metrics, one with 230 values, split across documents', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = createMetrics({
      namespace: 'orders-api/App',
      dimensions: { Service: 'orders-api' },
      destination: { write: (line) => lines.push(line) },
    });

    // Act
    for (const [name, value, unit] of SCENARIOS.appMetrics.puts)
      metrics.put(name, value, unit as 'Count');
    metrics.flush();
    const ours = lines.flatMap((l) => {
      const doc = JSON.parse(l);
      expectValidEmf(doc);
      return extractEmfMetrics(doc);
    });

    // Assess: same namespace, dimension sets, names, units and values, however the documents are cut.
    const theirs = reference.get('orders-api/App') ?? [];
    expect(canonical(ours)).toHaveLength(121);
    expect(canonical(ours)).toEqual(canonical(theirs));
  });
});
