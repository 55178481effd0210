import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Issue #14: "each package's root exports what its README documents, and no
// more". Every runtime name a root exports is bound by semver, so it must be
// one a user can read about; internals the siblings need live in
// `@auditline/core/internal`, test helpers in `./testing`. The documented list
// is the README's "Exports" section: every `name` in backticks there.

const PACKAGES = ['core', 'express', 'emf', 'infra'] as const;

function documentedExports(name: (typeof PACKAGES)[number]): string[] {
  const readme = readFileSync(
    new URL(`../../../packages/${name}/README.md`, import.meta.url),
    'utf8',
  );
  const start = readme.indexOf('\n## Exports\n');
  expect(start, `packages/${name}/README.md has no "## Exports" section`).toBeGreaterThan(-1);
  const rest = readme.slice(start + 1);
  const end = rest.indexOf('\n## ', 3);
  const section = end === -1 ? rest : rest.slice(0, end);
  // Only the root's list: what follows "Subpaths:" or a ### heading documents subpaths and types.
  const rootList = section.split(/\nSubpaths:|\n### /)[0] ?? '';
  return [...rootList.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1] as string).sort();
}

describe.each(PACKAGES)('@auditline/%s', (name) => {
  it('exports from its root exactly the runtime names its README lists under "Exports"', async () => {
    // Act
    const actual = Object.keys(await import(`@auditline/${name}`)).sort();
    // Assess: a name missing from the README is an undocumented semver promise;
    // a listed name the root lacks is documentation of something that is gone.
    expect(actual).toEqual([...new Set(documentedExports(name))]);
  });
});

describe('@auditline/core/internal', () => {
  it('is documented as carrying no semver promise', () => {
    const readme = readFileSync(
      new URL('../../../packages/core/README.md', import.meta.url),
      'utf8',
    );
    expect(readme).toMatch(/### `@auditline\/core\/internal`[\s\S]*no semver promise/i);
  });
});
