import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, ndjson, parseReport, runVerify, tempFile } from './verify-support.js';

// Issue #11: AUDIT_STOP was not final. In-flight requests were audited after
// it, so an attacker who deleted those lines got verify CLEAN. Here the whole
// path is real: a signed service in a child process, SIGTERM'd with a request
// in flight, its stdout verified by the installed CLI; then the genuine signed
// line the stale logger wrote after the stop must make verify exit 1.

const SERVICE = fileURLToPath(new URL('./helpers/after-stop-service.mjs', import.meta.url));

interface Entry {
  instance: string;
  seq: number;
  action: string;
  resource: string;
  status: string;
  user_id: string;
}

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts the service, serves a GET, SIGTERMs it while a DELETE is in its handler; resolves with stdout. */
async function runServiceToStop(): Promise<string> {
  const proc = spawn(process.execPath, [SERVICE], {
    env: { ...process.env, TEST_HMAC_KEY: KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => resolve(code)),
  );
  const waiters = new Set<() => void>();
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => {
    err += c;
    for (const check of waiters) check();
  });
  const wait = (re: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(err);
        if (m) {
          waiters.delete(check);
          resolve(m);
        }
      };
      waiters.add(check);
      proc.once('exit', () => reject(new Error(`service exited before ${re}: ${err}`)));
      check();
    });
  const port = Number((await wait(/^port (\d+)$/m))[1]);
  const call = (method: string, path: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  expect(await call('GET', '/orders/1')).toBe(200);
  const inFlight = call('DELETE', '/orders/2');
  await wait(/^started 2$/m);
  proc.kill('SIGTERM');
  expect(await inFlight).toBe(204);
  expect(await exited).toBe(0);
  return out;
}

describe('verify on a real stopped service, then with a genuine line after AUDIT_STOP', () => {
  it('the untouched stream through AUDIT_STOP is CLEAN; the same stream plus the genuine signed line after it exits 1 and names that line', async () => {
    // Prepare: the service's real stdout.
    const lines = (await runServiceToStop()).split('\n').filter((l) => l !== '');
    const entries = lines.map((l) => JSON.parse(l) as Entry);
    const stopIndex = entries.findIndex((e) => e.action === 'AUDIT_STOP');
    expect(stopIndex).toBeGreaterThan(0);
    const stop = entries[stopIndex] as Entry;
    // The in-flight DELETE was drained before the stop, not written after it.
    expect(entries.slice(0, stopIndex).map((e) => [e.action, e.resource, e.status])).toEqual([
      ['AUDIT_START', 'audit-log/orders-api', 'SUCCESS'],
      ['READ', '/orders/1', 'SUCCESS'],
      ['DELETE', '/orders/2', 'SUCCESS'],
    ]);
    // The only line after the stop is the one the stale logger wrote: genuine, same instance, next seq.
    expect(entries.slice(stopIndex + 1)).toEqual([
      expect.objectContaining({
        instance: stop.instance,
        seq: stop.seq + 1,
        user_id: 'late',
        resource: '/orders/late',
      }),
    ]);
    const untouched = tempFile('stopped.ndjson', ndjson(lines.slice(0, stopIndex + 1)));
    const withLate = tempFile('after-stop.ndjson', ndjson(lines));

    // Act
    const clean = await runVerify(['--json', '--key', KEY, untouched]);
    const late = await runVerify(['--json', '--key', KEY, withLate]);
    const lateText = await runVerify(['--key', KEY, withLate]);

    // Assess: CLEAN first (a failure here means the real stream itself is broken: gap, bad chain, stop not last).
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(parseReport(clean).issues).toEqual([]);
    // Its hash chain verifies, so only the after-stop rule can catch it: without it this was CLEAN, exit 0.
    expect(late.code, late.stdout + late.stderr).toBe(1);
    const report = parseReport(late);
    expect(report.instances).toEqual([
      expect.objectContaining({
        instance: stop.instance,
        entries: lines.length,
        verified: lines.length,
      }),
    ]);
    expect(report.issues).toEqual([
      expect.objectContaining({ code: 'after-stop', instance: stop.instance, seq: stop.seq + 1 }),
    ]);
    expect(lateText.code).toBe(1);
    expect(lateText.stdout).toContain(
      `[after-stop] instance ${stop.instance}: seq ${stop.seq + 1} written after AUDIT_STOP (seq ${stop.seq})`,
    );
  });
});
