import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AuditEntry } from '@auditline/core';
import { verifyAuditLog } from '@auditline/core/verify';
import { afterEach, describe, expect, it } from 'vitest';

// Issue #11: a crash, process.exit() in a handler, or SIGTERM under load left
// no entry for the requests in flight; on SIGTERM their entries came after
// AUDIT_STOP, so deleting them left verify CLEAN. Each case here: one line for
// every request whose handler started, no seq gap, AUDIT_STOP last, nothing
// after it, and verify CLEAN on the untouched stream.

const FIXTURE = fileURLToPath(new URL('./fixtures/lifecycle-app.mjs', import.meta.url));

interface Service {
  readonly child: ChildProcess;
  readonly port: number;
  readonly started: Set<string>;
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let service: Service | undefined;
afterEach(() => {
  service?.child.kill('SIGKILL');
  service = undefined;
});

function startService(mode: 'signals' | 'helper'): Promise<Service> {
  const child = spawn(process.execPath, [FIXTURE, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const started = new Set<string>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      for (const m of chunk.matchAll(/^started (\S+)$/gm)) started.add(m[1] as string);
      const port = /^port (\d+)$/m.exec(err);
      if (port && service === undefined) {
        service = { child, port: Number(port[1]), started, stdout: () => out, exited };
        resolve(service);
      }
    });
    child.once('exit', () => reject(new Error(`service exited early: ${err}`)));
  });
}

/** Fires a request and ignores how it ends (the service may die under it). */
function fire(port: number, method: string, path: string): void {
  const req = request({ host: '127.0.0.1', port, method, path, agent: false });
  req.on('error', () => {});
  req.on('response', (res) => res.resume());
  req.end();
}

async function waitForStarted(s: Service, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (s.started.size < count) {
    if (Date.now() > deadline)
      throw new Error(`only ${s.started.size} of ${count} handlers started`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The stream's invariants: one line per started handler, no gap, AUDIT_STOP last, verify CLEAN. */
function assessStream(s: Service): { requests: AuditEntry[]; stop: AuditEntry } {
  const text = s.stdout();
  const lines = text.split('\n').filter((l) => l !== '');
  const entries = lines.map((l) => JSON.parse(l) as AuditEntry);
  expect(entries.every((e) => e.audit === true)).toBe(true);
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  const stop = entries.at(-1) as AuditEntry;
  expect(stop.action).toBe('AUDIT_STOP');
  expect(entries.filter((e) => e.action === 'AUDIT_STOP')).toHaveLength(1);
  // AUDIT_STOP never borrows a request's context (SPEC §4.9).
  expect(stop).not.toHaveProperty('method');
  expect(stop).not.toHaveProperty('path');
  const requests = entries.filter((e) => e.action !== 'AUDIT_START' && e.action !== 'AUDIT_STOP');
  const ids = requests.map((e) => String(e.path).split('/').pop());
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids)).toEqual(s.started);
  const report = verifyAuditLog(lines);
  expect(report.issues).toEqual([]);
  expect(report.ok).toBe(true);
  return { requests, stop };
}

describe('the process stops while requests are in flight (issue #11)', () => {
  it('SIGTERM under load: finished requests drain, hung ones are written as interrupted, then AUDIT_STOP', async () => {
    // Prepare
    const s = await startService('signals');
    for (let i = 0; i < 20; i++) fire(s.port, 'GET', `/slow/s${i}`);
    for (let i = 0; i < 3; i++) fire(s.port, 'GET', `/hang/h${i}`);
    await waitForStarted(s, 23);

    // Act
    s.child.kill('SIGTERM');
    const exit = await s.exited;

    // Assess: the logger re-raised SIGTERM after the drain.
    expect(exit.signal).toBe('SIGTERM');
    const { requests, stop } = assessStream(s);
    expect(stop.details).toMatchObject({ reason: 'SIGTERM' });
    const slow = requests.filter((e) => String(e.path).startsWith('/slow/'));
    const hung = requests.filter((e) => String(e.path).startsWith('/hang/'));
    expect(slow).toHaveLength(20);
    for (const e of slow)
      expect(e).toMatchObject({ status: 'SUCCESS', details: { statusCode: 200 } });
    expect(hung).toHaveLength(3);
    for (const e of hung) {
      expect(e).toMatchObject({
        status: 'FAILED',
        details: { interrupted: 'SIGTERM', answered: false },
      });
    }
  });

  it('shutdownGracefully from the app SIGTERM handler gives the same stream and exit code 0', async () => {
    // Prepare
    const s = await startService('helper');
    for (let i = 0; i < 10; i++) fire(s.port, 'GET', `/slow/s${i}`);
    fire(s.port, 'GET', '/hang/h0');
    await waitForStarted(s, 11);

    // Act
    s.child.kill('SIGTERM');
    const exit = await s.exited;

    // Assess
    expect(exit).toEqual({ code: 0, signal: null });
    const { requests, stop } = assessStream(s);
    expect(stop.details).toMatchObject({ reason: 'SIGTERM' });
    expect(requests.filter((e) => e.status === 'SUCCESS')).toHaveLength(10);
    expect(requests.find((e) => e.path === '/hang/h0')?.details).toMatchObject({
      interrupted: 'SIGTERM',
    });
  });

  it('an uncaught exception in a request callback: every started request has its line, then AUDIT_STOP', async () => {
    // Prepare
    const s = await startService('signals');
    for (let i = 0; i < 10; i++) fire(s.port, 'GET', `/hang/h${i}`);
    await waitForStarted(s, 10);

    // Act
    fire(s.port, 'DELETE', '/crash/c0');
    const exit = await s.exited;

    // Assess: the crashing request too, recorded as what it was (a DELETE that never answered).
    expect(exit.code).toBe(1);
    const { requests, stop } = assessStream(s);
    expect(stop).toMatchObject({ status: 'FAILED', details: { reason: 'exit', exit_code: 1 } });
    expect(requests).toHaveLength(11);
    expect(requests.find((e) => e.path === '/crash/c0')).toMatchObject({
      action: 'DELETE',
      status: 'FAILED',
      details: { interrupted: 'exit', exit_code: 1, answered: false },
    });
  });

  it('process.exit() in a handler: every started request has its line, then AUDIT_STOP', async () => {
    // Prepare
    const s = await startService('signals');
    for (let i = 0; i < 10; i++) fire(s.port, 'GET', `/hang/h${i}`);
    await waitForStarted(s, 10);

    // Act
    fire(s.port, 'POST', '/exit/x0');
    const exit = await s.exited;

    // Assess
    expect(exit.code).toBe(3);
    const { requests, stop } = assessStream(s);
    expect(stop.details).toMatchObject({ reason: 'exit', exit_code: 3 });
    expect(requests).toHaveLength(11);
    expect(requests.find((e) => e.path === '/exit/x0')).toMatchObject({
      action: 'CREATE',
      details: { interrupted: 'exit', exit_code: 3 },
    });
  });
});
