import { createAuditLogger, REDACTED } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.1 / issue #13: log() returns the entry as written. The red-team pass
// found it returned the caller's own objects: an app that logged the returned
// entry leaked the password the line had censored.

const BASE = { action: 'LOGIN', resource: '/login', status: 'FAILED' } as const;

describe('log() returns what was written (SPEC §4.1, issue #13)', () => {
  it('returns the redacted line, deep-equal to the parsed line and sharing no object with the caller', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    const details = { password: 'hunter2', profile: { apiKey: 'k-1', name: 'bob' } };
    // Act
    const entry = audit.log({ ...BASE, resource: '/login?token=abc', details });
    // Assess
    const line = JSON.parse(sink.lines.at(-1) as string);
    expect(JSON.stringify(entry)).not.toContain('hunter2');
    expect(entry).toEqual(line);
    expect(entry.details).toEqual({
      password: REDACTED,
      profile: { apiKey: REDACTED, name: 'bob' },
    });
    expect(entry.details).not.toBe(details);
    expect((entry.details as { profile: unknown }).profile).not.toBe(details.profile);
    // The caller's object is untouched.
    expect(details.password).toBe('hunter2');
  });

  it('returns the trimmed details and the truncation markers of an over-size line', () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    const entry = audit.log({ ...BASE, details: { blob: 'x'.repeat(40_000), id: 1 } });
    const line = JSON.parse(sink.lines.at(-1) as string);
    expect(line.truncated).toBe(true);
    expect(entry).toEqual(line);
    expect(JSON.stringify(entry).length).toBeLessThan(16_384);
  });

  it('returns validation_errors and unexpected_fields for invalid params', () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    const entry = audit.log({
      ...BASE,
      status: 'NOPE',
      secret: 's3',
      details: { statusCode: 'x' },
    } as never);
    const line = JSON.parse(sink.lines.at(-1) as string);
    expect(entry).toEqual(line);
    expect(entry.details).toMatchObject({
      validation_errors: expect.any(Array),
      unexpected_fields: { secret: REDACTED },
    });
  });

  it('returns the chain members of a sealed line', () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      integrity: { key: 'k'.repeat(32), keyId: 'k1' },
    });
    const entry = audit.log(BASE);
    const line = JSON.parse(sink.lines.at(-1) as string);
    expect(entry).toEqual(line);
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.keyId).toBe('k1');
  });
});
