import { fileURLToPath } from 'node:url';
import {
  createMetrics,
  extractEmfMetrics,
  MAX_METRICS_PER_DIRECTIVE,
  MAX_VALUES_PER_METRIC,
} from '@auditline/emf';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';
import { expectValidEmf, type Line } from './support/emf-assertions.js';

function recorder() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => lines.push(line) } };
}

const parse = (lines: readonly string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);

describe('createMetrics()', () => {
  it('splits 250 metric names into documents of at most 100 metrics, each valid', () => {
    // Prepare
    const { lines, destination } = recorder();
    const metrics = createMetrics({
      namespace: 'orders-api/App',
      dimensions: { Service: 'orders-api' },
      destination,
    });

    // Act
    for (let i = 0; i < 250; i++) metrics.put(`Metric${i}`, i, 'Count');
    const written = metrics.flush();

    // Assess
    expect(written).toBe(3);
    const docs = parse(lines);
    expect(docs.map((d) => d._aws.CloudWatchMetrics[0]?.Metrics.length)).toEqual([100, 100, 50]);
    for (const doc of docs) {
      expectValidEmf(doc);
      expect(doc._aws.CloudWatchMetrics[0]?.Metrics.length).toBeLessThanOrEqual(
        MAX_METRICS_PER_DIRECTIVE,
      );
    }
    const extracted = docs.flatMap((d) => extractEmfMetrics(d));
    expect(extracted).toHaveLength(250);
    expect(new Set(extracted.map((m) => m.name)).size).toBe(250);
    expect(extracted.find((m) => m.name === 'Metric249')).toMatchObject({
      namespace: 'orders-api/App',
      unit: 'Count',
      dimensions: { Service: 'orders-api' },
      values: [249],
    });
  });

  it('splits 350 values of one metric into arrays of at most 100, in order', () => {
    // Prepare
    const { lines, destination } = recorder();
    const metrics = createMetrics({ namespace: 'orders-api/App', destination });
    const values = Array.from({ length: 350 }, (_, i) => i * 1.5);

    // Act
    for (const v of values) metrics.put('Latency', v, 'Milliseconds');
    const written = metrics.flush();

    // Assess
    expect(written).toBe(4);
    const docs = parse(lines);
    expect(docs.map((d) => (d.Latency as number[]).length)).toEqual([100, 100, 100, 50]);
    for (const doc of docs) expectValidEmf(doc);
    expect(docs.flatMap((d) => d.Latency as number[])).toEqual(values);
    expect(docs.every((d) => (d.Latency as number[]).length <= MAX_VALUES_PER_METRIC)).toBe(true);
  });

  it('splits both ways at once: 150 names, one of them with 250 values', () => {
    // Prepare
    const { lines, destination } = recorder();
    const metrics = createMetrics({ namespace: 'orders-api/App', destination });

    // Act
    for (let i = 0; i < 150; i++) metrics.put(`M${i}`, i, 'None');
    for (let i = 1; i < 250; i++) metrics.put('M0', i, 'None');
    metrics.flush();

    // Assess
    const docs = parse(lines);
    for (const doc of docs) expectValidEmf(doc);
    const m0 = docs.flatMap((d) => extractEmfMetrics(d)).filter((m) => m.name === 'M0');
    expect(m0.flatMap((m) => m.values)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const all = docs.flatMap((d) => extractEmfMetrics(d));
    expect(all.reduce((n, m) => n + m.values.length, 0)).toBe(150 + 249);
  });

  it('writes nothing on an empty flush, and nothing again after a flush', () => {
    // Prepare
    const { lines, destination } = recorder();
    const metrics = createMetrics({ namespace: 'orders-api/App', destination });

    // Act
    const first = metrics.flush();
    metrics.put('Orders', 1, 'Count');
    const second = metrics.flush();
    const third = metrics.flush();

    // Assess
    expect([first, second, third]).toEqual([0, 1, 0]);
    expect(lines).toHaveLength(1);
  });

  it('keeps NaN and Infinity out instead of writing null', () => {
    // Prepare
    const { lines, destination } = recorder();
    const metrics = createMetrics({ namespace: 'orders-api/App', destination });

    // Act
    const accepted = [
      metrics.put('Ratio', Number.NaN, 'Percent'),
      metrics.put('Ratio', Number.POSITIVE_INFINITY, 'Percent'),
      metrics.put('Ratio', 50, 'Percent'),
    ];
    metrics.flush();

    // Assess
    expect(accepted).toEqual([false, false, true]);
    const [doc] = parse(lines);
    expectValidEmf(doc);
    expect(doc?.Ratio).toBe(50);
  });

  it('writes one document per dimension combination, with sanitised values', () => {
    // Prepare
    const { lines, destination } = recorder();
    const metrics = createMetrics({
      namespace: 'orders-api/App',
      dimensions: { Service: 'orders-api' },
      destination,
    });

    // Act
    metrics.put('Checkout', 1, 'Count', { Provider: 'stripe' });
    metrics.put('Checkout', 2, 'Count', { Provider: 'stripe' });
    metrics.put('Checkout', 3, 'Count', { Provider: 'paypal' });
    metrics.put('Checkout', 4, 'Count', { Provider: 'über' });
    metrics.put('Checkout', 5, 'Count');
    metrics.flush();

    // Assess
    const extracted = parse(lines).flatMap((d) => {
      expectValidEmf(d);
      return extractEmfMetrics(d);
    });
    expect(extracted.map((m) => [m.dimensions, m.values])).toEqual([
      [{ Service: 'orders-api', Provider: 'stripe' }, [1, 2]],
      [{ Service: 'orders-api', Provider: 'paypal' }, [3]],
      [{ Service: 'orders-api', Provider: '?ber' }, [4]],
      [{ Service: 'orders-api' }, [5]],
    ]);
  });

  it('writes a dimensionless metric as Dimensions [[]] and marks high resolution', () => {
    // Prepare
    const { lines, destination } = recorder();
    const metrics = createMetrics({
      namespace: 'orders-api/App',
      destination,
      storageResolution: 1,
    });

    // Act
    metrics.put('Ticks', 1);
    metrics.flush();

    // Assess
    const [doc] = parse(lines);
    expectValidEmf(doc);
    expect(doc?._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'orders-api/App',
      Dimensions: [[]],
      Metrics: [{ Name: 'Ticks', Unit: 'None', StorageResolution: 1 }],
    });
  });

  it('writes to stdout durably by default: documents survive an immediate process.exit()', async () => {
    // Act
    const out = await runChild(
      fileURLToPath(new URL('./fixtures/metrics-stdout.mjs', import.meta.url)),
    );

    // Assess
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('written=3');
    const docs = parse(out.lines);
    expect(docs).toHaveLength(3);
    for (const doc of docs) expectValidEmf(doc);
    const latency = docs
      .flatMap((d) => extractEmfMetrics(d))
      .filter((m) => m.name === 'CheckoutLatency');
    expect(latency.flatMap((m) => m.values)).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });
});
