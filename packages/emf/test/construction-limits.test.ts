import { AuditlineError, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import {
  createMetrics,
  EMF_ERROR_CODES,
  EmfConfigError,
  type EmfPluginOptions,
  emf,
  MAX_DIMENSIONS_PER_SET,
  MAX_METRICS_PER_DIRECTIVE,
} from '@auditline/emf';
import { describe, expect, it } from 'vitest';
import { pluginContext } from './support/emf-assertions.js';

/** Runs `act`, asserts it threw an EmfConfigError, and returns it for message checks. */
function configErrorOf(act: () => unknown): EmfConfigError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(EmfConfigError);
    expect(error).toBeInstanceOf(AuditlineError);
    return error as EmfConfigError;
  }
  throw new Error('expected an EmfConfigError, nothing was thrown');
}

const detailMetrics = (count: number): EmfPluginOptions['metrics'] =>
  Array.from({ length: count }, (_, i) => ({ name: `Metric${i}`, detail: `m${i}` }));

describe('emf() refuses, at construction, every setting CloudWatch would silently reject', () => {
  it('refuses 101 metrics (2 built in + 99 from details), naming the limit of 100', () => {
    // Act
    const error = configErrorOf(() => emf({ metrics: detailMetrics(99) }));

    // Assess
    expect(error.code).toBe(EMF_ERROR_CODES.limitExceeded);
    expect(error.option).toBe('metrics');
    expect(error.message).toContain('101 metrics');
    expect(error.message).toContain(`limit of ${MAX_METRICS_PER_DIRECTIVE}`);
    expect(error.message).toContain('Fix:');
    // The limit itself is allowed: 100 metrics construct fine.
    expect(() => emf({ metrics: detailMetrics(98) })).not.toThrow();
  });

  it('refuses a 31-key dimension set, counting default dimensions', () => {
    // Prepare: Action and Status plus 29 default dimensions = 31 keys in the second set.
    const defaults = Object.fromEntries(Array.from({ length: 29 }, (_, i) => [`D${i}`, 'x']));

    // Act
    const error = configErrorOf(() => emf({ defaultDimensions: defaults }));

    // Assess
    expect(error.code).toBe(EMF_ERROR_CODES.limitExceeded);
    expect(error.option).toBe('dimensionSets[1]');
    expect(error.message).toContain('31 dimension keys (29 of them default dimensions)');
    expect(error.message).toContain(`limit of ${MAX_DIMENSIONS_PER_SET}`);
    // Exactly 30 keys (Action + 29 defaults) is within the limit.
    expect(() => emf({ defaultDimensions: defaults, dimensionSets: [['Action']] })).not.toThrow();
    expect(() => emf({ defaultDimensions: defaults, dimensionSets: [[]] })).not.toThrow();
  });

  it('refuses the unit "Counts" and suggests "Count"', () => {
    // Act
    const error = configErrorOf(() =>
      emf({ metrics: [{ name: 'Exports', detail: 'n', unit: 'Counts' as 'Count' }] }),
    );

    // Assess
    expect(error.code).toBe(EMF_ERROR_CODES.invalidConfig);
    expect(error.option).toBe('metrics[0].unit');
    expect(error.message).toContain('"Counts"');
    expect(error.message).toContain('27 CloudWatch units');
    expect(error.message).toContain('use "Count"');
  });

  it('refuses the namespace "AWS/Foo", reserved for AWS services', () => {
    // Act
    const error = configErrorOf(() => emf({ namespace: 'AWS/Foo' }));

    // Assess
    expect(error.code).toBe(EMF_ERROR_CODES.invalidConfig);
    expect(error.option).toBe('namespace');
    expect(error.message).toContain('"AWS/Foo"');
    expect(error.message).toContain('reserved');
  });

  it('refuses a namespace outside the CloudWatch pattern', () => {
    for (const namespace of ['', '   ', 'orders|audit', 'x'.repeat(256), 'café/Audit']) {
      expect(configErrorOf(() => emf({ namespace })).option).toBe('namespace');
    }
  });

  it('refuses a bad AUDIT_EMF_NAMESPACE when the logger sets the plugin up', () => {
    // Act
    const error = configErrorOf(() => emf().setup(pluginContext('orders-api', 'AWS/Foo')));

    // Assess
    expect(error.option).toBe('AUDIT_EMF_NAMESPACE');
    expect(error.message).toContain('reserved');
  });

  it('refuses user_id as a dimension unless allowHighCardinality lists it', () => {
    // Act
    const error = configErrorOf(() =>
      emf({
        dimensions: { Action: 'action', User: 'user_id' },
        dimensionSets: [['Action', 'User']],
      }),
    );

    // Assess
    expect(error.code).toBe(EMF_ERROR_CODES.invalidConfig);
    expect(error.option).toBe('dimensions.User');
    expect(error.message).toContain('"user_id"');
    expect(error.message).toContain('high-cardinality');
    expect(error.message).toContain('allowHighCardinality: ["user_id"]');
    expect(() =>
      emf({
        dimensions: { Action: 'action', User: 'user_id' },
        dimensionSets: [['Action', 'User']],
        allowHighCardinality: ['user_id'],
      }),
    ).not.toThrow();
  });

  it.each(['ip_address', 'traceId', 'resource', 'path', 'user_agent', 'seq', 'hash'] as const)(
    'refuses the high-cardinality field %s as a dimension by default',
    (field) => {
      const error = configErrorOf(() => emf({ dimensions: { X: field }, dimensionSets: [['X']] }));
      expect(error.message).toContain('high-cardinality');
    },
  );

  it('refuses a metric named "Action", which is also a dimension', () => {
    // Act
    const error = configErrorOf(() => emf({ metrics: [{ name: 'Action', detail: 'n' }] }));

    // Assess
    expect(error.code).toBe(EMF_ERROR_CODES.invalidConfig);
    expect(error.option).toBe('metrics[0].name');
    expect(error.message).toContain('"Action"');
    expect(error.message).toContain('also a dimension name');
  });

  it('refuses metric and dimension names that are audit fields or _aws', () => {
    expect(
      configErrorOf(() => emf({ metrics: [{ name: 'status', detail: 'n' }] })).message,
    ).toContain('audit field');
    expect(
      configErrorOf(() => emf({ dimensions: { action: 'action' }, dimensionSets: [['action']] }))
        .message,
    ).toContain('audit field');
    expect(configErrorOf(() => emf({ metrics: [{ name: '_aws', detail: 'n' }] })).option).toBe(
      'metrics[0].name',
    );
    expect(
      configErrorOf(() => emf({ metrics: [{ name: 'AuditEventCount', detail: 'n' }] })).message,
    ).toContain('twice');
  });

  it('refuses metric names outside 1–255 characters', () => {
    expect(configErrorOf(() => emf({ metrics: [{ name: '', detail: 'n' }] })).message).toContain(
      '1–255',
    );
    expect(
      configErrorOf(() => emf({ metrics: [{ name: 'm'.repeat(256), detail: 'n' }] })).message,
    ).toContain('it has 256');
    expect(() => emf({ metrics: [{ name: 'm'.repeat(255), detail: 'n' }] })).not.toThrow();
  });

  it('refuses dimension names that are empty, over 250 chars, non-ASCII or start with ":"', () => {
    for (const name of ['', 'd'.repeat(251), 'Région', ':Action', '   ']) {
      const error = configErrorOf(() => emf({ defaultDimensions: { [name]: 'x' } }));
      expect(error.option).toBe(`defaultDimensions.${name}`);
    }
    expect(() => emf({ defaultDimensions: { ['d'.repeat(250)]: 'x' } })).not.toThrow();
  });

  it('refuses invalid default dimension values, dimension sets naming unknown dimensions, and unknown options', () => {
    expect(configErrorOf(() => emf({ defaultDimensions: { Environment: '' } })).option).toBe(
      'defaultDimensions.Environment',
    );
    expect(configErrorOf(() => emf({ dimensionSets: [['Region']] })).message).toContain(
      'not a key of "dimensions"',
    );
    expect(configErrorOf(() => emf({ namepsace: 'x' } as EmfPluginOptions)).message).toContain(
      'not an option',
    );
    expect(configErrorOf(() => emf({ storageResolution: 5 as 1 })).option).toBe(
      'storageResolution',
    );
  });

  it('stops createAuditLogger with the same error, so a bad setting never reaches stdout', () => {
    // Prepare
    const sink = createMemorySink();

    // Act: service "AWS" gives the default namespace "AWS/Audit", which is reserved.
    const act = () =>
      createAuditLogger({ service: 'AWS', destination: sink, format: 'json', plugins: [emf()] });

    // Assess
    expect(act).toThrow(EmfConfigError);
    expect(act).toThrow(/AWS\/Audit/);
    expect(sink.lines).toHaveLength(0);
  });
});

