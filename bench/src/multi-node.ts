import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MachineInfo } from './machine.js';
import { type NodeBinary, versionOf } from './node-binary.js';
import { type DriverReport, table, verdict } from './report.js';

/** What one run of `run-all` leaves in its `*.raw.json`. */
export interface RunRecord {
  readonly machine: MachineInfo;
  readonly startedAt: string;
  readonly seconds: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly drivers: readonly string[];
  readonly reports: readonly DriverReport[];
}

/** One version's run inside a multi-node run. */
export interface NodeRun {
  readonly version: string;
  readonly binary: NodeBinary;
  readonly record?: RunRecord;
  readonly error?: string;
}

/**
 * Runs this same `run-all` under each binary in turn, one after the other, each
 * with `--node <its path>` and its own `--out`, and collects their raw records.
 * Every child of those runs (contenders, servers, the verify CLI) is spawned with
 * `process.execPath`, so the whole driver measures that version (issue #15).
 */
export async function runUnderEach(
  script: string,
  args: readonly string[],
  binaries: readonly NodeBinary[],
  progress: (message: string) => void,
): Promise<NodeRun[]> {
  const dir = mkdtempSync(join(tmpdir(), 'auditline-bench-nodes-'));
  const runs: NodeRun[] = [];
  try {
    for (const [i, binary] of binaries.entries()) {
      const version = versionOf(binary);
      progress(`Node ${version} (${binary.path}): starting`);
      const out = join(dir, `run-${i}.md`);
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(binary.path, [script, ...args, '--node', binary.path, '--out', out], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.once('error', reject);
        child.once('exit', (status) => resolve(status));
      });
      try {
        const record = JSON.parse(readFileSync(out.replace(/\.md$/, '.raw.json'), 'utf8'));
        runs.push({ version, binary, record: record as RunRecord });
      } catch (error) {
        runs.push({ version, binary, error: `exit ${code}: ${(error as Error).message}` });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}

/** `# Heading` → `## Heading`: a section nested one level deeper. */
function demote(markdown: string, levels = 1): string {
  return markdown.replace(/^(#+) /gm, `${'#'.repeat(levels)}$1 `);
}

/**
 * One report for every version: the targets side by side, the primary version's
 * column first (SPEC §10: Node 24 first, Node 20 beside it), then each version's
 * driver sections under its own heading.
 */
export function combinedMarkdown(runs: readonly NodeRun[], title: string): string {
  const measures: { measure: string; target: string }[] = [];
  for (const run of runs) {
    for (const report of run.record?.reports ?? []) {
      for (const t of report.targets) {
        if (!measures.some((m) => m.measure === t.measure)) {
          measures.push({ measure: t.measure, target: t.target });
        }
      }
    }
  }
  const cell = (run: NodeRun, measure: string): [string, string] => {
    const t = run.record?.reports.flatMap((r) => r.targets).find((x) => x.measure === measure);
    return t ? [t.measured, verdict(t.pass)] : ['n/a', verdict(undefined)];
  };
  const header = ['measure', 'target', ...runs.flatMap((r) => [`Node ${r.version}`, 'result'])];
  const rows = measures.map((m) => [
    m.measure,
    m.target,
    ...runs.flatMap((r) => cell(r, m.measure)),
  ]);
  const machine = runs.find((r) => r.record)?.record?.machine;
  const lines = runs.map((r) =>
    r.record
      ? `- Node ${r.version}: started ${r.record.startedAt}, took ${r.record.seconds.toFixed(0)} s, drivers ${r.record.drivers.join(', ')}; 1-min load average ${r.record.loadBefore.toFixed(2)} before, ${r.record.loadAfter.toFixed(2)} after.`
      : `- Node ${r.version}: FAILED (${r.error})`,
  );
  return [
    title,
    '',
    `${runs.map((r) => `Node ${r.version}`).join(' first, then ')}, one run per version one after the other, on ${machine ? `${machine.cpus} × ${machine.cpuModel}, ${machine.memory} RAM, Linux ${machine.kernel}` : 'this machine'}. Ratios compare contenders within one version's run; across versions compare ratios, not absolute times (the load differs between the runs).`,
    '',
    ...lines,
    '',
    '## Targets (SPEC §10, issue #15)',
    '',
    table(header, rows),
    '',
    ...runs.flatMap((r) => [
      `## Node ${r.version}`,
      '',
      ...(r.record?.reports ?? []).flatMap((report) => [demote(report.markdown), '']),
    ]),
  ].join('\n');
}
