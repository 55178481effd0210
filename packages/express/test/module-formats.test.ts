import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('the package in real processes', () => {
  it('works from CommonJS through require() (Node 20.19+ require(esm))', async () => {
    // Act: stdout is a pipe, as under the awslogs driver.
    const { stdout, stderr } = await run(process.execPath, [fixture('cjs-app.cjs')], {
      cwd: packageDir,
      timeout: 30_000,
      env: { ...process.env, NODE_ENV: 'production' },
    });

    // Assess
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const entry = lines.find((l) => l.audit === true && l.action === 'READ');
    expect(entry).toMatchObject({
      service: 'cjs-app',
      traceId: 'cjs-trace-1',
      // The canonical resource of the matched route carries no query (SPEC §3); path keeps it, redacted.
      resource: '/cjs',
      path: '/cjs?token=[REDACTED]',
      status: 'SUCCESS',
    });
    expect(stderr).toContain('BODY {"x-trace-id":"cjs-trace-1"}');
  });

  it('writes audit and app lines through real pino-pretty when format is pretty', async () => {
    // Act
    const { stdout } = await run(process.execPath, [fixture('pretty-app.mjs')], {
      cwd: packageDir,
      timeout: 30_000,
      env: { ...process.env, NODE_ENV: 'development' },
    });

    // Assess: human-readable, not JSON, and both kinds of line made it.
    expect(stdout).toMatch(/AUDIT ACCESS_DENIED FAILED \/pretty user=anonymous/);
    expect(stdout).toContain('"attempted_action":"READ"');
    expect(stdout).toContain('INFO: inside the handler');
    for (const line of stdout.split('\n')) expect(line.startsWith('{"')).toBe(false);
  });
});
