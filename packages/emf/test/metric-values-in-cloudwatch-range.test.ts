import {
  createMetrics,
  EMF_ISSUE_CODES,
  MAX_METRIC_MAGNITUDE,
  MIN_METRIC_MAGNITUDE,
  OUT_OF_RANGE_ISSUE_CODE,
  validateEmf,
} from '@auditline/emf';
import { describe, expect, it } from 'vitest';
import { expectValidEmf, writeAuditLines } from './support/emf-assertions.js';

// issue #13 / SPEC §8.4: CloudWatch rejects metric values whose magnitude is
// outside 8.515920e-109 … 1.174271e+108 (0 is fine) and drops those metrics
// silently. 1e300 and 1e-300 were written, and validateEmf said nothing.
type Details = { validation_errors?: { path: string; code: string }[] };

describe('metric values outside CloudWatch range', () => {
  it.each([
    ['1e300', 1e300],
    ['1e-300', 1e-300],
    ['just above the maximum', MAX_METRIC_MAGNITUDE * 1.01],
    ['just below the minimum', MIN_METRIC_MAGNITUDE / 1.01],
  ])('leaves ActionDuration out for %s and counts it in details.validation_errors', (_, value) => {
    // Act
    const { lines } = writeAuditLines(undefined, [
      { action: 'READ', resource: '/r', status: 'SUCCESS', details: { duration_ms: value } },
    ]);

    // Assess: the line is valid EMF, the metric is not in it, and the line says why.
    const line = lines[1];
    expectValidEmf(line);
    expect(line).not.toHaveProperty('ActionDuration');
    const issues = (line.details as Details).validation_errors ?? [];
    expect(issues).toContainEqual(
      expect.objectContaining({ path: 'details.duration_ms', code: OUT_OF_RANGE_ISSUE_CODE }),
    );
  });

  it.each([
    ['0', 0],
    ['the minimum', MIN_METRIC_MAGNITUDE],
    ['the maximum', MAX_METRIC_MAGNITUDE],
    ['12.5', 12.5],
  ])('keeps %s and reports nothing', (_, value) => {
    const { lines } = writeAuditLines(undefined, [
      { action: 'READ', resource: '/r', status: 'SUCCESS', details: { duration_ms: value } },
    ]);
    const line = lines[1];
    expectValidEmf(line);
    expect(line.ActionDuration).toBe(value);
    expect(line.details).not.toHaveProperty('validation_errors');
  });

  it('drops and counts an out-of-range value of a details metric, negative ones included', () => {
    const { lines } = writeAuditLines(
      { metrics: [{ name: 'Bytes', detail: 'bytes', unit: 'Bytes' }] },
      [{ action: 'READ', resource: '/r', status: 'SUCCESS', details: { bytes: -1e200 } }],
    );
    const line = lines[1];
    expectValidEmf(line);
    expect(line).not.toHaveProperty('Bytes');
    expect((line.details as Details).validation_errors).toContainEqual(
      expect.objectContaining({ path: 'details.bytes', code: OUT_OF_RANGE_ISSUE_CODE }),
    );
  });

  it('validateEmf reports a single value or an array value outside the range', () => {
    // Prepare
    const doc = (value: unknown) => ({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          { Namespace: 'shop/App', Dimensions: [[]], Metrics: [{ Name: 'Latency' }] },
        ],
      },
      Latency: value,
    });

    // Act / Assess
    for (const bad of [1e300, 1e-300, -1e300, [1, 1e300]]) {
      expect(validateEmf(doc(bad)).map((i) => i.code)).toEqual([
        EMF_ISSUE_CODES.metricValueOutOfRange,
      ]);
    }
    for (const good of [0, -0, 1e-100, -1e100, [0, 1, 2]])
      expect(validateEmf(doc(good))).toEqual([]);
  });

  it('createMetrics().put refuses a value CloudWatch would drop', () => {
    const metrics = createMetrics({ namespace: 'shop/App', destination: { write() {} } });
    expect(metrics.put('Latency', 1e300)).toBe(false);
    expect(metrics.put('Latency', 1e-300)).toBe(false);
    expect(metrics.put('Latency', 0)).toBe(true);
  });
});
