import type { AuditParams } from '@auditline/core';
import {
  DEFAULT_DIMENSION_SETS,
  defaultNamespace,
  EMF_DIMENSIONS,
  EMF_METRICS,
  type EmfPluginOptions,
  emf,
  extractEmfMetrics,
} from '@auditline/emf';
import { describe, expect, it } from 'vitest';
import {
  expectValidEmf,
  parseFragment,
  pluginContext,
  realEntry,
  writeAuditLines,
} from './support/emf-assertions.js';

// A mix of what an Express service writes: with and without duration, both statuses, custom actions.
const TRAFFIC: AuditParams[] = [
  {
    action: 'LOGIN',
    resource: '/login',
    status: 'FAILED',
    details: { statusCode: 401, duration_ms: 12.5 },
  },
  {
    action: 'READ',
    resource: '/orders/1',
    status: 'SUCCESS',
    method: 'GET',
    path: '/orders/1',
    details: { duration_ms: 0 },
  },
  { action: 'DELETE', resource: '/orders/2', status: 'SUCCESS', user_id: 'u-7', details: null },
  {
    action: 'EXPORT_REPORT',
    resource: 'reports/q3',
    status: 'SUCCESS',
    details: { bytes: 2048, duration_ms: 1500 },
  },
  {
    action: 'ACCESS_DENIED',
    resource: '/admin',
    status: 'FAILED',
    ip_address: '203.0.113.7',
    user_agent: 'curl/8',
  },
];

const COMBINATIONS: [string, EmfPluginOptions | undefined][] = [
  ['defaults', undefined],
  ['an explicit namespace', { namespace: 'Shop Orders/Audit#1' }],
  ['default dimensions', { defaultDimensions: { Service: 'orders-api', Environment: 'prod' } }],
  ['high resolution', { storageResolution: 1 }],
  ['a single dimension set', { dimensionSets: [['Action']] }],
  [
    'a method dimension',
    {
      dimensions: { Action: 'action', Status: 'status', Method: 'method' },
      dimensionSets: [['Action'], ['Method', 'Status']],
    },
  ],
  [
    'an allowed high-cardinality dimension',
    {
      dimensions: { Action: 'action', User: 'user_id' },
      dimensionSets: [['Action', 'User']],
      allowHighCardinality: ['user_id'],
    },
  ],
  [
    'an extra details metric',
    { metrics: [{ name: 'ResponseBytes', detail: 'bytes', unit: 'Bytes' }] },
  ],
  [
    'an empty dimension set with defaults',
    { dimensionSets: [[]], defaultDimensions: { Service: 'orders-api' } },
  ],
  [
    'everything at once',
    {
      namespace: 'orders-api/Audit',
      dimensions: { Action: 'action', Status: 'status', Method: 'method' },
      dimensionSets: [['Action'], ['Action', 'Status'], ['Method']],
      defaultDimensions: { Environment: 'prod' },
      metrics: [{ name: 'ResponseBytes', detail: 'bytes', unit: 'Bytes' }],
      storageResolution: 1,
    },
  ],
];