describe('createMetrics() validates at construction and on first use of a name', () => {
  const sink = { write: () => true };
  it('refuses a reserved namespace, bad default dimensions, and more than 30 of them', () => {
    expect(
      configErrorOf(() => createMetrics({ namespace: 'AWS/Foo', destination: sink })).option,
    ).toBe('namespace');
    expect(
      configErrorOf(() =>
        createMetrics({ namespace: 'a/b', dimensions: { ':x': 'y' }, destination: sink }),
      ).option,
    ).toBe('dimensions.:x');
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`D${i}`, 'x']));
    expect(
      configErrorOf(() => createMetrics({ namespace: 'a/b', dimensions: many, destination: sink }))
        .code,
    ).toBe(EMF_ERROR_CODES.limitExceeded);
  });

  it('refuses a bad unit, a unit change, and a name used as both metric and dimension', () => {
    const metrics = createMetrics({
      namespace: 'a/b',
      dimensions: { Service: 's' },
      destination: sink,
    });
    expect(configErrorOf(() => metrics.put('Latency', 1, 'Counts' as 'Count')).message).toContain(
      'use "Count"',
    );
    metrics.put('Latency', 1, 'Milliseconds');
    expect(configErrorOf(() => metrics.put('Latency', 1, 'Seconds')).message).toContain(
      'one unit per metric',
    );
    expect(configErrorOf(() => metrics.put('Service', 1, 'Count')).message).toContain(
      'dimension name',
    );
    expect(
      configErrorOf(() => metrics.put('Other', 1, 'Count', { Latency: 'x' })).message,
    ).toContain('metric name');
  });
});
