import { readFileSync } from 'node:fs';
import { capture, resultChannel, script, sleep, spawnNode } from '../proc.js';
import { type DriverReport, type DriverSettings, type TargetResult, table } from '../report.js';
import { fmt, mib } from '../stats.js';

/** Reader blocked this long (issue #6: 10 s). */
const FULL_BLOCK_MS = 10_000;
const QUICK_BLOCK_MS = 1_000;
/** Free-running reads before the block, so the writer is at full speed when it starts. */
const FULL_PRE_MS = 2_000;
const QUICK_PRE_MS = 200;
/** RSS sampling period (brief: every 500 ms). */
const FULL_SAMPLE_MS = 500;
const QUICK_SAMPLE_MS = 250;
/**
 * "Flat" means the RSS never rose more than this above its value when the
 * reader stopped. GC and JIT move RSS by a few MiB; an unbounded buffer at tens
 * of thousands of lines/s grows by tens of MiB per second.
 */
const FLAT_TOLERANCE_BYTES = 16 * 1024 * 1024;

/** Output queued when SIGTERM arrives (issue #6: 50 MB). */
const FULL_BURST_BYTES = 50 * 1000 * 1000;
const QUICK_BURST_BYTES = 2 * 1000 * 1000;
/** The slow reader sleeps this long after each chunk (≤ 64 KiB), i.e. at most ~16 MB/s. */
const SLOW_READ_PAUSE_MS = 4;
/** SIGTERM goes out this long after the child starts its burst. */
const SIGTERM_AFTER_MS = 300;
/** ECS's longest `stopTimeout` is 120 s, its default 30 s; past this we SIGKILL, as ECS would. */
const STOP_TIMEOUT_MS = 30_000;
/** Shutdown target (issue #6). */
const SHUTDOWN_TARGET_MS = 10_000;

function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

interface FloodResult {
  readonly contender: string;
  readonly error?: string;
  readonly beforeBlock: number;
  readonly first: number;
  readonly last: number;
  readonly max: number;
  readonly samples: readonly number[];
  readonly capped: boolean;
  readonly linesBefore: number;
  readonly linesDuring: number;
}

/** Child floods stdout; the parent reads, then stops reading for the block period, sampling the child's RSS. */
async function flood(
  contender: string,
  preMs: number,
  blockMs: number,
  sampleMs: number,
): Promise<FloodResult> {
  const {
    child,
    stdout,
    done: closed,
  } = spawnNode(script(import.meta.url, './child.js'), ['flood', contender]);
  const stderr = capture(child.stderr);
  let capped = false;
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  resultChannel(child, (message) => {
    if (message.type === 'ready') ready();
    if (message.type === 'capped') capped = true;
  });
  let lines = 0;
  stdout.on('data', (chunk: Buffer) => {
    let at = chunk.indexOf(0x0a);
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(0x0a, at + 1);
    }
  });
  try {
    await Promise.race([isReady, closed.then(() => Promise.reject(new Error('child exited')))]);
    const pid = child.pid!;
    await sleep(preMs);
    const beforeBlock = rssOf(pid);
    const linesBefore = lines;
    stdout.pause();
    const samples: number[] = [];
    const blockStart = Date.now();
    while (Date.now() - blockStart < blockMs) {
      samples.push(rssOf(pid));
      await sleep(sampleMs);
    }
    samples.push(rssOf(pid));
    const linesDuring = lines - linesBefore;
    stdout.resume();
    return {
      contender,
      beforeBlock,
      first: samples[0]!,
      last: samples[samples.length - 1]!,
      max: Math.max(...samples),
      samples,
      capped,
      linesBefore,
      linesDuring,
    };
  } catch (error) {
    return {
      contender,
      error: `${(error as Error).message} ${stderr().slice(0, 300)}`,
      beforeBlock: Number.NaN,
      first: Number.NaN,
      last: Number.NaN,
      max: Number.NaN,
      samples: [],
      capped,
      linesBefore: 0,
      linesDuring: 0,
    };
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
}

interface ShutdownResult {
  readonly contender: string;
  readonly error?: string;
  readonly burstBytes: number;
  readonly exitMs: number;
  readonly killed: boolean;
  readonly bytesAfterSigterm: number;
  readonly readerMBps: number;
  readonly stopArrived: boolean;
  readonly lines: number;
  readonly seqGaps: number;
  readonly stopSeqMatches: boolean | undefined;
}

/**
 * Child queues `burstBytes` of audit lines in one synchronous burst; a slow
 * reader drains the pipe; SIGTERM arrives mid-burst. Measures SIGTERM → exit
 * and checks that AUDIT_STOP (with the final seq) reached the reader.
 */
