import { AUDIT_FIELDS, type AuditLoggerOptions, createAuditLogger } from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { duplicateKeys } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// SPEC §3 and §4.6: fields the logger owns cannot be set or overwritten by
// callers. Keys in details or child bindings never reach the top level, a
// top-level `_aws` can only come from the EMF plugin, and no line has a
// duplicate key at any depth (JSON.parse would silently keep the last one).

const BASE = { action: 'DELETE', resource: '/orders/9', status: 'SUCCESS' } as const;

/** Every key a forger would try, with values that are easy to spot. */
const FORGED: Record<string, unknown> = {
  level: 'fatal',
  audit: false,
  timestamp: '1999-01-01T00:00:00.000Z',
  service: 'forged-service',
  service_version: 'forged',
  instance: 'forged-instance',
  seq: 999_999,
  traceId: 'forged-trace',
  user_id: 'forged-user',
  action: 'FORGED',
  resource: '/forged',
  status: 'FORGED',
  hash: 'f'.repeat(64),
  prev: 'e'.repeat(64),
  keyId: 'forged-key',
  truncated: true,
  original_bytes: 1,
  original_sha256: 'd'.repeat(64),
  ecs: { cluster: 'forged' },
  _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'x', Dimensions: [[]], Metrics: [] }] },
};

function setup(options: Partial<AuditLoggerOptions> = {}) {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    destination: sink,
    format: 'json',
    service: 'orders',
    ...options,
  });
  const start = JSON.parse(sink.lines[0] as string) as { seq: number };
  return { sink, audit, startSeq: start.seq };
}

function lastLine(sink: MemorySink): { raw: string; line: Record<string, unknown> } {
  const raw = sink.lines.at(-1) as string;
  return { raw, line: JSON.parse(raw) as Record<string, unknown> };
}

/** The top level an honest line must have, whatever the caller passed. */
function expectHonestTop(line: Record<string, unknown>, audit: { instance: string }, seq: number) {
  expect(line.level).toBe('info');
  expect(line.audit).toBe(true);
  expect(line.timestamp).not.toBe(FORGED.timestamp);
  expect(line.service).toBe('orders');
  expect(line.instance).toBe(audit.instance);
  expect(line.seq).toBe(seq);
  expect(line.action).toBe(BASE.action);
  expect(line.resource).toBe(BASE.resource);
  expect(line.status).toBe(BASE.status);
  expect(line.traceId).not.toBe('forged-trace');
  expect(line.user_id).toBe('anonymous');
  for (const key of [
    '_aws',
    'truncated',
    'original_bytes',
    'original_sha256',
    'ecs',
    'service_version',
  ]) {
    expect(line).not.toHaveProperty(key);
  }
}

