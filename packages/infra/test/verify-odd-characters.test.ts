import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KEY, parseReport, runVerify, tempFile } from './verify-support.js';

// Issue #7 "Odd characters": lines with U+2028, NUL, emoji and a lone
// surrogate in details verify clean. The lines come from the real logger in a
// child process writing to a pipe, so the bytes are exactly what fd 1 got.
const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));

const WRITER = `
import { createAuditLogger } from '@auditline/core';
const audit = createAuditLogger({ service: 'odd-chars' });
const odd = ['line\\u2028separator', 'para\\u2029graph', 'nul\\u0000byte', 'emoji \\u{1F600}\\u{1F469}\\u200D\\u{1F4BB}', 'lone \\uD800 high', 'lone \\uDC00 low', 'ctl \\u0007\\u001b[31m'];
for (const text of odd) {
  audit.log({ action: 'UPDATE', resource: '/odd/' + text, status: 'SUCCESS', user_id: text, details: { text, [text]: text } });
}
await audit.close();
`;

function writeWithRealLogger(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER], {
      cwd: INFRA_DIR,
      env: { ...process.env, AUDIT_HMAC_KEY: KEY, AUDIT_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`writer exited ${code}`)),
    );
  });
}

describe('auditline verify with odd characters', () => {
  it('verifies U+2028, NUL, emoji and lone surrogates clean, raw and wrapped', async () => {
    // Prepare
    const bytes = await writeWithRealLogger();
    const lines = bytes.toString('utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(9); // AUDIT_START, 7 entries, AUDIT_STOP
    const wrapped = JSON.stringify(
      { events: lines.map((message, i) => ({ timestamp: i, message, ingestionTime: i })) },
      null,
      4,
    );

    // Act
    const raw = await runVerify(['--json', '--key', KEY, tempFile('odd.ndjson', bytes)]);
    const fromCloudWatch = await runVerify(['--json', '--key', KEY, tempFile('odd.json', wrapped)]);

    // Assess
    for (const result of [raw, fromCloudWatch]) {
      expect(result.code).toBe(0);
      const report = parseReport(result);
      expect(report.issues).toEqual([]);
      expect(report.instances[0]?.verified).toBe(9);
    }
  });

  it('still catches a change inside a line with odd characters', async () => {
    // Prepare: swap the emoji for another one, a 4-byte change the hash must see.
    const bytes = await writeWithRealLogger();
    const text = bytes.toString('utf8');
    const tampered = text.replace('\u{1F600}', '\u{1F601}');
    expect(tampered).not.toBe(text);

    // Act
    const result = await runVerify(['--json', '--key', KEY, tempFile('odd.ndjson', tampered)]);

    // Assess: the line with the emoji is seq 5 (after AUDIT_START and three entries).
    expect(result.code).toBe(1);
    expect(parseReport(result).issues).toEqual([
      expect.objectContaining({ code: 'hash-mismatch', seq: 5 }),
    ]);
  });
});
