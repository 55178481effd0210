import { AUDIT_ACTIONS, AUDIT_FIELDS, AUDIT_STATUSES, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { EMF_DIMENSIONS, EMF_METRICS, emf } from '@auditline/emf';
import { DASHBOARD_LOG_WIDGETS, GRAFANA_LOG_PANELS, SAVED_QUERIES } from '@auditline/infra';
import { describe, expect, it } from 'vitest';

// Issue #17: Logs Insights discovers at most 200 fields per log event, in the
// order they appear, flattening nested objects with dots. With 250 caller keys
// in `details`, `details.duration_ms` was field #261 and `Action` #271, so
// queries and EMF-derived views silently lost them. The line must put every
// required member, every field a query names and every EMF member within the
// first 200 flattened fields, whatever the caller puts in `details`.

/** Insights' discovery limit per log event (CloudWatch Logs User Guide, "Supported logs and discovered fields"). */
const INSIGHTS_DISCOVERED_FIELDS = 200;

/** Leaf field paths of one JSON line, in wire order, flattened with dots as Insights does. */
function flattenedFields(line: string): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value)
        ? value.map((v, i) => [String(i), v] as const)
        : Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) out.push(path);
      for (const [k, v] of entries) walk(v, path ? `${path}.${k}` : k);
    } else {
      out.push(path);
    }
  };
  // JSON.parse keeps string keys in wire order (no integer-like keys are used below).
  walk(JSON.parse(line), '');
  return out;
}

const queried = [
  ...SAVED_QUERIES.flatMap((q) => q.fields),
  ...Object.values(DASHBOARD_LOG_WIDGETS).flatMap((w) => w.query.fields),
  ...GRAFANA_LOG_PANELS.flatMap((p) => p.query.fields),
];

describe('key fields within Logs Insights’ first 200 discovered fields', () => {
  it('a 250-key details keeps every required, queried and EMF field within the first 200, in wire order', () => {
    // Prepare: EMF and the chain on, as in the example service; 250 caller keys
    // written before the reserved ones, the order that pushed them out.
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'discovery-test',
      format: 'json',
      destination: sink,
      handleSignals: false,
      integrity: { key: 'k'.repeat(32), keyId: 'k1' },
      plugins: [emf()],
    });
    const details: Record<string, unknown> = {};
    for (let i = 0; i < 250; i++) details[`caller_key_${String(i).padStart(3, '0')}`] = i;
    Object.assign(details, {
      statusCode: 403,
      duration_ms: 12.5,
      error: 'Forbidden',
      reason: 'admin only',
      attempted_action: AUDIT_ACTIONS.DELETE,
    });

    // Act
    audit.log({
      action: AUDIT_ACTIONS.ACCESS_DENIED,
      resource: '/api/orders/7',
      status: AUDIT_STATUSES.FAILED,
      user_id: 'bob',
      ip_address: '203.0.113.9',
      method: 'DELETE',
      path: '/api/orders/7',
      route: '/api/orders/:id',
      details,
    });
    const line = sink.lines.find((l) => l.includes('"ACCESS_DENIED"')) ?? '';
    const fields = flattenedFields(line);

    // Assess
    const mustSee = new Set([
      AUDIT_FIELDS.audit,
      AUDIT_FIELDS.timestamp,
      AUDIT_FIELDS.service,
      AUDIT_FIELDS.instance,
      AUDIT_FIELDS.seq,
      AUDIT_FIELDS.traceId,
      AUDIT_FIELDS.userId,
      AUDIT_FIELDS.action,
      AUDIT_FIELDS.resource,
      AUDIT_FIELDS.status,
      ...queried,
      EMF_DIMENSIONS.action,
      EMF_DIMENSIONS.status,
      EMF_METRICS.auditEventCount,
      EMF_METRICS.actionDuration,
      `_aws.Timestamp`,
    ]);
    const late = [...mustSee].filter((f) => {
      const at = fields.indexOf(f);
      return at < 0 || at >= INSIGHTS_DISCOVERED_FIELDS;
    });
    expect(
      late.map((f) => `${f} at #${fields.indexOf(f) + 1}`),
      `fields past #${INSIGHTS_DISCOVERED_FIELDS} of ${fields.length}`,
    ).toEqual([]);
  });
});
