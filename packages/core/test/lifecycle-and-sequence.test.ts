import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §3 and §7: AUDIT_START first (with a config fingerprint, never the
// key), seq +1 per entry from 1 within one instance, AUDIT_STOP on close with
// the final seq. Gaps in seq are how lost or deleted lines are detected.
describe('instance lifecycle', () => {
  it('writes AUDIT_START first, with the config fingerprint and no key', () => {
    const sink = createMemorySink();
    const key = 'super-secret-key-material-0123456789';
    createAuditLogger({ destination: sink, service: 'orders', integrity: { key, keyId: 'k1' } });

    const [start] = sink.entries;
    expect(start?.action).toBe('AUDIT_START');
    expect(start?.seq).toBe(1);
    expect(start?.details).toMatchObject({ format: 'json', chain: true, keyId: 'k1' });
    expect(sink.lines.join('')).not.toContain(key);
  });

  it('numbers entries 1, 2, 3… per instance, across children, and closes with AUDIT_STOP', async () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    const child = audit.child({ component: 'billing' });
    audit.log({ action: 'LOGIN', resource: '/login', status: 'SUCCESS' });
    child.log({ action: 'UPDATE', resource: '/invoices/1', status: 'SUCCESS' });
    await audit.close();
    await audit.close();

    expect(sink.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(new Set(sink.entries.map((e) => e.instance)).size).toBe(1);
    const stop = sink.entries.at(-1);
    expect(stop?.action).toBe('AUDIT_STOP');
    expect(stop?.details).toMatchObject({ final_seq: 4, reason: 'close' });
    expect(sink.entries[2]?.details).toEqual({ component: 'billing' });
    expect(audit.stats()).toEqual({ written: 4, lost: 0, seq: 4 });
  });

  it('gives each logger its own instance id', () => {
    const a = createAuditLogger({ destination: createMemorySink() });
    const b = createAuditLogger({ destination: createMemorySink() });
    expect(a.instance).not.toBe(b.instance);
    expect(a.instance).toMatch(/^[0-9a-f]{16}$/);
  });

  it('writes the wire format of SPEC §3: level label, timestamp, no pid/hostname/time', () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, service: 'svc', serviceVersion: '2.0.1' });
    const returned = audit.log({
      action: 'DELETE',
      resource: '/orders/9',
      status: 'FAILED',
      user_id: 'u-1',
      method: 'DELETE',
      path: '/orders/9',
      ip_address: '203.0.113.7',
      user_agent: 'curl/8',
      details: { statusCode: 403, duration_ms: 1.5 },
    });
    const line = JSON.parse(sink.lines[1] ?? '{}');

    expect(Object.keys(line)).toEqual([
      'level',
      'audit',
      'timestamp',
      'service',
      'service_version',
      'instance',
      'seq',
      'traceId',
      'user_id',
      'action',
      'resource',
      'status',
      'method',
      'ip_address',
      'path',
      'user_agent',
      'details',
    ]);
    expect(line.level).toBe('info');
    expect(line.audit).toBe(true);
    expect(line.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Math.abs(Date.parse(line.timestamp) - Date.now())).toBeLessThan(5_000);
    expect(line.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(returned.seq).toBe(line.seq);
    expect(returned.timestamp).toBe(line.timestamp);
  });

  it('defaults user_id to "anonymous"', () => {
    const sink = createMemorySink();
    createAuditLogger({ destination: sink }).log({
      action: 'READ',
      resource: '/x',
      status: 'SUCCESS',
    });
    expect(sink.events()[0]?.user_id).toBe('anonymous');
  });
});