async function shutdown(variant: string, burstBytes: number): Promise<ShutdownResult> {
  const contender = variant.replace(/-blocking$/, '');
  const {
    child,
    stdout,
    done: closed,
  } = spawnNode(script(import.meta.url, './child.js'), [
    'burst',
    contender,
    String(burstBytes),
    variant.endsWith('-blocking') ? 'blocking' : 'touched',
  ]);
  const stderr = capture(child.stderr);
  let exitAt = 0n;
  let killed = false;
  const exitedAt = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exitAt = process.hrtime.bigint();
      resolve();
    }),
  );
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  resultChannel(child, (message) => {
    if (message.type === 'ready') ready();
  });

  let bytes = 0;
  let bytesAtSigterm = 0;
  let lines = 0;
  let partial = '';
  let lastSeq = 0;
  let seqGaps = 0;
  let stopArrived = false;
  let stopSeqMatches: boolean | undefined;
  const seqPattern = /"seq":(\d+)/;
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    bytes += Buffer.byteLength(chunk);
    partial += chunk;
    let at = partial.indexOf('\n');
    let from = 0;
    while (at !== -1) {
      const line = partial.slice(from, at);
      from = at + 1;
      at = partial.indexOf('\n', from);
      lines++;
      const seq = seqPattern.exec(line);
      if (seq?.[1]) {
        const value = Number(seq[1]);
        if (lastSeq !== 0 && value !== lastSeq + 1) seqGaps++;
        lastSeq = value;
      }
      if (line.includes('"action":"AUDIT_STOP"')) {
        stopArrived = true;
        const parsed = JSON.parse(line) as { seq?: number; details?: { final_seq?: number } };
        if (parsed.seq !== undefined) stopSeqMatches = parsed.details?.final_seq === parsed.seq;
      }
    }
    partial = partial.slice(from);
    // The slow reader: stop after each chunk, resume a little later.
    stdout.pause();
    setTimeout(() => stdout.resume(), SLOW_READ_PAUSE_MS);
  });

  try {
    await Promise.race([isReady, closed.then(() => Promise.reject(new Error('child exited')))]);
    await sleep(SIGTERM_AFTER_MS);
    bytesAtSigterm = bytes;
    const sigtermAt = process.hrtime.bigint();
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await exitedAt;
    clearTimeout(timer);
    await closed;
    const exitMs = Number(exitAt - sigtermAt) / 1e6;
    const bytesAfterSigterm = bytes - bytesAtSigterm;
    return {
      contender: variant,
      burstBytes,
      exitMs,
      killed,
      bytesAfterSigterm,
      readerMBps: bytesAfterSigterm / 1e6 / (exitMs / 1000),
      stopArrived,
      lines,
      seqGaps,
      stopSeqMatches,
    };
  } catch (error) {
    child.kill('SIGKILL');
    await closed;
    return {
      contender: variant,
      error: `${(error as Error).message} ${stderr().slice(0, 300)}`,
      burstBytes,
      exitMs: Number.NaN,
      killed,
      bytesAfterSigterm: 0,
      readerMBps: Number.NaN,
      stopArrived,
      lines,
      seqGaps,
      stopSeqMatches,
    };
  }
}

const LABELS: Readonly<Record<string, string>> = {
  auditline: 'auditline (sync fd writer)',
  'pino-async': 'pino() default async destination (reference)',
  'auditline-blocking': 'auditline, fd 1 left blocking (reader-bound baseline)',
  'pino-sync': 'pino sync sonic-boom + SIGTERM handler (reference)',
};

/**
 * `bench/memory` (issue #6): RSS while the reader is blocked, and shutdown time
 * under SIGTERM with output pending, both with fd 1 made non-blocking.
 */
