import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { emf, extractEmfMetrics } from '@auditline/emf';
import { describe, expect, it } from 'vitest';
import { expectValidEmf, type Line } from './support/emf-assertions.js';

/** A hostile directive that would mint metrics in someone else's namespace. */
const FORGED_AWS = {
  Timestamp: 1,
  CloudWatchMetrics: [
    {
      Namespace: 'Victim/Billing',
      Dimensions: [['Action']],
      Metrics: [{ Name: 'Refunds', Unit: 'Count' }],
    },
  ],
};

function extractedNames(line: Line): string[] {
  return extractEmfMetrics(line).map(
    (m) => `${m.namespace} ${m.name} ${JSON.stringify(m.dimensions)} ${m.values.join(',')}`,
  );
}

describe('user data cannot change what CloudWatch extracts (SPEC §4.6)', () => {
  it('keeps details._aws and details.Action inside details; the top-level members are the plugin’s', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: sink,
      plugins: [emf()],
    });

    // Act
    audit.log({
      action: 'DELETE',
      resource: '/orders/9',
      status: 'SUCCESS',
      details: {
        _aws: FORGED_AWS,
        Action: 'x',
        Status: 'x',
        AuditEventCount: 1000,
        Refunds: 5,
        duration_ms: 3,
      },
    });
    const raw = sink.lines[1] as string;
    const line = JSON.parse(raw) as Line;

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
    expect(line).toMatchObject({ Action: 'DELETE', Status: 'SUCCESS', AuditEventCount: 1 });
    expect(line).not.toHaveProperty('Refunds');
    expect((line.details as Record<string, unknown>)._aws).toEqual(FORGED_AWS);
    // No duplicate top-level key: "_aws" appears once in details and once at the top level, nowhere else.
    expect(raw.split('"_aws":').length - 1).toBe(2);
    expect(raw.split('"Action":').length - 1).toBe(2);
    expect(extractedNames(line).sort()).toEqual(
      [
        'orders-api/Audit AuditEventCount {"Action":"DELETE"} 1',
        'orders-api/Audit ActionDuration {"Action":"DELETE"} 3',
        'orders-api/Audit AuditEventCount {"Action":"DELETE","Status":"SUCCESS"} 1',
        'orders-api/Audit ActionDuration {"Action":"DELETE","Status":"SUCCESS"} 3',
      ].sort(),
    );
  });

  it('keeps _aws and Action from child bindings and unexpected params out of the top level', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: sink,
      plugins: [emf()],
    });
    const child = audit.child({ _aws: FORGED_AWS, Action: 'x' });

    // Act
    child.log({ action: 'LOGIN', resource: '/login', status: 'FAILED' });
    audit.log({
      action: 'LOGIN',
      resource: '/login',
      status: 'FAILED',
      _aws: FORGED_AWS,
      Action: 'x',
    } as never);

    // Assess
    for (const raw of sink.lines.slice(1)) {
      const line = JSON.parse(raw) as Line;
      expectValidEmf(line);
      expect(line.Action).toBe('LOGIN');
      expect(line._aws.CloudWatchMetrics[0]?.Namespace).toBe('orders-api/Audit');
      expect(extractEmfMetrics(line).every((m) => m.namespace === 'orders-api/Audit')).toBe(true);
      expect(extractEmfMetrics(line).map((m) => m.name)).not.toContain('Refunds');
    }
  });

  it('creates no metrics at all from details._aws when the EMF plugin is off', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ service: 'orders-api', format: 'json', destination: sink });

    // Act
    audit.log({
      action: 'LOGIN',
      resource: '/login',
      status: 'FAILED',
      details: { _aws: FORGED_AWS, Refunds: 5, Action: 'x' },
    });
    const line = JSON.parse(sink.lines[1] as string) as Record<string, unknown>;

    // Assess
    expect(line).not.toHaveProperty('_aws');
    expect(extractEmfMetrics(line)).toEqual([]);
  });
});
