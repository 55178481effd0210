#!/usr/bin/env node
// `auditline <command>`: `template` (issue #5) and `verify` (issue #7).
// Each subcommand lives in its own file and exports `run(argv): Promise<number>` (the exit code).
const [command, ...rest] = process.argv.slice(2);

const commands: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  template: () => import('./template-command.js'),
  verify: () => import('./verify-command.js'),
};

const load = command ? commands[command] : undefined;
if (!load) {
  process.stderr.write(
    'usage: auditline template --service NAME --alert-email ADDR [--format yaml|json] [--emf] [--archive]\n' +
      '       auditline verify [--key KEY | --key-file F | --keys-json F] [--json] [--partial] [files...]\n',
  );
  process.exitCode = 2;
} else {
  const { run } = await load();
  process.exitCode = await run(rest);
}
