import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { report } from '../child-report.js';
import { type Ready, setupContender } from './contenders.js';

/**
 * Entries written per event-loop turn. pino's own benchmarks (benchmarks/*.bench.js)
 * log 10 entries then `setImmediate`, like a server handling requests; a fully
 * synchronous loop would starve pino's async writes until the loop ends.
 */
const ENTRIES_PER_TURN = 10;

async function writeEntries(ready: Exclude<Ready, { kind: 'skip' }>, count: number): Promise<void> {
  let done = 0;
  while (done < count) {
    const end = Math.min(count, done + ENTRIES_PER_TURN);
    if (ready.kind === 'sync') {
      for (; done < end; done++) ready.write();
    } else {
      for (; done < end; done++) await ready.write();
    }
    await yieldToEventLoop();
  }
}

// One contender per process (issue #6): argv = name, measured entries, warm-up entries.
const [name = '', nArg = '0', warmArg = '0'] = process.argv.slice(2);
const n = Number(nArg);
const warmup = Number(warmArg);

const ready = await setupContender(name);
if (ready.kind === 'skip') {
  report({ name, skipped: ready.reason });
} else {
  await writeEntries(ready, warmup);
  await ready.flush();

  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await writeEntries(ready, n);
  await ready.flush();
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuStart);

  report({
    name,
    n,
    warmup,
    startNs: start.toString(),
    endNs: end.toString(),
    nsPerOp: Number(end - start) / n,
    cpuNsPerOp: ((cpu.user + cpu.system) * 1000) / n,
    rss: process.memoryUsage.rss(),
  });
}
