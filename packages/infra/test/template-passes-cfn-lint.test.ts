import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTemplate } from '@auditline/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_OPTIONS, TEMPLATE_VARIANTS } from './helpers/template-variants.js';

// Issue #17: cfn-lint rejected every generated template (E3002 on dashboard Tags)
// while @aws/cloudformation-validate passed, so the tests never saw it. This runs
// the real cfn-lint on every variant and on the checked-in example. Where cfn-lint
// is not installed the suite is skipped, and says why.

const CHECKED_IN = fileURLToPath(
  new URL('../../../examples/ecs/audit-infrastructure.yaml', import.meta.url),
);

function cfnLintVersion(): string | undefined {
  const r = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const version = cfnLintVersion();
if (!version) {
  process.stderr.write(
    'template-passes-cfn-lint: skipped, `cfn-lint` is not on PATH (pip install cfn-lint to run it)\n',
  );
}

describe.skipIf(!version)(`generated templates pass ${version ?? 'cfn-lint'}`, () => {
  const cases = TEMPLATE_VARIANTS.flatMap((v) =>
    (['yaml', 'json'] as const).map((format) => ({ ...v, format })),
  );
  let dir: string;
  let fileOf: Map<string, string>;
  let findings: string[];

  beforeAll(() => {
    // Prepare: every variant in both formats, plus dashboard Tags, the one option
    // left out of the variants.
    dir = mkdtempSync(join(tmpdir(), 'auditline-cfn-lint-'));
    fileOf = new Map();
    for (const { name, options, format } of cases) {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.${format}`);
      writeFileSync(file, renderTemplate(options, format));
      fileOf.set(`${name} ${format}`, file);
    }
    const tagged = join(dir, 'dashboard-tags.yaml');
    writeFileSync(tagged, renderTemplate({ ...BASE_OPTIONS, dashboardTags: true }));
    fileOf.set('dashboard-tags', tagged);
    // Act: one cfn-lint run over all files (each start costs seconds); the
    // parseable format prints one `file:line:col:…:RULE:message` line per finding.
    const r = spawnSync(
      'cfn-lint',
      ['--format', 'parseable', '--', ...fileOf.values(), CHECKED_IN],
      {
        encoding: 'utf8',
      },
    );
    findings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const findingsFor = (file: string) => findings.filter((l) => l.startsWith(`${file}:`));

  // Assess: any finding (error, warning or informational) fails.
  it.each(cases)('$name ($format)', ({ name, format }) => {
    expect(findingsFor(fileOf.get(`${name} ${format}`) ?? '?')).toEqual([]);
  });

  it('the checked-in examples/ecs/audit-infrastructure.yaml', () => {
    expect(findingsFor(CHECKED_IN)).toEqual([]);
  });

  it('flags dashboard Tags, the reason they are opt-in (the check is live)', () => {
    const found = findingsFor(fileOf.get('dashboard-tags') ?? '?');
    expect(found.some((l) => l.includes(':E3002:') && l.includes('Tags'))).toBe(true);
  });

  it('reports nothing it could not attribute to a file', () => {
    // A crash or a parse failure prints lines that name no input file.
    const files = [...fileOf.values(), CHECKED_IN];
    expect(findings.filter((l) => !files.some((f) => l.startsWith(`${f}:`)))).toEqual([]);
  });
});
