import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The `auditline` bin as a user's shell runs it (issue #16): the package's
// declared bin in a child process, with exit codes. Help and version belong on
// stdout with exit 0 (so `pnpm exec auditline --help` is not a failure); usage
// errors are one line naming what was typed plus a pointer to --help, exit 2.

const require = createRequire(import.meta.url);
const PACKAGE_DIR = dirname(require.resolve('@auditline/infra/package.json'));
const MANIFEST = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  version: string;
  bin: { auditline: string };
};
const BIN = join(PACKAGE_DIR, MANIFEST.bin.auditline);

function auditline(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const VALID = ['--service', 'my-app', '--alert-email', 'ops@example.com'];

describe('auditline help and version', () => {
  it.each([['--help'], ['-h'], ['help']])(
    '%s prints the command list on stdout and exits 0 (exit 2 made `pnpm exec` report a failure)',
    (flag) => {
      const r = auditline(flag);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^usage: auditline <command>/);
      expect(r.stdout).toContain('template');
      expect(r.stdout).toContain('verify');
      expect(r.stdout).toContain('npx @auditline/infra');
    },
  );

  it.each([['template'], ['verify']])(
    '`help %s` prints that command’s help on stdout and exits 0',
    (command) => {
      const r = auditline('help', command);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`usage: auditline ${command}`);
    },
  );

  it('--version prints the installed package version and exits 0', () => {
    const r = auditline('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${MANIFEST.version}\n`);
  });

  it('no command at all is a usage error: the short help on stderr, exit 2', () => {
    const r = auditline();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage: auditline <command>/);
  });
});

describe('auditline usage errors: one line, the nearest match, a pointer, exit 2', () => {
  it.each([
    [['templat'], 'auditline: unknown command "templat" (did you mean "template"?)', 'auditline'],
    [['verfiy'], 'auditline: unknown command "verfiy" (did you mean "verify"?)', 'auditline'],
    [['--hlep'], 'auditline: unknown option --hlep (did you mean --help?)', 'auditline'],
    [['frobnicate'], 'auditline: unknown command "frobnicate"', 'auditline'],
    [
      ['template', ...VALID, '--servce', 'x'],
      'auditline template: unknown option --servce (did you mean --service?)',
      'auditline template',
    ],
    [
      ['template', ...VALID, '--alert-emial', 'x'],
      'auditline template: unknown option --alert-emial (did you mean --alert-email?)',
      'auditline template',
    ],
    [
      ['verify', '--kye', 'k'],
      'auditline verify: unknown option --kye (did you mean --key?)',
      'auditline verify',
    ],
    [
      ['template', ...VALID, '--failed-logins-threshold', '-5'],
      // Node's parseArgs called this "argument is ambiguous": a negative number is a bad value.
      'auditline template: --failed-logins-threshold needs a whole number of 0 or more, got "-5"',
      'auditline template',
    ],
    [
      ['template', ...VALID, '--silent-stream-minutes=7'],
      // The library option is silentStreamMinutes; the user typed the flag.
      'auditline template: --silent-stream-minutes "7" is not valid: use a multiple of 5',
      'auditline template',
    ],
    [
      ['template', '--service', '--alert-email', 'ops@example.com'],
      'auditline template: --service needs a value',
      'auditline template',
    ],
    [
      ['template', ...VALID, '--emf=yes'],
      'auditline template: --emf takes no value',
      'auditline template',
    ],
  ])('%j', (args, firstLine, command) => {
    // Act
    const r = auditline(...args);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(firstLine);
    expect(lines[1]).toBe(`Run '${command} --help' for usage.`);
  });

  it('an unrelated word gets no misleading "did you mean"', () => {
    const r = auditline('template', ...VALID, '--zzzzzz');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option --zzzzzz');
    expect(r.stderr).not.toContain('did you mean');
  });

  it('a value that starts with a dash reaches a string flag as typed', () => {
    // `--log-group-name -x` must be a value error about "-x", not "unknown option -x".
    const r = auditline('template', ...VALID, '--log-group-name', '-bad name');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--log-group-name "-bad name" is not valid');
  });
});
