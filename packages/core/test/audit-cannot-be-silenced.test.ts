import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// SPEC §4.2 (OWASP: compliance logging must not be switchable off): audit
// entries are written whatever the application log level, even `silent`, and
// even through a shared pino logger whose level is silent.
const FIXTURE = fileURLToPath(new URL('./fixtures/silent-level.mjs', import.meta.url));

describe('log levels', () => {
  it('never silence audit lines, while app lines obey LOG_LEVEL', async () => {
    const result = await runChild(FIXTURE, [], { env: { LOG_LEVEL: 'silent' } });

    const entries = result.lines.map((line) => JSON.parse(line));
    expect(entries.map((e) => e.action)).toEqual(['AUDIT_START', 'DELETE', 'AUDIT_STOP']);
    expect(result.lines.join('\n')).not.toContain('silenced');
    expect(result.code).toBe(0);
  });
});