describe('every audit line is valid EMF', () => {
  it.each(COMBINATIONS)(
    'with %s: each line passes validateEmf and references only top-level members of the right type',
    (_, options) => {
      // Act
      const { raw, lines } = writeAuditLines(options, TRAFFIC);

      // Assess: AUDIT_START plus one line per entry, each a single JSON object on one line.
      expect(lines).toHaveLength(TRAFFIC.length + 1);
      for (const [i, line] of lines.entries()) {
        expect(raw[i]?.endsWith('}\n')).toBe(true);
        expect(raw[i]?.slice(0, -1)).not.toContain('\n');
        expectValidEmf(line);
        expect(line.AuditEventCount).toBe(1);
        expect(extractEmfMetrics(line).length).toBeGreaterThan(0);
      }
    },
  );

  it('writes the default directive: <service>/Audit, [[Action],[Action,Status]], AuditEventCount and ActionDuration', () => {
    // Act
    const { lines } = writeAuditLines(undefined, [TRAFFIC[0] as AuditParams]);
    const line = lines[1];

    // Assess
    expectValidEmf(line);
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'orders-api/Audit',
        Dimensions: [['Action'], ['Action', 'Status']],
        Metrics: [
          { Name: 'AuditEventCount', Unit: 'Count' },
          { Name: 'ActionDuration', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(line).toMatchObject({
      Action: 'LOGIN',
      Status: 'FAILED',
      AuditEventCount: 1,
      ActionDuration: 12.5,
    });
    expect(DEFAULT_DIMENSION_SETS).toEqual(line._aws.CloudWatchMetrics[0]?.Dimensions);
  });

  it('writes ActionDuration only when details.duration_ms is present, and never a null', () => {
    // Act
    const { raw, lines } = writeAuditLines(undefined, TRAFFIC);

    // Assess
    const events = lines.slice(1);
    expect(events.map((l) => l[EMF_METRICS.actionDuration])).toEqual([
      12.5,
      0,
      undefined,
      1500,
      undefined,
    ]);
    for (const line of events) {
      const names = line._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name);
      expect(names?.includes(EMF_METRICS.actionDuration)).toBe(EMF_METRICS.actionDuration in line);
    }
    expect(raw.join('')).not.toMatch(/"ActionDuration":null/);
  });

  it('adds default dimensions to every set and as members, and StorageResolution 1 to every metric', () => {
    // Act
    const { lines } = writeAuditLines(
      { defaultDimensions: { Service: 'orders-api', Environment: 'prod' }, storageResolution: 1 },
      [TRAFFIC[0] as AuditParams],
    );
    const line = lines[1];

    // Assess
    expectValidEmf(line);
    const directive = line._aws.CloudWatchMetrics[0];
    expect(directive?.Dimensions).toEqual([
      ['Action', 'Service', 'Environment'],
      ['Action', 'Status', 'Service', 'Environment'],
    ]);
    expect(directive?.Metrics.every((m) => m.StorageResolution === 1)).toBe(true);
    expect(line).toMatchObject({ Service: 'orders-api', Environment: 'prod' });
    expect(extractEmfMetrics(line).every((m) => m.storageResolution === 1)).toBe(true);
  });

  it('reads extra metrics from numeric details members and skips them when absent', () => {
    // Act
    const { lines } = writeAuditLines(
      { metrics: [{ name: 'ResponseBytes', detail: 'bytes', unit: 'Bytes' }] },
      TRAFFIC,
    );

    // Assess
    const withBytes = lines[4];
    expectValidEmf(withBytes);
    expect(withBytes.ResponseBytes).toBe(2048);
    expect(withBytes._aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({
      Name: 'ResponseBytes',
      Unit: 'Bytes',
    });
    expect(lines[1]).not.toHaveProperty('ResponseBytes');
  });

  it('prepares the directive once: lines with the same metrics share a byte-identical directive', () => {
    // Act
    const { raw } = writeAuditLines(undefined, TRAFFIC);

    // Assess
    const directives = raw.map((l) =>
      l.slice(l.indexOf('"CloudWatchMetrics"'), l.indexOf(']}]}') + 4),
    );
    expect(directives[1]).toBe(directives[2]);
    expect(directives[1]).toBe(directives[4]);
    expect(directives[3]).toBe(directives[5]);
  });

  it('reserves exactly the keys it writes, so core can refuse clashes with other plugins', () => {
    // Act
    const plugin = emf({ defaultDimensions: { Service: 'orders-api' } });

    // Assess
    expect([...plugin.reservedKeys].sort()).toEqual(
      [
        '_aws',
        EMF_DIMENSIONS.action,
        EMF_DIMENSIONS.status,
        'Service',
        EMF_METRICS.auditEventCount,
        EMF_METRICS.actionDuration,
      ].sort(),
    );
  });
});

describe('namespace precedence (option > AUDIT_EMF_NAMESPACE > <service>/Audit)', () => {
  const entry = realEntry({ action: 'LOGIN', resource: '/login', status: 'SUCCESS' });
  const namespaceOf = (
    options: EmfPluginOptions | undefined,
    fromEnv: string | undefined,
  ): string | undefined =>
    parseFragment(
      emf(options).setup(pluginContext('orders-api', fromEnv)).fragment(entry, Date.now()),
    )._aws.CloudWatchMetrics[0]?.Namespace;

  it('uses the option over the environment', () => {
    expect(namespaceOf({ namespace: 'Option/Audit' }, 'Env/Audit')).toBe('Option/Audit');
  });
  it('uses AUDIT_EMF_NAMESPACE when there is no option', () => {
    expect(namespaceOf(undefined, 'Env/Audit')).toBe('Env/Audit');
  });
  it('falls back to <service>/Audit', () => {
    expect(namespaceOf(undefined, undefined)).toBe('orders-api/Audit');
  });
  it('makes a valid default namespace out of any service name', () => {
    expect(defaultNamespace('orders-api')).toBe('orders-api/Audit');
    expect(defaultNamespace('@acme/orders+v2')).toBe('_acme/orders_v2/Audit');
    expect(defaultNamespace('x'.repeat(256))).toHaveLength(255);
  });
});
