import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_PACKAGES, REPO_ROOT } from './packed-projects.js';
import { runCommand, strangerEnvironment } from './run-command.js';

// The release flow's last step, rehearsed in CI (issue #16): `pnpm publish -r
// --dry-run` packs and "publishes" every public package without network
// publish and without npm auth. `--no-git-checks` because CI runs on a
// detached or dirty checkout.

describe('pnpm publish -r --dry-run', () => {
  it('publishes exactly the four public packages, at their manifest versions, without auth', async () => {
    // Act
    const result = await runCommand(
      'npx',
      ['-y', 'pnpm@10.34.8', 'publish', '-r', '--dry-run', '--no-git-checks'],
      {
        cwd: REPO_ROOT,
        env: strangerEnvironment({ NPM_CONFIG_USERCONFIG: '/dev/null' }),
        timeoutMs: 180_000,
      },
    );
    // Assess
    expect(result.code, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    const published = [...output.matchAll(/^\+ (@auditline\/[a-z-]+)@(\S+)$/gm)].map(
      (m) => `${m[1]}@${m[2]}`,
    );
    const expected = PUBLIC_PACKAGES.map((name) => {
      const { version } = JSON.parse(
        readFileSync(join(REPO_ROOT, 'packages', name, 'package.json'), 'utf8'),
      ) as { version: string };
      return `@auditline/${name}@${version}`;
    });
    expect(published.sort()).toEqual(expected.sort());
    // Private workspace packages (examples, bench, these tests) never go out.
    expect(output).not.toMatch(/example-express-app|@auditline\/bench|consumer-tests/);
    // Scoped packages are private on npm unless published with public access.
    expect(output).toContain('public access (dry-run)');
  });
});
