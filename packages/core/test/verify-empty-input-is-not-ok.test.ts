import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { verifyAuditLog } from '@auditline/core/verify';
import { describe, expect, it } from 'vitest';

// SPEC §7: a verifier a compliance job can trust. Deleting every line of a log
// leaves no line to find fault with; a report that then says `ok: true` tells a
// job checking `ok` that the trail verified. What would be wrong: `ok` for an
// input without a single audit line (the CLI already exits 2, NOTHING VERIFIED).

const KEY = 'k'.repeat(32);

/** The lines (with their newlines) of a closed, signed log: AUDIT_START, one DELETE, AUDIT_STOP. */
async function signedLog(): Promise<readonly string[]> {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'svc',
    format: 'json',
    destination: sink,
    integrity: { key: KEY, keyId: 'k1' },
  });
  audit.log({ action: 'DELETE', resource: '/orders/1', status: 'SUCCESS' });
  await audit.close();
  return sink.lines;
}

describe('verifyAuditLog: an input without audit lines is not ok', () => {
  for (const [name, text] of [
    ['empty', []],
    ['a blank line', ['']],
    ['app lines only', ['{"level":30,"msg":"hello"}', '{"level":30,"msg":"bye"}']],
  ] as const) {
    it(`reports ${name} as not ok, with no audit line`, () => {
      // Act
      const report = verifyAuditLog(text, { keys: { k1: KEY } });

      // Assess
      expect(report.auditLines).toBe(0);
      expect(report.ok).toBe(false);
    });
  }

  it('still reports a whole signed log as ok', async () => {
    // Prepare
    const lines = await signedLog();

    // Act
    const report = verifyAuditLog(
      lines.map((line) => line.trimEnd()),
      { keys: { k1: KEY } },
    );

    // Assess
    expect(report.issues).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.auditLines).toBe(3);
  });

  it('reads a string as the text of a log, not as one line per character', async () => {
    // Prepare: a string is an Iterable<string> of characters, which TypeScript accepts.
    const text = (await signedLog()).join('');

    // Act
    const whole = verifyAuditLog(text, { keys: { k1: KEY } });
    const tampered = verifyAuditLog(text.replace('"DELETE"', '"UPDATE"'), { keys: { k1: KEY } });

    // Assess
    expect(whole.auditLines).toBe(3);
    expect(whole.ok).toBe(true);
    expect(tampered.ok).toBe(false);
  });
});
