import { createAuditLogger } from '@auditline/core';
import { createMemorySink, expectAudit } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// The `./testing` subpath (issue #2): an in-memory sink and `expectAudit`, for
// the other packages' and users' tests. They must pass and fail as documented,
// or every test built on them proves nothing.

function logged() {
  const sink = createMemorySink();
  const audit = createAuditLogger({ destination: sink, format: 'json', service: 'shop' });
  audit.log({ action: 'LOGIN', resource: '/login', status: 'SUCCESS', user_id: 'u-1' });
  audit.log({
    action: 'DELETE',
    resource: '/orders/1',
    status: 'FAILED',
    user_id: 'u-1',
    details: { statusCode: 403, reason: 'not owner', nested: { a: [1, 2] } },
  });
  audit.log({ action: 'DELETE', resource: '/orders/2', status: 'SUCCESS', user_id: 'u-2' });
  return { sink, audit };
}

describe('createMemorySink', () => {
  it('keeps raw lines with their newline, and parsed audit entries in order', async () => {
    // Prepare and act
    const { sink, audit } = logged();
    await audit.close();
    // Assess
    expect(sink.lines).toHaveLength(5);
    for (const line of sink.lines) expect(line.endsWith('}\n')).toBe(true);
    expect(sink.entries.map((e) => e.action)).toEqual([
      'AUDIT_START',
      'LOGIN',
      'DELETE',
      'DELETE',
      'AUDIT_STOP',
    ]);
    expect(sink.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sink.entries[2]).toEqual(JSON.parse(sink.lines[2] as string));
  });

  it('events() leaves out the AUDIT_START and AUDIT_STOP lifecycle entries', async () => {
    const { sink, audit } = logged();
    await audit.close();
    expect(sink.events().map((e) => e.action)).toEqual(['LOGIN', 'DELETE', 'DELETE']);
  });

  it('keeps non-audit lines (app logs on the same destination) in lines but not in entries', () => {
    const { sink, audit } = logged();
    audit.appStream.write('{"level":30,"msg":"app line"}\n');
    expect(sink.lines.at(-1)).toBe('{"level":30,"msg":"app line"}\n');
    expect(sink.entries).toHaveLength(4);
  });

  it('fails at the write when a line is not JSON', () => {
    const sink = createMemorySink();
    expect(() => sink.write('not json\n')).toThrow(SyntaxError);
  });

  it('clear() forgets everything, and flush() calls back', async () => {
    const { sink, audit } = logged();
    sink.clear();
    expect(sink.lines).toHaveLength(0);
    expect(sink.entries).toHaveLength(0);
    expect(sink.events()).toEqual([]);
    audit.log({ action: 'READ', resource: '/r', status: 'SUCCESS' });
    expect(sink.events()).toHaveLength(1);
    await expect(audit.flush()).resolves.toBeUndefined();
    let called = false;
    sink.flush?.(() => {
      called = true;
    });
    expect(called).toBe(true);
  });
});

describe('expectAudit', () => {
  it('passes and returns the matches when at least one entry matches', () => {
    const { sink } = logged();
    const found = expectAudit(sink.entries, { action: 'DELETE' });
    expect(found.map((e) => e.resource)).toEqual(['/orders/1', '/orders/2']);
  });

  it('passes with an exact count, and fails when the count differs', () => {
    const { sink } = logged();
    expect(expectAudit(sink.entries, { action: 'DELETE' }, 2)).toHaveLength(2);
    expect(() => expectAudit(sink.entries, { action: 'DELETE' }, 1)).toThrow(
      /wanted 1 entry .*found 2/s,
    );
    expect(expectAudit(sink.entries, { action: 'LOGOUT' }, 0)).toEqual([]);
  });

  it('matches details as a subset, comparing nested values by content', () => {
    const { sink } = logged();
    expect(
      expectAudit(sink.entries, { status: 'FAILED', details: { statusCode: 403 } }, 1),
    ).toHaveLength(1);
    expect(expectAudit(sink.entries, { details: { nested: { a: [1, 2] } } }, 1)).toHaveLength(1);
    expect(() => expectAudit(sink.entries, { details: { statusCode: 404 } })).toThrow(/found 0/);
    expect(() => expectAudit(sink.entries, { details: { nested: { a: [1] } } })).toThrow(/found 0/);
  });

  it('requires every given top-level field to match', () => {
    const { sink } = logged();
    expect(
      expectAudit(sink.entries, { action: 'DELETE', user_id: 'u-2', status: 'SUCCESS' }, 1),
    ).toHaveLength(1);
    expect(() => expectAudit(sink.entries, { action: 'DELETE', user_id: 'u-3' })).toThrow(Error);
  });

  it('fails with a message that lists what was seen', () => {
    const { sink } = logged();
    let message = '';
    try {
      expectAudit(sink.entries, { action: 'EXPORT' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('wanted at least 1');
    expect(message).toContain('"action":"EXPORT"');
    expect(message).toContain('DELETE FAILED /orders/1');
    expect(message).toContain('LOGIN SUCCESS /login');
  });

  it('fails on an empty list', () => {
    expect(() => expectAudit([], { action: 'LOGIN' })).toThrow(/found 0/);
  });
});
