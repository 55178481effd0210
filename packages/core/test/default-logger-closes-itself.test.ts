import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { verifyAuditLog } from '@auditline/core/verify';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./fixtures/default-logger-exit.mjs', import.meta.url));

function actionsAndVerdict(lines: readonly string[]) {
  const actions = lines.map((line) => (JSON.parse(line) as { action: string }).action);
  const report = verifyAuditLog(lines);
  return { actions, report };
}

// SPEC §4.1 / issue #16: without this, every service that calls logAudit() before
// setting a default leaves an instance with no AUDIT_STOP, which verify reports as cut
// short on every clean shutdown (and docs/compliance.md alerts on that exit code).
describe('the lazily created default logger closes its own chain', () => {
  for (const how of ['return', 'exit'] as const) {
    it(`writes AUDIT_STOP when the process ends by ${how === 'return' ? 'an empty event loop' : 'process.exit(0)'}`, async () => {
      // Prepare / Act
      const result = await runChild(SCRIPT, [how], { env: { AUDIT_LOG_FORMAT: 'json' } });
      // Assess
      const { actions, report } = actionsAndVerdict(result.lines);
      expect(result.code).toBe(0);
      expect(actions).toEqual(['AUDIT_START', 'DELETE', 'AUDIT_STOP']);
      expect(report.ok).toBe(true);
    });
  }

  it('writes AUDIT_STOP on SIGTERM and still ends the process by that signal', async () => {
    // Prepare / Act
    const result = await runChild(SCRIPT, ['sigterm'], {
      env: { AUDIT_LOG_FORMAT: 'json' },
      onSpawn: (child) => {
        child.stderr?.once('data', () => child.kill('SIGTERM'));
        void once(child, 'spawn');
      },
    });
    // Assess: the app installed no handler, so SIGTERM still ends it as before.
    const { actions, report } = actionsAndVerdict(result.lines);
    expect(result.signal).toBe('SIGTERM');
    expect(actions).toEqual(['AUDIT_START', 'DELETE', 'AUDIT_STOP']);
    expect(report.ok).toBe(true);
  });
});
