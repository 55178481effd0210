import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/hardened-node-app.mjs', import.meta.url));

// Hardened images run Node with --disallow-code-generation-from-strings, which
// makes eval and new Function throw. A library that compiles code at import time
// would stop the service from starting at all, and with it every audit line.
describe('auditline under --disallow-code-generation-from-strings', () => {
  it('loads, audits a request and its explicit entries, and verifies the chain', async () => {
    // Act
    const result = await runChild(FIXTURE, [], {
      env: { NODE_OPTIONS: '--disallow-code-generation-from-strings', LOG_LEVEL: 'info' },
      parse: false,
    });

    // Assess: an EvalError at import gives exit 1 and no lines.
    expect(result.stderr).toBe('verify: ok []\n');
    expect(result.code).toBe(0);
    const entries = result.lines
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.audit === true);
    expect(entries.map((e) => [e.action, e.status])).toEqual([
      ['AUDIT_START', 'SUCCESS'],
      ['REFUND_ISSUED', 'SUCCESS'],
      ['REFUND_NOTE', 'MAYBE'],
      ['REQUEST_OUTCOME', 'SUCCESS'],
      ['AUDIT_STOP', 'SUCCESS'],
    ]);
    // The invalid entry went through zod, written and flagged (SPEC §4.3).
    const note = entries.find((e) => e.action === 'REFUND_NOTE') as {
      details?: Record<string, unknown>;
    };
    expect(note.details?.validation_errors).toEqual([
      expect.objectContaining({ path: 'status', code: 'invalid_value' }),
    ]);
  });
});
