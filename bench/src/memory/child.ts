import { report } from '../child-report.js';
import { AUDIT_OBJECT, AUDIT_PARAMS, BENCH_SERVICE } from '../entry.js';

/** Entries per event-loop turn in flood mode: fast, yet the loop turns so timers and signals run. */
const FLOOD_BATCH = 200;
/**
 * Safety cap for the buffering reference (pino's async destination): once its
 * RSS passes this, it stops producing, so a blocked reader cannot take the
 * machine down. Reaching the cap is itself the finding.
 */
const RSS_CAP_BYTES = 1024 * 1024 * 1024;

type Writer = { write(): void; stop(): void };

async function writerFor(contender: string, handleSignals: boolean): Promise<Writer> {
  if (contender === 'auditline') {
    const { createAuditLogger } = await import('@auditline/core');
    const audit = createAuditLogger({ service: BENCH_SERVICE, format: 'json', handleSignals });
    return {
      write: () => void audit.log(AUDIT_PARAMS),
      stop: () => void audit.close(),
    };
  }
  const { pino } = await import('pino');
  // pino-async: pino's default async sonic-boom; pino-sync: the synchronous one (SPEC §4.4 anchors).
  const logger =
    contender === 'pino-sync' ? pino(pino.destination({ dest: 1, sync: true })) : pino();
  if (handleSignals) {
    process.once('SIGTERM', () => {
      logger.info({ ...AUDIT_OBJECT, action: 'AUDIT_STOP' });
      process.exit(0);
    });
  }
  return { write: () => logger.info(AUDIT_OBJECT), stop: () => logger.flush() };
}

const [mode = 'flood', contender = 'auditline', amountArg = '0', fdMode = 'touched'] =
  process.argv.slice(2);

// Touch process.stdout as any app (or pino) does: on a pipe this makes fd 1
// non-blocking, the hard case for a synchronous writer (SPEC §4.4). `blocking`
// leaves fd 1 alone: the reader-bound baseline.
if (fdMode !== 'blocking') void process.stdout.writable;

if (mode === 'flood') {
  const writer = await writerFor(contender, false);
  report({ type: 'ready', pid: process.pid });
  const batch = (): void => {
    for (let i = 0; i < FLOOD_BATCH; i++) writer.write();
    if (process.memoryUsage.rss() > RSS_CAP_BYTES) {
      report({ type: 'capped', rss: process.memoryUsage.rss() });
      // Stay alive, idle, until the parent kills us.
      setInterval(() => {}, 1000);
      return;
    }
    setImmediate(batch);
  };
  batch();
} else {
  // burst: one synchronous burst of `amountArg` bytes of audit lines, as a busy
  // process would have queued when SIGTERM arrives (issue #6: "50 MB pending").
  const writer = await writerFor(contender, true);
  const lineBytes = Buffer.byteLength(
    JSON.stringify({ ...AUDIT_OBJECT, seq: 1, timestamp: new Date().toISOString() }),
  );
  const entries = Math.ceil(Number(amountArg) / lineBytes);
  report({ type: 'ready', pid: process.pid, entries });
  for (let i = 0; i < entries; i++) writer.write();
  report({ type: 'burst-done' });
  // With handleSignals the SIGTERM handler runs now and the process exits.
  setTimeout(() => writer.stop(), 60_000).unref();
  setInterval(() => {}, 1000);
}
