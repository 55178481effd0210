import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEcs } from './ecs-files.js';

// SPEC §2 and issue #15: Node 24 LTS is the primary runtime, the one in the example
// image and the one CI tests first; Node 20.19+ and 22 stay supported and tested.
const repoFile = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../../${path}`, import.meta.url)), 'utf8');

const ciVersions = (): string[] =>
  repoFile('.ci/node-versions')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

const major = (version: string): string => version.split('.')[0] ?? '';

describe('the Node versions the example image runs and CI tests', () => {
  it('builds the example image on the version CI tests first, a Node 24 release', () => {
    // Prepare
    const [primary] = ciVersions();
    const arg = /^ARG NODE_VERSION=(\S+)$/m.exec(readEcs('Dockerfile'))?.[1];

    // Assess: if they differ, the image ships a runtime the suite never ran on.
    expect(primary).toMatch(/^24\.\d+\.\d+$/);
    expect(arg).toBe(primary);
    expect(readEcs('Dockerfile')).toMatch(/^FROM node:\$\{NODE_VERSION\}-/m);
  });

  it('tests every supported major: 24 first, then 20 and 22', () => {
    // Assess: dropping one would leave a version the engines range promises untested.
    const majors = ciVersions().map(major);
    expect(majors[0]).toBe('24');
    expect([...majors].sort()).toEqual(['20', '22', '24']);
  });

  it('keeps engines at >=20.19.0 in every published package', () => {
    // Assess: require(esm) without a flag needs 20.19 (SPEC §2); Node 24 first is no reason to drop 20.
    for (const name of ['core', 'express', 'emf', 'infra']) {
      const manifest = JSON.parse(repoFile(`packages/${name}/package.json`)) as {
        engines?: { node?: string };
      };
      expect(manifest.engines?.node, name).toBe('>=20.19.0');
    }
  });
});

// .ci/run sets AUDITLINE_CI_NODE to the version each pass means to test (issue #15).
const ciNode = process.env.AUDITLINE_CI_NODE;

describe.runIf(ciNode)('the Node version this CI pass runs on', () => {
  it('is the one .ci/run chose, for the test process and for a child spawned as `node`', () => {
    // Act: tests spawn children both as process.execPath and as `node` from PATH.
    const execPathChild = execFileSync(process.execPath, ['-p', 'process.version'], {
      encoding: 'utf8',
    }).trim();
    const pathChild = execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim();

    // Assess: otherwise a pass labelled Node 20 would have tested another runtime.
    expect(process.version).toBe(ciNode);
    expect(execPathChild).toBe(ciNode);
    expect(pathChild).toBe(ciNode);
  });
});