describe('reserved fields cannot be forged (SPEC §4.6)', () => {
  it('keeps reserved keys given in details inside details, each once', () => {
    // Prepare
    const { sink, audit, startSeq } = setup();
    // Act
    audit.log({ ...BASE, details: { ...FORGED } });
    // Assess
    const { raw, line } = lastLine(sink);
    expectHonestTop(line, audit, startSeq + 1);
    expect(line).not.toHaveProperty('hash');
    expect(line).not.toHaveProperty('prev');
    expect(line).not.toHaveProperty('keyId');
    expect(line.details).toEqual(FORGED);
    expect(duplicateKeys(raw)).toEqual([]);
  });

  it('keeps reserved keys given as child bindings inside details, each once', () => {
    const { sink, audit, startSeq } = setup();
    audit.child({ ...FORGED }).log({ ...BASE });
    const { raw, line } = lastLine(sink);
    expectHonestTop(line, audit, startSeq + 1);
    expect(line.details).toEqual(FORGED);
    expect(duplicateKeys(raw)).toEqual([]);
  });

  it('writes a key shared by bindings and details once, the call-site value winning', () => {
    // pino writes both in this case (measured, SPEC §4.6); JSON.parse keeps the last.
    const { sink, audit } = setup();
    const child = audit
      .child({ component: 'billing', seq: 1, level: 'warn' })
      .child({ component: 'ledger' });
    child.log({ ...BASE, details: { component: 'call-site', seq: 2, extra: true } });
    child.log({ ...BASE });
    const [withDetails, withoutDetails] = sink.lines.slice(-2) as [string, string];
    expect(duplicateKeys(withDetails)).toEqual([]);
    expect(duplicateKeys(withoutDetails)).toEqual([]);
    expect(JSON.parse(withDetails).details).toEqual({
      component: 'call-site',
      seq: 2,
      extra: true,
      level: 'warn',
    });
    expect(JSON.parse(withoutDetails).details).toEqual({
      component: 'ledger',
      seq: 1,
      level: 'warn',
    });
  });

  it('refuses unknown top-level params and keeps them under details.unexpected_fields', () => {
    // Prepare
    const { sink, audit, startSeq } = setup();
    // Act
    audit.log({
      ...BASE,
      seq: 5,
      level: 'fatal',
      _aws: FORGED._aws,
      hash: 'f'.repeat(64),
    } as never);
    // Assess
    const { raw, line } = lastLine(sink);
    expectHonestTop(line, audit, startSeq + 1);
    expect(line).not.toHaveProperty('hash');
    const details = line.details as Record<string, unknown>;
    expect(details.unexpected_fields).toEqual({
      seq: 5,
      level: 'fatal',
      _aws: FORGED._aws,
      hash: 'f'.repeat(64),
    });
    expect(details.validation_errors).toEqual([
      expect.objectContaining({ path: '', code: 'unrecognized_keys' }),
    ]);
    expect(duplicateKeys(raw)).toEqual([]);
  });

  it('refuses every reserved top-level field given as a param', () => {
    const { sink, audit, startSeq } = setup();
    const {
      traceId: _t,
      user_id: _u,
      action: _a,
      resource: _r,
      status: _s,
      ...ownedByLogger
    } = FORGED;
    audit.log({ ...BASE, ...ownedByLogger } as never);
    const { raw, line } = lastLine(sink);
    expectHonestTop(line, audit, startSeq + 1);
    const unexpected = (line.details as Record<string, unknown>).unexpected_fields;
    expect(Object.keys(unexpected as object).sort()).toEqual(Object.keys(ownedByLogger).sort());
    expect(duplicateKeys(raw)).toEqual([]);
  });

  it('with the integrity chain on, details.hash/prev/keyId never shadow the real ones', () => {
    const { sink, audit } = setup({ integrity: { key: 'k'.repeat(32), keyId: 'k1' } });
    audit
      .child({ prev: 'x' })
      .log({ ...BASE, details: { hash: FORGED.hash, keyId: 'forged-key' } });
    const { raw, line } = lastLine(sink);
    expect(line.keyId).toBe('k1');
    expect(line.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(line.hash).not.toBe(FORGED.hash);
    expect(line.prev).toBe((JSON.parse(sink.lines[0] as string) as { hash: string }).hash);
    expect(line.details).toEqual({ hash: FORGED.hash, keyId: 'forged-key', prev: 'x' });
    expect(duplicateKeys(raw)).toEqual([]);
  });

  it('lists only known fields at the top level', () => {
    const { sink, audit } = setup();
    audit.child({ _aws: 1 }).log({ ...BASE, details: { ...FORGED }, method: 'GET', path: '/p' });
    const { line } = lastLine(sink);
    const known = new Set<string>(Object.values(AUDIT_FIELDS));
    expect(Object.keys(line).filter((key) => !known.has(key))).toEqual([]);
  });

  it('finds duplicates when there are some (the scanner itself)', () => {
    expect(duplicateKeys('{"a":1,"b":[{"c":1,"\\u0063":2}],"a":3}')).toEqual(['b/[]/c', 'a']);
    expect(duplicateKeys('{"a":{"k":1},"b":{"k":1},"s":"\\"a\\":1"}')).toEqual([]);
  });
});
