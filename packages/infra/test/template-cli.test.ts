import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { auditInfrastructure } from '@auditline/infra';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// `auditline template …` run as users run it: the built bin in a child process
// with piped stdout/stderr (STYLE "Tests").

const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('@auditline/infra/package.json')), 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'template', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('auditline template', () => {
  it('prints the YAML template and exits 0', () => {
    // Act
    const r = cli('--service', 'my-app', '--alert-email', 'ops@example.com');
    // Assess
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(parse(r.stdout)).toEqual(
      JSON.parse(
        JSON.stringify(auditInfrastructure({ service: 'my-app', alertEmail: 'ops@example.com' })),
      ),
    );
  });

  it('prints JSON with --format json and passes the feature flags through', () => {
    const r = cli(
      '--service',
      'my-app',
      '--alert-email',
      'ops@example.com',
      '--format',
      'json',
      '--emf',
      '--archive',
      '--retention-days',
      '731',
      '--failed-logins-threshold',
      '7',
    );
    expect(r.code).toBe(0);
    const expected = auditInfrastructure({
      service: 'my-app',
      alertEmail: 'ops@example.com',
      emf: true,
      archive: true,
      retentionInDays: 731,
      thresholds: { failedLogins: 7 },
    });
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it.each([
    [['--alert-email', 'ops@example.com'], '--service is required'],
    [['--service', 'my-app'], '--alert-email is required'],
    [
      ['--service', 'my-app', '--alert-email', 'ops@example.com', '--format', 'xml'],
      '--format must be yaml or json',
    ],
    [
      ['--service', 'my-app', '--alert-email', 'ops@example.com', '--retention-days', '42'],
      '--retention-days "42" is not valid: CloudWatch accepts only 1, 3,',
    ],
    [
      ['--service', 'my-app', '--alert-email', 'ops@example.com', '--retention-days', 'ten'],
      '--retention-days needs a whole number of 0 or more, got "ten"',
    ],
    [['--service', 'my-app', '--alert-email', 'ops@example.com', '--bogus'], '--bogus'],
  ])('exits 2 with a message for %j', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    // Issue #16: the error names the flag as typed and points at --help,
    // instead of reprinting the 20-line help after every mistake.
    expect(r.stderr).toContain("Run 'auditline template --help' for usage.");
    expect(r.stderr).not.toContain('usage: auditline template');
    expect(r.stderr).not.toContain('retentionInDays');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(2);
  });

  it('prints help on --help and exits 0', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--alert-email');
  });
});
