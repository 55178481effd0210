// Regenerates audit-infrastructure.yaml with the `auditline template` CLI of
// @auditline/infra, from the logger's own constants (issue #5). The drift test
// (examples/express-app/test/ecs/) runs `node generate.mjs --stdout` and fails
// when the checked-in file differs.
//
//   node examples/ecs/generate.mjs            write audit-infrastructure.yaml
//   node examples/ecs/generate.mjs --stdout   print it instead
//   node examples/ecs/generate.mjs --json     print the same template as JSON
//   node examples/ecs/generate.mjs --command  print the equivalent CLI command
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The template's options, as the README's `auditline template` command passes them. */
const TEMPLATE_ARGS = [
  'template',
  '--service',
  'example-shop',
  '--alert-email',
  'ops@example.com',
  '--emf',
  '--ecs-cluster',
  'shop-cluster',
];

const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, 'audit-infrastructure.yaml');

// examples/ecs is not a package; resolve the CLI through the example app, which depends on @auditline/infra.
const require = createRequire(join(here, '..', 'express-app', 'package.json'));
const infraManifest = require.resolve('@auditline/infra/package.json');
const cli = join(
  dirname(infraManifest),
  JSON.parse(readFileSync(infraManifest, 'utf8')).bin.auditline,
);

const mode = process.argv[2];
if (mode === '--command') {
  process.stdout.write(`auditline ${TEMPLATE_ARGS.join(' ')}\n`);
} else {
  const args = mode === '--json' ? [...TEMPLATE_ARGS, '--format', 'json'] : TEMPLATE_ARGS;
  const yaml = execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  if (mode === '--stdout' || mode === '--json') process.stdout.write(yaml);
  else {
    writeFileSync(output, yaml);
    process.stdout.write(`wrote ${output}\n`);
  }
}
