import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runEmit } from './emit/driver.js';
import { runHttp } from './http/driver.js';
import { machineInfo } from './machine.js';
import { runMemory } from './memory/driver.js';
import { combinedMarkdown, type RunRecord, runUnderEach } from './multi-node.js';
import { defaultNodeSpecs, isCurrentNode, resolveNode } from './node-binary.js';
import { type DriverReport, type DriverSettings, table, verdict } from './report.js';
import { runVerify } from './verify/driver.js';

const DRIVERS: Readonly<Record<string, (settings: DriverSettings) => Promise<DriverReport>>> = {
  emit: runEmit,
  http: runHttp,
  memory: runMemory,
  verify: runVerify,
};

const USAGE = `usage: node dist/run-all.js [emit] [http] [memory] [verify] [--quick] [--rounds N] [--out FILE] [--node V,...]
  no driver names: run all of them
  --node    comma-separated Node versions (24.22.3, 20), paths to node binaries, or current;
            each runs the drivers in turn, the first is the headline. A version is fetched
            from npm into .cache/node/ by .ci/fetch-node.sh unless the machine's node is it.
            Default: the first two of .ci/node-versions (Node 24, then 20) for a full run,
            current with --quick
  --quick   tiny sizes, one round (~10 s): checks the harness, not the numbers
  --out     markdown destination (default results/latest.md, or results/quick.md with --quick)
  --only    comma-separated contender/variant names, e.g. --only audit,audit-null
            (http always adds its baselines: bare, pino-http, naive)
  --profile run emit children under node --cpu-prof (results/profiles/) and add the top functions`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    out: { type: 'string' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    node: { type: 'string' },
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
const nodeSpecs = values.node?.split(',') ?? (quick ? ['current'] : defaultNodeSpecs());
const binaries = nodeSpecs.map(resolveNode);

let markdown: string;
let raw: unknown;
if (binaries.length === 1 && isCurrentNode(binaries[0]!)) {
  const record = await runHere();
  markdown = singleMarkdown(record);
  raw = record;
} else {
  // issue #15: the same drivers under each binary, the first one's column first.
  const passOn = process.argv.slice(2).flatMap((arg, i, all) => {
    if (arg === '--node' || arg === '--out') return [];
    if (all[i - 1] === '--node' || all[i - 1] === '--out') return [];
    if (arg.startsWith('--node=') || arg.startsWith('--out=')) return [];
    return [arg];
  });
  const runs = await runUnderEach(
    fileURLToPath(import.meta.url),
    passOn,
    binaries,
    settings.progress,
  );
  markdown = combinedMarkdown(runs, title());
  raw = { runs };
  if (runs.some((r) => r.record === undefined)) process.exitCode = 1;
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, markdown);
writeFileSync(out.replace(/\.md$/, '.raw.json'), JSON.stringify(raw, null, 2));
process.stdout.write(markdown);

function title(): string {
  return `# auditline bench results${quick ? ' (QUICK MODE: harness check only, numbers meaningless)' : ''}${values.profile ? ' (PROFILED: emit timings distorted by --cpu-prof)' : ''}`;
}

/** Every selected driver, in this process's node. */
async function runHere(): Promise<RunRecord> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const started = Date.now();
  const reports: DriverReport[] = [];
  for (const name of selected) {
    settings.progress(`${name}: starting`);
    reports.push(await DRIVERS[name]!(settings));
  }
  return {
    machine: machineInfo(),
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    loadBefore,
    loadAfter: loadavg()[0] ?? Number.NaN,
    drivers: selected,
    reports,
  };
}

function singleMarkdown(record: RunRecord): string {
  const { machine } = record;
  return [
    title(),
    '',
    `Run started ${record.startedAt}, took ${record.seconds.toFixed(0)} s on ${machine.cpus} × ${machine.cpuModel}, ${machine.memory} RAM, Node ${machine.node}, Linux ${machine.kernel}; 1-min load average ${record.loadBefore.toFixed(2)} before, ${record.loadAfter.toFixed(2)} after. Drivers: ${record.drivers.join(', ')}.`,
    '',
    '## Targets (SPEC §10, issue #15)',
    '',
    table(
      ['measure', 'target', 'measured', 'result'],
      record.reports
        .flatMap((r) => r.targets)
        .map((t) => [t.measure, t.target, t.measured, verdict(t.pass)]),
    ),
    '',
    ...record.reports.flatMap((r) => [r.markdown, '']),
  ].join('\n');
}

// A full run of every driver to the default file also refreshes bench/README.md
// between its markers, so the README always holds the latest complete table (issue #6).
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
