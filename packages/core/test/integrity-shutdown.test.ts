import { fileURLToPath } from 'node:url';
import { verifyAuditLog } from '@auditline/core/verify';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));

// Issue #7: a chain written to a real pipe verifies clean when SIGTERM closes
// it with AUDIT_STOP, and a kill -9 is reported as a chain cut short: the
// "detect whether logging has stopped" half of OWASP's operation advice.
const KEY = 'shutdown-key-0123456789abcdef';
const ENV = { AUDIT_HMAC_KEY: KEY, AUDIT_HMAC_KEY_ID: 'k-env' };

describe('the chain across process shutdown', () => {
  it('verifies clean and closed after SIGTERM with handleSignals', async () => {
    // Act
    const result = await runChild(
      WRITER,
      [JSON.stringify({ count: 300, end: 'signal-wait', options: { handleSignals: true } })],
      {
        env: ENV,
        onSpawn: (child) => {
          child.stderr?.on('data', (chunk: Buffer) => {
            if (String(chunk).includes('ready')) child.kill('SIGTERM');
          });
        },
      },
    );

    // Assess: the key came from the environment, with its key id.
    const report = verifyAuditLog(result.lines, { keys: { 'k-env': KEY } });
    expect(report.issues).toEqual([]);
    expect(report.instances).toEqual([
      expect.objectContaining({ entries: 302, verified: 302, closed: true, finalSeq: 302 }),
    ]);
  });

  it('reports a chain cut short after kill -9, at its last seq', async () => {
    // Act
    const result = await runChild(WRITER, [JSON.stringify({ count: 300, end: 'sigkill' })], {
      env: ENV,
    });

    // Assess
    expect(result.signal).toBe('SIGKILL');
    const report = verifyAuditLog(result.lines, { keys: { 'k-env': KEY } });
    expect(report.issues).toEqual([expect.objectContaining({ code: 'unclosed', seq: 301 })]);
    expect(report.instances[0]?.verified).toBe(301);
  });
});
