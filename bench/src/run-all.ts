import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runEmit } from './emit/driver.js';
import { runHttp } from './http/driver.js';
import { machineInfo } from './machine.js';
import { runMemory } from './memory/driver.js';
import { type DriverReport, type DriverSettings, table, verdict } from './report.js';
import { runVerify } from './verify/driver.js';

const DRIVERS: Readonly<Record<string, (settings: DriverSettings) => Promise<DriverReport>>> = {
  emit: runEmit,
  http: runHttp,
  memory: runMemory,
  verify: runVerify,
};

const USAGE = `usage: node dist/run-all.js [emit] [http] [memory] [verify] [--quick] [--rounds N] [--out FILE]
  no driver names: run all of them
  --quick   tiny sizes, one round (~10 s): checks the harness, not the numbers
  --out     markdown destination (default results/latest.md, or results/quick.md with --quick)
  --only     comma-separated contender/variant names, e.g. --only bare,audit,audit-null
  --profile run emit children under node --cpu-prof (results/profiles/) and add the top functions`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    out: { type: 'string' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const unknown = positionals.filter((name) => !(name in DRIVERS));
if (unknown.length > 0) {
  process.stderr.write(`unknown driver(s): ${unknown.join(', ')}\n${USAGE}\n`);
  process.exit(2);
}
const selected = positionals.length > 0 ? positionals : Object.keys(DRIVERS);
const quick = values.quick;
const benchRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const settings: DriverSettings = {
  quick,
  rounds: values.rounds === undefined ? undefined : Number(values.rounds),
  only: values.only === undefined ? undefined : values.only.split(','),
  profileDir: values.profile ? `${benchRoot}/results/profiles` : undefined,
  progress: (message) => process.stderr.write(`[bench] ${message}\n`),
};

const out = values.out ?? `${benchRoot}/results/${quick ? 'quick' : 'latest'}.md`;

const loadBefore = loadavg()[0] ?? Number.NaN;
const started = Date.now();
const startedAt = new Date(started).toISOString();
const reports: DriverReport[] = [];
for (const name of selected) {
  settings.progress(`${name}: starting`);
  reports.push(await DRIVERS[name]!(settings));
}
const seconds = (Date.now() - started) / 1000;
const loadAfter = loadavg()[0] ?? Number.NaN;

const machine = machineInfo();
const targets = reports.flatMap((r) => r.targets);
const markdown = [
  `# auditline bench results${quick ? ' (QUICK MODE: harness check only, numbers meaningless)' : ''}${values.profile ? ' (PROFILED: emit timings distorted by --cpu-prof)' : ''}`,
  '',
  `Run started ${startedAt}, took ${seconds.toFixed(0)} s on ${machine.cpus} × ${machine.cpuModel}, ${machine.memory} RAM, Node ${machine.node}, Linux ${machine.kernel}; 1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. Drivers: ${selected.join(', ')}.`,
  '',
  '## Targets (issue 6)',
  '',
  table(
    ['measure', 'target', 'measured', 'result'],
    targets.map((t) => [t.measure, t.target, t.measured, verdict(t.pass)]),
  ),
  '',
  ...reports.flatMap((r) => [r.markdown, '']),
].join('\n');

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, markdown);
writeFileSync(
  out.replace(/\.md$/, '.raw.json'),
  JSON.stringify({ machine, seconds, reports }, null, 2),
);
process.stdout.write(markdown);

// A full run of every driver to the default file also refreshes bench/README.md
// between its markers, so the README always holds the latest complete table (issue 6).
const README = `${benchRoot}/README.md`;
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';
if (!quick && values.out === undefined && positionals.length === 0 && existsSync(README)) {
  const readme = readFileSync(README, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from !== -1 && to > from) {
    // Demote the headings one level so they nest under the README's own section.
    const body = markdown.replace(/^(#+) /gm, '#$1 ');
    writeFileSync(README, `${readme.slice(0, from + START.length)}\n${body}\n${readme.slice(to)}`);
    settings.progress('README.md updated');
  }
}
