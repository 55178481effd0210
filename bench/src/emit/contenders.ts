import { existsSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import {
  AUDIT_OBJECT,
  AUDIT_PARAMS,
  BENCH_HMAC_KEY,
  BENCH_NAMESPACE,
  BENCH_SERVICE,
} from '../entry.js';

/** A contender ready to run: `write` emits one entry, `flush` waits until all of them reached fd 1. */
export type Ready =
  | { readonly kind: 'sync'; write(): void; flush(): Promise<void> }
  | { readonly kind: 'async'; write(): Promise<void>; flush(): Promise<void> }
  | { readonly kind: 'skip'; readonly reason: string };

/** Static description of a contender, known to the parent without loading any library. */
export interface ContenderInfo {
  readonly name: string;
  readonly label: string;
  /** Extra environment for the child, e.g. `AWS_EMF_ENVIRONMENT=Local`. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Another build of `@auditline/core` (the path of its `dist/index.js`, e.g. a
 * copy of `main`'s build) to run beside this one: its JSON and chain contenders
 * join the same run, interleaved round by round, for a before/after in one run
 * on a shared machine (issue #15).
 */
const BASELINE_CORE = process.env.AUDITLINE_BENCH_BASELINE_CORE;

const BASELINE_CONTENDERS: readonly ContenderInfo[] = BASELINE_CORE
  ? [
      { name: 'baseline-json', label: `baseline build: auditline JSON`, env: {} },
      { name: 'baseline-chain', label: `baseline build: auditline + HMAC chain`, env: {} },
      { name: 'baseline-emf', label: `baseline build: auditline EMF`, env: {} },
    ]
  : [];

/** Every `bench/emit` contender (issue #6), the reference first. */
export const CONTENDERS: readonly ContenderInfo[] = [
  { name: 'pino-raw', label: '`pino().info(entry)` (reference)', env: {} },
  { name: 'json-stringify', label: '`JSON.stringify` + `process.stdout.write`', env: {} },
  { name: 'powertools-logger', label: '@aws-lambda-powertools/logger', env: {} },
  {
    name: 'aws-embedded-metrics',
    label: 'aws-embedded-metrics (Local, flush per event)',
    // Without Local it would look for an ECS/EC2 agent (issue #4).
    env: { AWS_EMF_ENVIRONMENT: 'Local' },
  },
  {
    name: 'powertools-metrics',
    label: '@aws-lambda-powertools/metrics (publish per event)',
    env: {},
  },
  {
    name: 'sync-write-floor',
    label: 'floor: one `fs.writeSync(1, line)` per entry, line prebuilt (SPEC §4.4)',
    env: {},
  },
  { name: 'auditline-json', label: 'auditline JSON', env: {} },
  { name: 'auditline-chain', label: 'auditline + HMAC chain', env: {} },
  { name: 'auditline-emf', label: 'auditline EMF', env: {} },
  ...BASELINE_CONTENDERS,
];

type CoreModule = typeof import('@auditline/core');

async function baselineCore(): Promise<CoreModule> {
  return (await import(BASELINE_CORE as string)) as CoreModule;
}

type EmfModule = typeof import('@auditline/emf');

/**
 * The baseline's own `@auditline/emf`, beside its core as in the workspace
 * (`packages/core/dist/index.js` → `packages/emf/dist/index.js`), so the
 * baseline EMF contender pairs the plugin and the core of one build.
 */
async function baselineEmf(): Promise<EmfModule | undefined> {
  const path = resolvePath(dirname(BASELINE_CORE as string), '../../emf/dist/index.js');
  if (!existsSync(path)) return undefined;
  return (await import(path)) as EmfModule;
}

/** Resolves when stdout has handed everything written so far to the kernel. */
function stdoutFlushed(): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write('', () => resolve());
  });
}