export async function runMemory(settings: DriverSettings): Promise<DriverReport> {
  const quick = settings.quick;
  const blockMs = quick ? QUICK_BLOCK_MS : FULL_BLOCK_MS;
  const preMs = quick ? QUICK_PRE_MS : FULL_PRE_MS;
  const sampleMs = quick ? QUICK_SAMPLE_MS : FULL_SAMPLE_MS;
  const burst = quick ? QUICK_BURST_BYTES : FULL_BURST_BYTES;

  const floods: FloodResult[] = [];
  for (const contender of ['auditline', 'pino-async']) {
    const result = await flood(contender, preMs, blockMs, sampleMs);
    floods.push(result);
    settings.progress(
      `memory flood ${contender}: ${result.error ?? `RSS ${mib(result.first)} → max ${mib(result.max)}${result.capped ? ' (capped)' : ''}`}`,
    );
  }
  const shutdowns: ShutdownResult[] = [];
  // The pino-sync reference can take the full 30 s stop timeout: full runs only.
  for (const contender of quick
    ? ['auditline']
    : ['auditline', 'auditline-blocking', 'pino-sync']) {
    const result = await shutdown(contender, burst);
    shutdowns.push(result);
    settings.progress(
      `memory shutdown ${contender}: ${result.error ?? `${fmt(result.exitMs)} ms${result.killed ? ' (SIGKILLed)' : ''}, AUDIT_STOP ${result.stopArrived ? 'arrived' : 'MISSING'}`}`,
    );
  }

  const auditFlood = floods[0]!;
  const growth = auditFlood.max - auditFlood.first;
  const auditShutdown = shutdowns[0]!;
  const targets: TargetResult[] = [
    {
      measure: `RSS while the reader is blocked ${blockMs / 1000} s`,
      target: `flat (max − start ≤ ${mib(FLAT_TOLERANCE_BYTES)})`,
      measured: auditFlood.error
        ? 'n/a'
        : `+${mib(growth)} (${mib(auditFlood.first)} → max ${mib(auditFlood.max)})`,
      pass: Number.isFinite(growth) ? growth <= FLAT_TOLERANCE_BYTES : undefined,
    },
    {
      measure: `shutdown under SIGTERM, ${fmt(burst / 1e6)} MB pending, slow reader`,
      target: `< ${SHUTDOWN_TARGET_MS / 1000} s, AUDIT_STOP delivered`,
      measured: auditShutdown.error
        ? 'n/a'
        : `${fmt(auditShutdown.exitMs / 1000, 2)} s, AUDIT_STOP ${auditShutdown.stopArrived ? 'delivered' : 'MISSING'}`,
      pass: auditShutdown.error
        ? undefined
        : auditShutdown.exitMs < SHUTDOWN_TARGET_MS && auditShutdown.stopArrived,
    },
  ];

  const floodRows = floods.map((f) => [
    LABELS[f.contender] ?? f.contender,
    f.error ? `error: ${f.error}` : mib(f.beforeBlock),
    mib(f.first),
    mib(f.last),
    mib(f.max),
    `+${mib(f.max - f.first)}`,
    f.capped ? `yes (stopped at ${mib(1024 ** 3)})` : 'no',
    f.linesBefore.toLocaleString('en-US'),
  ]);
  const shutdownRows = shutdowns.map((s) => [
    LABELS[s.contender] ?? s.contender,
    s.error
      ? `error: ${s.error}`
      : `${fmt(s.exitMs / 1000, 2)} s${s.killed ? ` (SIGKILL at ${STOP_TIMEOUT_MS / 1000} s)` : ''}`,
    mib(s.bytesAfterSigterm),
    fmt(s.readerMBps, 1),
    s.stopArrived ? 'yes' : 'NO',
    s.stopSeqMatches === undefined ? 'n/a' : s.stopSeqMatches ? 'yes' : 'NO',
    s.lines.toLocaleString('en-US'),
    s.contender.startsWith('auditline') ? String(s.seqGaps) : 'n/a',
  ]);

  const markdown = [
    '## memory: blocked reader and shutdown, fd 1 non-blocking',
    '',
    `Each child touches \`process.stdout\` first, which makes fd 1 non-blocking on a pipe (SPEC §4.4), except the "fd 1 left blocking" baseline. ` +
      `Flood: the child logs the bench entry as fast as it can (200 per event-loop turn); the parent reads for ${preMs / 1000} s, then stops reading for ${blockMs / 1000} s while sampling the child's RSS from /proc every ${sampleMs} ms.`,
    '',
    table(
      [
        'writer',
        'RSS before block',
        'RSS at block start',
        'RSS at block end',
        'max RSS in block',
        'growth',
        'hit safety cap',
        'lines read before block',
      ],
      floodRows,
    ),
    '',
    `Shutdown: with \`handleSignals: true\`, the child queues ${fmt(burst / 1e6)} MB of audit lines in one synchronous burst while the parent reads slowly (a ${SLOW_READ_PAUSE_MS} ms pause after every chunk); SIGTERM is sent ${SIGTERM_AFTER_MS} ms into the burst, and the time is measured to the child's exit. Past ${STOP_TIMEOUT_MS / 1000} s the child is SIGKILLed, as ECS does after its default stopTimeout.`,
    '',
    table(
      [
        'writer',
        'SIGTERM → exit',
        'read after SIGTERM',
        'reader MB/s after SIGTERM',
        'stop line arrived',
        'AUDIT_STOP final_seq = its seq',
        'lines read',
        'seq gaps',
      ],
      shutdownRows,
    ),
  ].join('\n');
  return { name: 'memory', markdown, targets, raw: { floods, shutdowns } };
}
