import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createPrettyFormatter } from '@auditline/core';
import { createAuditVerifier } from '@auditline/core/verify';
import { isColorSupported } from 'pino-pretty';
import { createAuditTally } from './summary.js';
import { runTraffic } from './traffic.js';

/** The whole demo must finish well inside the 30 s budget of issue #5. */
const DEMO_TIMEOUT_MS = 25_000;
/** Time allowed for the server to print its `listening` line (it hashes the demo passwords first). */
const START_TIMEOUT_MS = 15_000;
/** A step heading waits until the server's stdout has been quiet this long. */
const QUIET_MS = 40;
/** …but never longer than this. */
const MAX_SETTLE_MS = 500;

/**
 * The raw JSON lines the server wrote, for `auditline verify` by hand (issue #16):
 * the pretty text on the terminal cannot be verified, this file can.
 */
const TRAIL_FILE = fileURLToPath(new URL('../demo-audit.ndjson', import.meta.url));

let lastLineAt = 0;

const bold = (s: string): string => (isColorSupported ? `\u001b[1;36m${s}\u001b[0m` : s);

/**
 * Core's own pretty formatter (the layout of `AUDIT_LOG_FORMAT=pretty`). It is
 * synchronous, so output order is kept. The server writes JSON: the demo sees
 * the exact bytes awslogs would ship, and pretty-prints them itself.
 */
const pretty = createPrettyFormatter() ?? ((line: string): string => `${line}\n`);

/**
 * A client has its response before the server's audit line has come through
 * the pipe, so each heading first waits for stdout to go quiet: the lines of
 * a step then print under that step.
 */
async function say(text: string): Promise<void> {
  const calledAt = performance.now();
  for (;;) {
    const now = performance.now();
    if (now - Math.max(lastLineAt, calledAt) >= QUIET_MS || now - calledAt >= MAX_SETTLE_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  process.stdout.write(`\n${bold(`▶ ${text}`)}\n`);
}

/** The `auditline` bin of the installed @auditline/infra, as `pnpm exec auditline` finds it. */
function auditlineBin(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@auditline/infra/package.json');
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: { auditline: string } };
  return join(dirname(manifestPath), bin.auditline);
}

/**
 * Prints the exact command that checks the trail, then runs it: the same
 * verifier a compliance job would run over an export (SPEC §7).
 */
function verifyByHand(hmacKey: string): number {
  const command = `npx -y pnpm@10.34.8 --filter @auditline/example-express-app exec auditline verify --key ${hmacKey} ${TRAIL_FILE}`;
  process.stdout.write(
    `\n${bold('── check it yourself: the raw JSON lines are in the file below ──')}\n$ ${command}\n`,
  );
  const result = spawnSync(
    process.execPath,
    [auditlineBin(), 'verify', '--key', hmacKey, TRAIL_FILE],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.stdout.write(`auditline verify exit code: ${result.status}\n`);
  return result.status ?? 1;
}

function exited(child: ChildProcessByStdio<null, Readable, null>): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('close', (code) => resolve(code));
  });
}

async function main(): Promise<boolean> {
  // A throwaway key per run: the demo turns the HMAC chain on and verifies it at the end (SPEC §7).
  const hmacKey = randomBytes(24).toString('base64url');
  const server = spawn(process.execPath, [fileURLToPath(new URL('./server.js', import.meta.url))], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      // The server writes the wire format; this process renders it. See the README for why.
      AUDIT_LOG_FORMAT: 'json',
      AUDIT_HMAC_KEY: hmacKey,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const closed = exited(server);
  const tally = createAuditTally();
  const verifier = createAuditVerifier({ defaultKey: hmacKey });

  let onListening: (port: number) => void = () => {};
  const listening = new Promise<number>((resolve, reject) => {
    onListening = resolve;
    const timer = setTimeout(
      () => reject(new Error('server did not start in time')),
      START_TIMEOUT_MS,
    );
    timer.unref();
    void closed.then((code) => reject(new Error(`server exited early with code ${code}`)));
  });

  const lines = createInterface({ input: server.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  const drained = new Promise<void>((resolve) => lines.once('close', resolve));
  const trail = openSync(TRAIL_FILE, 'w');
  lines.on('line', (line) => {
    lastLineAt = performance.now();
    writeSync(trail, `${line}\n`);
    const entry = tally.add(line);
    verifier.push(line);
    process.stdout.write(entry === undefined ? `${line}\n` : pretty(line));
    if (entry?.msg === 'listening' && typeof entry.port === 'number') onListening(entry.port);
  });

  try {
    await say('starting the example service: node dist/server.js (audit lines on stdout)');
    const port = await listening;
    const report = await runTraffic(`http://127.0.0.1:${port}`, say);
    await say('SIGTERM to the server → AUDIT_STOP, then a clean exit');
    server.kill('SIGTERM');
    const code = await closed;
    await drained;
    closeSync(trail);

    const integrity = verifier.result();
    process.stdout.write(`\n${bold('── what was audited (tallied from the JSON lines) ──')}\n`);
    process.stdout.write(`${tally.render()}\n`);
    process.stdout.write(
      `integrity: ${integrity.ok ? 'HMAC chain verified' : 'PROBLEMS FOUND'} (verifyAuditLog: ${integrity.auditLines} audit lines, ${integrity.issues.length} issues)\n`,
    );
    process.stdout.write(`requests sent: ${report.requests}; server exit code: ${code}\n`);
    for (const surprise of report.surprises) process.stdout.write(`unexpected: ${surprise}\n`);
    for (const issue of integrity.issues)
      process.stdout.write(`integrity issue: ${JSON.stringify(issue)}\n`);
    const verified = verifyByHand(hmacKey) === 0;
    return code === 0 && tally.stopped && integrity.ok && verified && report.surprises.length === 0;
  } catch (error) {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    server.kill('SIGKILL');
    return false;
  }
}

const deadline = setTimeout(() => {
  process.stderr.write(`demo: no result after ${DEMO_TIMEOUT_MS} ms, giving up\n`);
  process.exit(1);
}, DEMO_TIMEOUT_MS);
deadline.unref();

process.exitCode = (await main()) ? 0 : 1;