/** The public part of sonic-boom (what `pino.destination()` returns) that the baseline waits on. */
interface DrainingStream {
  on(event: 'drain', listener: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Tracks whether pino's async sonic-boom still holds bytes in the process,
 * through its public `'drain'` event only (no pino private symbol, no
 * sonic-boom underscore field, issue #14): sonic-boom 4.2 emits `'drain'`
 * when an async write leaves its buffer empty, so "written since the last
 * drain" is exactly "bytes still queued". `logger.flush(cb)` cannot be used
 * for this: with the default `minLength: 0`, sonic-boom 4.2 calls `cb` at
 * once without waiting (index.js `flush`), which would stop the clock while
 * megabytes are still queued in memory.
 */
function drainTracker(stream: DrainingStream): { wrote(): void; drained(): Promise<void> } {
  let pending = false;
  stream.on('drain', () => {
    pending = false;
  });
  return {
    wrote: () => {
      pending = true;
    },
    drained: () =>
      new Promise((resolve) => {
        if (!pending) resolve();
        else stream.once('drain', () => resolve());
      }),
  };
}

type Setup = () => Promise<Ready>;

const SETUPS: Readonly<Record<string, Setup>> = {
  async 'pino-raw'() {
    const { pino } = await import('pino');
    // The same stream pino() builds when given no destination (pino 10.4
    // lib/tools.js: an async sonic-boom on fd 1 with minLength 0), built
    // here so the bench keeps its reference instead of reading pino's
    // private stream symbol (STYLE.md anti-patterns).
    const stream = pino.destination({ dest: 1, sync: false, minLength: 0 });
    const logger = pino(stream);
    const tracker = drainTracker(stream);
    return {
      kind: 'sync',
      write: () => {
        logger.info(AUDIT_OBJECT);
        tracker.wrote();
      },
      flush: tracker.drained,
    };
  },

  async 'json-stringify'() {
    const stdout = process.stdout;
    return {
      kind: 'sync',
      write: () => {
        stdout.write(`${JSON.stringify(AUDIT_OBJECT)}\n`);
      },
      flush: stdoutFlushed,
    };
  },

  async 'powertools-logger'() {
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const logger = new Logger({ serviceName: BENCH_SERVICE });
    return {
      kind: 'sync',
      write: () => logger.info('audit', AUDIT_OBJECT),
      flush: stdoutFlushed,
    };
  },

  async 'aws-embedded-metrics'() {
    const { createMetricsLogger, Unit } = await import('aws-embedded-metrics');
    const dimensions = {
      Action: AUDIT_PARAMS.action,
      Status: AUDIT_PARAMS.status,
    };
    return {
      kind: 'async',
      write: async () => {
        const metrics = createMetricsLogger();
        metrics.setNamespace(BENCH_NAMESPACE);
        metrics.putDimensions(dimensions);
        metrics.putMetric('AuditEventCount', 1, Unit.Count);
        await metrics.flush();
      },
      flush: stdoutFlushed,
    };
  },

  async 'powertools-metrics'() {
    const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
    const metrics = new Metrics({ namespace: BENCH_NAMESPACE, serviceName: BENCH_SERVICE });
    return {
      kind: 'sync',
      write: () => {
        metrics.addDimensions({ Action: AUDIT_PARAMS.action, Status: AUDIT_PARAMS.status });
        metrics.addMetric('AuditEventCount', MetricUnit.Count, 1);
        metrics.publishStoredMetrics();
      },
      flush: stdoutFlushed,
    };
  },

  async 'sync-write-floor'() {
    // What SPEC §4.4 costs by itself (issue #15): one write(2) per line through
    // core's own fd writer (its EAGAIN back-off included: fd 1 is non-blocking
    // here), nothing built. The line has auditline JSON's bytes, built once.
    const { createAuditLogger } = await import('@auditline/core');
    const { createFdDestination } = await import('@auditline/core/internal');
    let line = '';
    const audit = createAuditLogger({
      service: BENCH_SERVICE,
      format: 'json',
      destination: {
        write(text: string) {
          line = text;
          return true;
        },
        flush(callback: (err?: Error | null) => void) {
          callback(null);
        },
      },
    });
    audit.log(AUDIT_PARAMS);
    const fd1 = createFdDestination();
    return { kind: 'sync', write: () => void fd1.write(line), flush: stdoutFlushed };
  },

  async 'auditline-json'() {
    const { createAuditLogger } = await import('@auditline/core');
    const audit = createAuditLogger({ service: BENCH_SERVICE, format: 'json' });
    return { kind: 'sync', write: () => void audit.log(AUDIT_PARAMS), flush: () => audit.flush() };
  },

  async 'auditline-chain'() {
    const { createAuditLogger } = await import('@auditline/core');
    const audit = createAuditLogger({
      service: BENCH_SERVICE,
      format: 'json',
      integrity: { key: BENCH_HMAC_KEY },
    });
    return { kind: 'sync', write: () => void audit.log(AUDIT_PARAMS), flush: () => audit.flush() };
  },

  async 'baseline-json'() {
    const { createAuditLogger } = await baselineCore();
    const audit = createAuditLogger({ service: BENCH_SERVICE, format: 'json' });
    return { kind: 'sync', write: () => void audit.log(AUDIT_PARAMS), flush: () => audit.flush() };
  },

  async 'baseline-chain'() {
    const { createAuditLogger } = await baselineCore();
    const audit = createAuditLogger({
      service: BENCH_SERVICE,
      format: 'json',
      integrity: { key: BENCH_HMAC_KEY },
    });
    return { kind: 'sync', write: () => void audit.log(AUDIT_PARAMS), flush: () => audit.flush() };
  },

  async 'baseline-emf'() {
    const [{ createAuditLogger }, emfModule] = await Promise.all([baselineCore(), baselineEmf()]);
    if (emfModule === undefined) {
      return { kind: 'skip', reason: 'no emf/dist/index.js beside the baseline core' };
    }
    const audit = createAuditLogger({
      service: BENCH_SERVICE,
      format: 'json',
      plugins: [emfModule.emf()],
    });
    return { kind: 'sync', write: () => void audit.log(AUDIT_PARAMS), flush: () => audit.flush() };
  },

  async 'auditline-emf'() {
    const { createAuditLogger } = await import('@auditline/core');
    // @auditline/emf is written in parallel (issue #4); skip cleanly until it exports emf().
    const mod = (await import('@auditline/emf')) as unknown as Record<string, unknown>;
    const emf = mod.emf;
    if (typeof emf !== 'function') {
      return { kind: 'skip', reason: '@auditline/emf does not export emf() yet' };
    }
    const plugin = (emf as (options?: unknown) => import('@auditline/core').AuditPlugin)();
    const audit = createAuditLogger({ service: BENCH_SERVICE, format: 'json', plugins: [plugin] });
    return { kind: 'sync', write: () => void audit.log(AUDIT_PARAMS), flush: () => audit.flush() };
  },
};

/** Loads the contender's library and prepares the writer (cold path, outside the timing). */
export function setupContender(name: string): Promise<Ready> {
  const setup = SETUPS[name];
  if (!setup) return Promise.resolve({ kind: 'skip', reason: `unknown contender ${name}` });
  return setup();
}
