#!/usr/bin/env node
// `auditline <command>`: `template` (issue #5), `grafana` (issue #17) and `verify` (issue #7).
// Each subcommand lives in its own file and exports `run(argv): Promise<number>` (the exit code).
// Conventions (issue #16): help and version go to stdout with exit 0; a usage
// error is one line naming what was typed (with the nearest match), then a
// pointer to `--help`, exit 2.
import { createRequire } from 'node:module';
import { usageErrorText } from './cli-args.js';
import { nearestMatch } from './nearest-match.js';

interface Subcommand {
  readonly summary: string;
  readonly load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

const COMMANDS: Readonly<Record<string, Subcommand>> = {
  template: {
    summary: 'print the CloudFormation template of the audit stack (YAML or JSON)',
    load: () => import('./template-command.js'),
  },
  grafana: {
    summary: 'print (or --post) the Amazon Managed Grafana dashboard of the audit trail',
    load: () => import('./grafana-command.js'),
  },
  verify: {
    summary: 'check seq gaps, the HMAC chain and AUDIT_STOP of audit lines (exit 0/1/2)',
    load: () => import('./verify-command.js'),
  },
};

const USAGE = `usage: auditline <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`)
  .join('\n')}

Options:
  -h, --help   show this help (also: auditline help [command])
  --version    print the version of @auditline/infra

Run 'auditline <command> --help' for the options of a command.
Run it as \`npx @auditline/infra <command>\`, or where the package is installed,
\`pnpm exec auditline <command>\` (never an unscoped \`npx auditline\`).
`;

function version(): string {
  // dist/cli.js → the package's own manifest, which ships in every tarball.
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      process.stdout.write(USAGE);
      return 0;
    }
    const sub = COMMANDS[topic];
    if (sub !== undefined) return (await sub.load()).run(['--help']);
    return unknownCommand(topic);
  }
  if (first.startsWith('-')) {
    const near = nearestMatch(first.replace(/^-+/, ''), ['help', 'version']);
    return usageError(
      `unknown option ${first}${near === undefined ? '' : ` (did you mean --${near}?)`}`,
    );
  }
  const sub = COMMANDS[first];
  if (sub === undefined) return unknownCommand(first);
  return (await sub.load()).run(rest);
}

function unknownCommand(typed: string): number {
  const near = nearestMatch(typed, [...Object.keys(COMMANDS), 'help']);
  return usageError(
    `unknown command "${typed}"${near === undefined ? '' : ` (did you mean "${near}"?)`}`,
  );
}

function usageError(message: string): number {
  process.stderr.write(usageErrorText('auditline', message));
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
