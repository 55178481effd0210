import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Checks that `pnpm bench --quick` runs end to end and reports every contender.
// No timing assertions: numbers belong in bench/README.md (issue #6).
const RUN_ALL = fileURLToPath(new URL('../dist/run-all.js', import.meta.url));

interface EmitRun {
  name: string;
  lines: number;
  invalid: number;
  sampled: number;
  nsPerOp?: number;
  error?: string;
  skipped?: string;
}
interface HttpRun {
  name: string;
  reqPerSec?: number;
  linesPerReq?: number;
  non2xx?: number;
  error?: string;
  skipped?: string;
}
interface Raw {
  reports: { name: string; raw: unknown }[];
}

describe('bench harness in --quick mode', () => {
  let dir: string;
  let markdown: string;
  let raw: Raw;
  let exitCode: number | null;
  let stderr: string;

  beforeAll(() => {
    // Prepare + Act: one quick run of every driver into a temp file.
    dir = mkdtempSync(join(tmpdir(), 'auditline-bench-smoke-'));
    const out = join(dir, 'quick.md');
    const run = spawnSync(process.execPath, [RUN_ALL, '--quick', '--out', out], {
      encoding: 'utf8',
      timeout: 110_000,
    });
    exitCode = run.status;
    stderr = run.stderr;
    markdown = readFileSync(out, 'utf8');
    raw = JSON.parse(readFileSync(join(dir, 'quick.raw.json'), 'utf8')) as Raw;
  }, 120_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const reportOf = (name: string): unknown => raw.reports.find((r) => r.name === name)?.raw;

  it('exits 0 and writes the same markdown to stdout and the file, with every section', () => {
    expect(exitCode, stderr).toBe(0);
    for (const heading of ['## Targets', '## emit', '## http', '## memory', '## verify']) {
      expect(markdown).toContain(heading);
    }
  });

  it('runs every emit contender, and every line it sampled is valid JSON', () => {
    const runs = reportOf('emit') as EmitRun[];
    const names = new Set(runs.map((r) => r.name));
    expect([...names].sort()).toEqual(
      [
        'auditline-chain',
        'auditline-emf',
        'auditline-json',
        'aws-embedded-metrics',
        'json-stringify',
        'pino-raw',
        'powertools-logger',
        'powertools-metrics',
        'sync-write-floor',
      ].sort(),
    );
    for (const run of runs) {
      expect(run.error, run.name).toBeUndefined();
      expect(run.skipped, run.name).toBeUndefined();
      expect(run.nsPerOp, run.name).toBeGreaterThan(0);
      expect(run.sampled, run.name).toBeGreaterThan(0);
      expect(run.invalid, run.name).toBe(0);
    }
  });

  it('serves every http variant, and the logging variants write one line per request', () => {
    const runs = reportOf('http') as HttpRun[];
    expect(runs.map((r) => r.name).sort()).toEqual([
      'audit',
      'audit-null',
      'bare',
      'bare-als',
      'floor-write',
      'naive',
      'pino-http',
      'pino-http-floor',
    ]);
    for (const run of runs) {
      expect(run.error ?? run.skipped, run.name).toBeUndefined();
      expect(run.reqPerSec, run.name).toBeGreaterThan(0);
      expect(run.non2xx, run.name).toBe(0);
    }
    const lines = (name: string): number => runs.find((r) => r.name === name)?.linesPerReq ?? 0;
    expect(lines('bare')).toBe(0);
    expect(lines('pino-http')).toBeCloseTo(1, 1);
    expect(lines('audit')).toBeCloseTo(1, 1);
    // The naive middleware (issue #15) is a logging contender too: one line per request.
    expect(lines('naive')).toBeCloseTo(1, 1);
    // The layers write nothing: pino-http-floor logs its completion line at 'debug'.
    expect(lines('bare-als')).toBe(0);
    expect(lines('pino-http-floor')).toBe(0);
    // audit-null drops its lines; floor-write writes its prebuilt one per request (issue #15).
    expect(lines('audit-null')).toBe(0);
    expect(lines('floor-write')).toBeCloseTo(1, 1);
  });

  it('samples RSS while the reader is blocked and sees AUDIT_STOP after SIGTERM', () => {
    const memory = reportOf('memory') as {
      floods: { contender: string; samples: number[]; error?: string }[];
      shutdowns: { contender: string; stopArrived: boolean; seqGaps: number; error?: string }[];
    };
    const audit = memory.floods.find((f) => f.contender === 'auditline');
    expect(audit?.error).toBeUndefined();
    expect(audit?.samples.length).toBeGreaterThan(2);
    const stop = memory.shutdowns.find((s) => s.contender === 'auditline');
    expect(stop?.error).toBeUndefined();
    expect(stop?.stopArrived).toBe(true);
    expect(stop?.seqGaps).toBe(0);
  });

  it('puts every target in the targets table', () => {
    const targets = markdown.slice(markdown.indexOf('## Targets'), markdown.indexOf('## emit'));
    for (const measure of [
      'pino-raw',
      'aws-embedded-metrics',
      'pino-http defaults',
      'naive middleware',
      'added server CPU',
      'RSS',
      'SIGTERM',
      'verify',
    ]) {
      expect(targets).toContain(measure);
    }
  });
});

describe('bench harness with --node and two binaries (issue #15)', () => {
  it('runs the driver once per binary and puts one column per version in the targets table', () => {
    // Prepare: the same binary twice, as a path, so no download is needed; a real
    // `--node 24.22.3,20` differs only in how the paths are found (.ci/fetch-node.sh).
    const dir = mkdtempSync(join(tmpdir(), 'auditline-bench-nodes-'));
    try {
      const out = join(dir, 'nodes.md');
      // Act
      const run = spawnSync(
        process.execPath,
        [
          RUN_ALL,
          'verify',
          '--quick',
          '--node',
          `${process.execPath},${process.execPath}`,
          '--out',
          out,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      // Assess: if the runs were not made (or not merged), a column or a section is missing.
      expect(run.status, run.stderr).toBe(0);
      const markdown = readFileSync(out, 'utf8');
      const version = `Node ${process.version}`;
      const targets = markdown.slice(
        markdown.indexOf('## Targets'),
        markdown.indexOf(`## ${version}`),
      );
      const header = targets.split('\n').find((line) => line.startsWith('| measure'));
      expect(header?.split(version).length).toBe(3);
      expect(targets).toContain('`auditline verify` throughput (with key)');
      expect(markdown.split(`## ${version}\n`).length).toBe(3);
      const raw = JSON.parse(readFileSync(join(dir, 'nodes.raw.json'), 'utf8')) as {
        runs: { version: string; record?: { machine: { node: string } } }[];
      };
      expect(raw.runs.map((r) => r.record?.machine.node)).toEqual([
        process.version,
        process.version,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 70_000);
});
