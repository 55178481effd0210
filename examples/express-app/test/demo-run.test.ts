import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';

// Issue #5 "The demo": `pnpm demo` runs `node dist/demo.js`; it must exit 0 and
// print pretty audit lines. The real child process, real server, real pino-pretty.

const DEMO = fileURLToPath(new URL('../dist/demo.js', import.meta.url));
const INFRA = dirname(createRequire(import.meta.url).resolve('@auditline/infra/package.json'));
const AUDITLINE = join(INFRA, 'bin', 'auditline.js');

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [DEMO], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm demo', () => {
  it('exits 0 after printing pretty audit lines for every kind of traffic and a summary', async () => {
    // Prepare
    expect(existsSync(DEMO), `${DEMO} is missing: run pnpm build first`).toBe(true);

    // Act
    const { code, stdout, stderr } = await runDemo();

    // Assess
    expect(code, `demo failed:\n${stderr}\n${stdout.slice(-2000)}`).toBe(0);
    const out = stripVTControlCharacters(stdout);
    const audited = out.split('\n').filter((l) => / INFO: AUDIT /.test(l));
    // pino-pretty's layout, not raw JSON: "[HH:MM:ss.l] INFO: AUDIT <action> <status> <resource> user=<id> {...}"
    for (const line of audited) {
      expect(line).toMatch(
        /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: AUDIT [A-Z_]+ (SUCCESS|FAILED) \S+ user=\S+/,
      );
    }
    expect(out.split('\n').some((l) => l.startsWith('{"level"'))).toBe(false);
    const kinds = new Set(audited.map((l) => l.split(' ').slice(3, 5).join(' ')));
    expect([...kinds].sort()).toEqual(
      [
        'ACCESS_DENIED FAILED',
        'AUDIT_START SUCCESS',
        'AUDIT_STOP SUCCESS',
        'CREATE FAILED',
        'CREATE SUCCESS',
        'DELETE FAILED',
        'DELETE SUCCESS',
        'LOGIN FAILED',
        'LOGIN SUCCESS',
        'LOGOUT FAILED',
        'LOGOUT SUCCESS',
        'READ FAILED',
        'READ SUCCESS',
      ].sort(),
    );
    expect(out).toMatch(/"mfa_used":true/);
    expect(out).toMatch(/"aborted":true/);
    expect(audited.at(-1)).toMatch(/AUDIT AUDIT_STOP SUCCESS .*"reason":"SIGTERM"/);
    expect(out).toContain('failed logins by client ip: 203.0.113.66 ×25');
    expect(out).toContain('AUDIT_STOP: written (SIGTERM)');
    expect(out).toMatch(
      /integrity: HMAC chain verified \(verifyAuditLog: \d+ audit lines, 0 issues\)/,
    );
    expect(out).toContain('server exit code: 0');
    // Issue #16: the trail is left as raw JSON lines, with the exact verify
    // command (and the key it used), and that command passes.
    const command =
      /\$ npx -y pnpm@10\.34\.8 --filter @auditline\/example-express-app exec auditline verify --key (\S+) (\S+demo-audit\.ndjson)\n/.exec(
        out,
      );
    expect(command, 'the demo prints the verify command').not.toBeNull();
    const [, key, file] = command as unknown as [string, string, string];
    const written = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(written.every((l) => l.startsWith('{'))).toBe(true);
    expect(written.filter((l) => l.includes('"audit":true')).length).toBeGreaterThan(20);
    expect(out).toMatch(/CLEAN/);
    expect(out).toContain('auditline verify exit code: 0');
    const again = spawnSync(process.execPath, [AUDITLINE, 'verify', '--key', key, file], {
      encoding: 'utf8',
    });
    expect(again.status, again.stdout + again.stderr).toBe(0);
  });
});
