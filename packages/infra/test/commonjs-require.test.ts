import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// SPEC §2: CJS callers work through require(esm) on Node 20.19+. A top-level
// await or a broken exports map would make this require() throw.

const SCRIPT = `
const infra = require('@auditline/infra');
const t = infra.auditInfrastructure({ service: 'cjs', alertEmail: 'ops@example.com' });
process.stdout.write(t.Resources[infra.LOGICAL_IDS.logGroup].Properties.LogGroupName);
`;

describe('CommonJS callers', () => {
  it('can require() @auditline/infra and build a template', () => {
    // Act: a CommonJS child resolving the package from this directory.
    const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', SCRIPT], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
    });
    // Assess
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('/ecs/cjs');
  });
});
