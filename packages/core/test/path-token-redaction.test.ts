import { AuditConfigError, createAuditLogger, REDACTED } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// Issue #13: a token in a path segment (`/reset/<token>`, `/invite/<token>`)
// had no redaction mechanism at all.

const BASE = { action: 'UPDATE', status: 'SUCCESS' } as const;

describe('tokens in path segments (SPEC §6, issue #13)', () => {
  it('censors the * segments of redactPaths patterns in resource and path, anchored or anywhere', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      destination: sink,
      format: 'json',
      redactPaths: ['/reset/*', 'invites/:org/*'],
    });
    // Act
    const entry = audit.log({
      ...BASE,
      resource: '/reset/CANARY1/confirm?next=%2Fhome',
      path: '/api/v2/Invites/acme/CANARY2',
    });
    audit.log({ ...BASE, resource: '/api/reset/kept' });
    // Assess: only the segments the pattern marks; an anchored pattern only at the start.
    const [first, second] = sink.events();
    expect(sink.lines.join('')).not.toContain('CANARY');
    expect(first?.resource).toBe(`/reset/${REDACTED}/confirm?next=%2Fhome`);
    expect(first?.path).toBe(`/api/v2/Invites/acme/${REDACTED}`);
    expect(entry.resource).toBe(first?.resource);
    expect(second?.resource).toBe('/api/reset/kept');
  });

  it('refuses a pattern with nothing to censor at construction, naming the option', () => {
    expect(() =>
      createAuditLogger({ destination: createMemorySink(), redactPaths: ['/reset/:token'] }),
    ).toThrow(AuditConfigError);
    expect(() =>
      createAuditLogger({ destination: createMemorySink(), redactPaths: ['/reset/:token'] }),
    ).toThrow(/redactPaths/);
  });

  it('redactRouteParams censors the segments holding sensitive route params, by param name', () => {
    const audit = createAuditLogger({ destination: createMemorySink(), format: 'json' });
    // What an adapter has for `/users/:id/reset/:resetToken` and `/:from-:apiKey`.
    expect(
      audit.redactRouteParams('/users/42/reset/CANARY1?x=1', { id: '42', resetToken: 'CANARY1' }),
    ).toBe(`/users/42/reset/${REDACTED}?x=1`);
    expect(audit.redactRouteParams('/a-CANARY2', { from: 'a', apiKey: 'CANARY2' })).toBe(
      `/${REDACTED}`,
    );
    // Encoded in the URL, decoded in params.
    expect(audit.redactRouteParams('/t/CAN%41RY3', { token: 'CANARY3' })).toBe(`/t/${REDACTED}`);
    expect(audit.redactRouteParams('/orders/7', { id: '7' })).toBe('/orders/7');
  });
});
