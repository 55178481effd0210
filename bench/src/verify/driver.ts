import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_HMAC_KEY } from '../entry.js';
import { capture, exited, script } from '../proc.js';
import { type DriverReport, type DriverSettings, type TargetResult, table } from '../report.js';
import { fmt, fmtSummary, mib, summarize } from '../stats.js';

/** Lines in the verified file. */
const FULL_LINES = 200_000;
const QUICK_LINES = 2_000;
const FULL_ROUNDS = 3;
/** SPEC §10 (issue #15): `verify` with the key must handle at least 300,000 lines per second. */
const TARGET_LINES_PER_SECOND = 300_000;

/** The CLI, from the workspace layout (bench does not depend on @auditline/infra). */
const CLI = join(
  dirname(dirname(dirname(fileURLToPath(import.meta.url)))),
  '..',
  'packages',
  'infra',
  'dist',
  'cli.js',
);

async function generate(file: string, lines: number, chained: boolean): Promise<void> {
  const fd = openSync(file, 'w');
  try {
    const child = spawn(
      process.execPath,
      [script(import.meta.url, './generate.js'), String(lines), chained ? 'chain' : 'plain'],
      {
        stdio: ['ignore', fd, 'pipe'],
      },
    );
    const stderr = capture(child.stderr);
    const { code } = await exited(child);
    if (code !== 0) throw new Error(`generator exited ${code}: ${stderr()}`);
  } finally {
    closeSync(fd);
  }
}

interface VerifyRun {
  readonly seconds: number;
  /** The child's user + system CPU time (its own `process.cpuUsage()` at exit), NaN if not reported. */
  readonly cpuSeconds: number;
  readonly code: number | null;
  readonly stderr: string;
}

/** Preloaded into the child: reports its CPU time on fd 3 at exit. */
const CPU_AT_EXIT = pathToFileURL(script(import.meta.url, './cpu-at-exit.js')).href;

function cpuSecondsOf(text: string): number {
  try {
    const { user, system } = JSON.parse(text) as { user: number; system: number };
    return (user + system) / 1e6;
  } catch {
    return Number.NaN;
  }
}

async function verifyOnce(file: string, withKey: boolean): Promise<VerifyRun> {
  const args = [
    '--import',
    CPU_AT_EXIT,
    CLI,
    'verify',
    '--json',
    ...(withKey ? ['--key', BENCH_HMAC_KEY] : []),
    file,
  ];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    // Without a key the CLI would fall back to the environment; keep it out.
    env: { ...process.env, AUDIT_HMAC_KEY: '' },
  });
  const stderr = capture(child.stderr);
  const cpu = capture(child.stdio[3] as NodeJS.ReadableStream | null);
  const { code } = await exited(child);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuSeconds: cpuSecondsOf(cpu()),
    code,
    stderr: stderr(),
  };
}

/**
 * `verify` throughput (issue #7): `auditline verify` as a real child process on a
 * chained log file, wall time including Node start-up.
 */
export async function runVerify(settings: DriverSettings): Promise<DriverReport> {
  const lines = settings.quick ? QUICK_LINES : FULL_LINES;
  const rounds = settings.rounds ?? (settings.quick ? 1 : FULL_ROUNDS);
  if (!existsSync(CLI)) {
    return {
      name: 'verify',
      markdown: `## verify\n\nskipped: ${CLI} is not built.`,
      targets: [],
      raw: null,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'auditline-bench-verify-'));
  const chainedFile = join(dir, 'chained.ndjson');
  const plainFile = join(dir, 'plain.ndjson');
  try {
    await generate(chainedFile, lines, true);
    await generate(plainFile, lines, false);
    const size = statSync(chainedFile).size;
    const modes = [
      { label: 'chained log, with key (HMAC chain + seq)', withKey: true, file: chainedFile },
      { label: 'log without chain, no key (seq only)', withKey: false, file: plainFile },
    ];
    const results = new Map<string, VerifyRun[]>();
    for (let round = 0; round < rounds; round++) {
      for (const mode of modes) {
        const run = await verifyOnce(mode.file, mode.withKey);
        results.set(mode.label, [...(results.get(mode.label) ?? []), run]);
        settings.progress(
          `verify round ${round + 1}/${rounds} ${mode.label}: ${fmt(lines / run.seconds)} lines/s, ${fmt(run.cpuSeconds * 1000)} ms CPU, exit ${run.code}`,
        );
      }
    }
    // +2: AUDIT_START and AUDIT_STOP are lines too.
    const total = lines + 2;
    const rows = modes.map((mode) => {
      const runs = results.get(mode.label) ?? [];
      const rate = summarize(runs.map((r) => total / r.seconds));
      const cpuRate = summarize(runs.map((r) => total / r.cpuSeconds));
      const cpuMs = summarize(runs.map((r) => r.cpuSeconds * 1000));
      const codes = [...new Set(runs.map((r) => r.code))].join(', ');
      return { mode, rate, cpuRate, cpuMs, codes, runs };
    });
    const keyed = rows[0]!;
    const keyedClean = rows.every((row) => row.runs.every((r) => r.code === 0));
    const targets: TargetResult[] = [
      {
        measure: '`auditline verify` throughput (with key)',
        target: `≥ ${TARGET_LINES_PER_SECOND.toLocaleString('en-US')} lines/s, exit 0`,
        measured: `${fmt(keyed.rate.median)} lines/s, exit ${keyed.codes}`,
        pass:
          keyed.rate.n === 0
            ? undefined
            : keyed.rate.median >= TARGET_LINES_PER_SECOND && keyedClean,
      },
    ];
    const markdown = [
      '## verify: `auditline verify` throughput',
      '',
      `Closed logs of ${total.toLocaleString('en-US')} lines each (the chained one is ${mib(size)}), verified by the CLI as a child process; time is wall time including Node start-up, ${rounds} round(s). The target is on wall time; CPU is the child's own user + system time at exit (all threads), which a shared machine's load moves far less: lines per CPU-second is about what wall would be on an idle machine (the run is single-threaded).`,
      '',
      table(
        ['mode', 'lines/s (wall)', 'CPU ms', 'lines per CPU-second', 'exit code(s)'],
        rows.map((r) => [
          r.mode.label,
          fmtSummary(r.rate),
          fmtSummary(r.cpuMs),
          fmtSummary(r.cpuRate),
          r.codes,
        ]),
      ),
      ...(keyedClean
        ? []
        : [
            '',
            `stderr of a failing run: \`${rows
              .flatMap((row) => row.runs)
              .find((r) => r.code !== 0)
              ?.stderr.trim()
              .slice(0, 300)}\``,
          ]),
    ].join('\n');
    return { name: 'verify', markdown, targets, raw: Object.fromEntries(results) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
