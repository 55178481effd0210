import { AuditValidationError, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §3 / issue #13: child bindings are written inside details, so the typed
// reserved keys hold for them too. The red-team pass: `statusCode: "two
// hundred"`, `duration_ms: -5` and `mfa_used: "yes"` were written as given,
// with no validation_errors.

const BASE = { action: 'LOGIN', resource: '/login', status: 'SUCCESS' } as const;

describe('child bindings get the typed-details checks (SPEC §3, issue #13)', () => {
  it('flags wrongly typed reserved bindings in validation_errors on every line, in safe string form', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    const child = audit.child({
      statusCode: 'two hundred',
      duration_ms: -5,
      mfa_used: 'yes',
      tenant: 't-1',
    });
    // Act
    child.log(BASE);
    child.log({ ...BASE, details: { orderId: 'o-1' } });
    // Assess
    for (const entry of sink.events()) {
      const details = entry.details as Record<string, unknown>;
      const paths = (details.validation_errors as { path: string }[]).map((i) => i.path).sort();
      expect(paths).toEqual(['bindings.duration_ms', 'bindings.mfa_used', 'bindings.statusCode']);
      // Never a number or boolean the typed readers would trust.
      expect(details).toMatchObject({
        statusCode: 'two hundred',
        duration_ms: '-5',
        mfa_used: 'yes',
        tenant: 't-1',
      });
    }
    expect(sink.events()[1]?.details).toMatchObject({ orderId: 'o-1' });
  });

  it('writes valid bindings without validation_errors', () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    audit.child({ statusCode: 200, mfa_used: true }).log(BASE);
    expect(sink.events()[0]?.details).toEqual({ statusCode: 200, mfa_used: true });
  });

  it("throws AuditValidationError at child() with onInvalid: 'throw'", () => {
    const audit = createAuditLogger({
      destination: createMemorySink(),
      format: 'json',
      onInvalid: 'throw',
    });
    expect(() => audit.child({ duration_ms: -5 })).toThrow(AuditValidationError);
  });
});
