import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// SPEC §4.4 "Pretty mode": format pretty runs the real pino-pretty in-process
// (synchronously, so durability holds); it is the default on a TTY outside
// production; without pino-pretty installed, JSON with one coded warning.
const PRETTY = fileURLToPath(new URL('./fixtures/pretty.mjs', import.meta.url));
const CORE_DIR = fileURLToPath(new URL('..', import.meta.url));
const ESC = String.fromCharCode(27);
const stripAnsi = (text: string) => text.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');

describe('pretty output', () => {
  it('renders audit and app lines through real pino-pretty', async () => {
    const result = await runChild(PRETTY, [JSON.stringify({ format: 'pretty', service: 'shop' })]);
    const text = stripAnsi(result.lines.join('\n'));

    expect(result.code).toBe(0);
    expect(text).toMatch(/INFO.*AUDIT LOGIN FAILED \/api\/login user=alice/);
    expect(text).toContain('"reason":"bad password"');
    expect(text).toMatch(/INFO.*app says hi/);
    // Not JSON lines any more: pretty is for humans.
    expect(() => JSON.parse(result.lines[0] ?? '')).toThrow();
  });

  it('is the default on a TTY outside production, and JSON on a TTY in production', () => {
    const run = (nodeEnv: string) =>
      spawnSync('script', ['-qec', `node ${PRETTY} '{}'`, '/dev/null'], {
        env: { ...process.env, NODE_ENV: nodeEnv },
        encoding: 'utf8',
      }).stdout;

    expect(stripAnsi(run('development'))).toContain('AUDIT LOGIN FAILED');
    expect(run('production')).toContain('"action":"LOGIN"');
  });

  it('falls back to JSON with one warning when pino-pretty is not installed', async () => {
    // Prepare: a private install of core with pino and zod but no pino-pretty.
    const root = mkdtempSync(join(tmpdir(), 'auditline-no-pretty-'));
    const modules = join(root, 'node_modules');
    mkdirSync(join(modules, '@auditline', 'core'), { recursive: true });
    cpSync(join(CORE_DIR, 'dist'), join(modules, '@auditline', 'core', 'dist'), {
      recursive: true,
    });
    cpSync(join(CORE_DIR, 'package.json'), join(modules, '@auditline', 'core', 'package.json'));
    const requireFromCore = createRequire(join(CORE_DIR, 'package.json'));
    for (const dep of ['pino', 'zod']) {
      const pkg = realpathSync(dirname(requireFromCore.resolve(`${dep}/package.json`)));
      symlinkSync(pkg, join(modules, dep), 'dir');
    }
    const script = join(root, 'fixture.mjs');
    writeFileSync(
      script,
      `import { createAuditLogger } from '@auditline/core';
const a = createAuditLogger({ format: 'pretty' });
a.log({ action: 'LOGIN', resource: '/login', status: 'SUCCESS' });
a.close();
createAuditLogger({ format: 'pretty' });\n`,
    );

    // Act: NODE_PATH cleared, since `pnpm` sets it to its hoisted store, where pino-pretty is.
    const result = await runChild(script, [], { env: { NODE_PATH: '' } });

    // Assess: JSON lines, and the warning names its code and the fix.
    expect(result.code).toBe(0);
    expect(JSON.parse(result.lines[1] ?? '').action).toBe('LOGIN');
    expect(JSON.parse(result.lines[0] ?? '').details.format).toBe('json');
    expect(result.stderr).toContain('AUDITLINE_PRETTY_UNAVAILABLE');
    expect(result.stderr.match(/AUDITLINE_PRETTY_UNAVAILABLE/g)).toHaveLength(1);
  });
});
