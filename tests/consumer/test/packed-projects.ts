import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSucceeded, runCommand, strangerEnvironment } from './run-command.js';

/** The repository root, two levels above `tests/consumer/test`. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The packages a user installs from the registry (SPEC §2). */
export const PUBLIC_PACKAGES = ['core', 'express', 'emf', 'infra'] as const;

/** The pnpm the README pins; corepack cannot fetch pnpm here. */
const PNPM = ['-y', 'pnpm@10.34.8'];

/** One fresh npm project made from a fixture folder and the tarballs. */
export interface InstalledProject {
  readonly fixture: string;
  readonly dir: string;
}

/** A temp folder outside the workspace holding the tarballs and the installed projects. */
export interface PackedWorkspace {
  readonly root: string;
  readonly tarballs: Readonly<Record<(typeof PUBLIC_PACKAGES)[number], string>>;
}

/**
 * `pnpm pack` of every public package (pnpm rewrites `workspace:*` to the real
 * version; `npm pack` leaves it and the tarball cannot be installed, issue #16).
 * The packages must have been built (`pnpm test` builds first).
 */
export async function packPublicPackages(): Promise<PackedWorkspace> {
  const root = mkdtempSync(join(tmpdir(), 'auditline-consumer-'));
  const destination = join(root, 'tarballs');
  await Promise.all(
    PUBLIC_PACKAGES.map(async (name) =>
      assertSucceeded(
        `pnpm pack ${name}`,
        await runCommand('npx', [...PNPM, 'pack', '--pack-destination', destination], {
          cwd: join(REPO_ROOT, 'packages', name),
          env: strangerEnvironment(),
          timeoutMs: 120_000,
        }),
      ),
    ),
  );
  const files = readdirSync(destination);
  const tarballs = Object.fromEntries(
    PUBLIC_PACKAGES.map((name) => {
      const file = files.find((f) => f.startsWith(`auditline-${name}-`) && f.endsWith('.tgz'));
      if (file === undefined) throw new Error(`pnpm pack left no tarball for ${name} in ${files}`);
      return [name, join(destination, file)];
    }),
  ) as PackedWorkspace['tarballs'];
  return { root, tarballs };
}

/**
 * Copies `fixtures/<fixture>` next to the tarballs, adds the four packages as
 * `file:` dependencies, and runs `npm install` there. npm uses its one shared
 * cache (`~/.npm`), so a second run installs offline-fast.
 */
export async function installFixture(
  packed: PackedWorkspace,
  fixture: string,
): Promise<InstalledProject> {
  const dir = join(packed.root, fixture);
  cpSync(fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url)), dir, {
    recursive: true,
  });
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  manifest.dependencies = {
    ...manifest.dependencies,
    ...Object.fromEntries(
      PUBLIC_PACKAGES.map((name) => [`@auditline/${name}`, `file:${packed.tarballs[name]}`]),
    ),
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  assertSucceeded(
    `npm install in ${fixture}`,
    await runCommand(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      { cwd: dir, timeoutMs: 300_000 },
    ),
  );
  return { fixture, dir };
}
