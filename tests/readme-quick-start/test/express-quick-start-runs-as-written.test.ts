import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';

// Issue #16: "The express README quick start, run as written, gives a stream
// that verify calls CLEAN after SIGTERM." The block is taken verbatim from
// packages/express/README.md, typechecked as a user's strict NodeNext project
// would, run as a real process from a temp dir whose node_modules resolves the
// workspace packages, and its captured stdout goes through the installed
// `auditline verify` bin. A quick start that no longer runs, prints a warning,
// starts a second logger (the issue's `[unclosed]` after every clean shutdown)
// or ends without AUDIT_STOP fails here.

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PACKAGE_DIR = resolve(HERE, '..');
const REPO_ROOT = resolve(PACKAGE_DIR, '../..');
const README = join(REPO_ROOT, 'packages/express/README.md');
const KEY = 'quick-start-hmac-key-0123456789abcdef';
const TRACE_ID = 'quick-start-trace-0001';
const SESSION = 'Bearer token-of-u-42';

/** The first ```ts block under "## Quick start", exactly as the README has it. */
function quickStartBlock(): string {
  const readme = readFileSync(README, 'utf8');
  const section = readme.indexOf('\n## Quick start\n');
  expect(section, 'packages/express/README.md has a "## Quick start" section').toBeGreaterThan(-1);
  const open = readme.indexOf('```ts\n', section);
  const close = readme.indexOf('\n```\n', open);
  expect(open).toBeGreaterThan(section);
  return readme.slice(open + '```ts\n'.length, close + 1);
}

/** tsc diagnostics for the file, as a strict ESM TypeScript project (NodeNext) sees it. */
function typecheck(file: string, dir: string): string[] {
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(dir, 'node_modules/@types')],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const at =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `quick start line ${at}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

interface Line {
  readonly [key: string]: unknown;
}

let dir: string | undefined;
let child: ChildProcess | undefined;
let billing: ReturnType<typeof createServer> | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  billing?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  child = undefined;
  billing = undefined;
});

describe('the express README quick start, run as written (issue #16)', () => {
  it('typechecks, serves, stops on SIGTERM and leaves a stream auditline verify calls CLEAN', async () => {
    // Prepare: a project dir outside the workspace with the quick start as its
    // source, and node_modules resolving the workspace packages, express and types.
    const work = mkdtempSync(join(tmpdir(), 'auditline-quick-start-'));
    dir = work;
    symlinkSync(join(PACKAGE_DIR, 'node_modules'), join(work, 'node_modules'), 'dir');
    writeFileSync(join(work, 'package.json'), '{ "type": "module", "private": true }\n');
    const source = quickStartBlock();
    writeFileSync(join(work, 'server.ts'), source);
    expect(typecheck(join(work, 'server.ts'), work), 'the quick start typechecks').toEqual([]);
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(work, 'server.js'), js);

    // The billing service the quick start calls, to see the trace id propagate.
    const billed: IncomingHttpHeaders[] = [];
    const billingServer = createServer((req, res) => {
      billed.push(req.headers);
      req.resume();
      res.writeHead(201).end();
    });
    billing = billingServer;
    billingServer.listen(0, '127.0.0.1');
    await once(billingServer, 'listening');
    const billingUrl = `http://127.0.0.1:${(billingServer.address() as AddressInfo).port}`;

    // Act: run it as a user would (a clean environment plus the documented
    // variables), stdout a pipe as under the awslogs driver.
    const server = spawn(process.execPath, ['server.js'], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        BILLING_URL: billingUrl,
        AUDIT_HMAC_KEY: KEY,
      },
    });
    child = server;
    let stdout = '';
    let stderr = '';
    server.stdout?.setEncoding('utf8');
    server.stderr?.setEncoding('utf8');
    server.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = once(server, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    const port = await new Promise<number>((resolvePort, reject) => {
      server.stdout?.on('data', (chunk: string) => {
        stdout += chunk;
        for (const text of stdout.split('\n').slice(0, -1)) {
          const line = JSON.parse(text) as { msg?: string; address?: AddressInfo };
          if (line.msg === 'listening' && line.address) resolvePort(line.address.port);
        }
      });
      void exited.then(() => reject(new Error(`the quick start exited early:\n${stderr}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: SESSION, 'x-trace-id': TRACE_ID };
    const removed = await fetch(`${base}/orders/42`, { method: 'DELETE', headers });
    const again = await fetch(`${base}/orders/42`, { method: 'DELETE', headers });
    const probe = await fetch(`${base}/health`);
    await Promise.all([removed.text(), again.text(), probe.text()]);
    server.kill('SIGTERM');
    const [code, signal] = await exited;
    const streamFile = join(work, 'stdout.ndjson');
    writeFileSync(streamFile, stdout);
    const manifest = JSON.parse(
      readFileSync(join(PACKAGE_DIR, 'node_modules/@auditline/infra/package.json'), 'utf8'),
    ) as { bin: { auditline: string } };
    const bin = join(PACKAGE_DIR, 'node_modules/@auditline/infra', manifest.bin.auditline);
    const verify = spawn(process.execPath, [bin, 'verify', '--key', KEY, streamFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let report = '';
    verify.stdout?.setEncoding('utf8');
    verify.stdout?.on('data', (chunk: string) => {
      report += chunk;
    });
    verify.stderr?.on('data', (chunk: Buffer) => {
      report += chunk.toString();
    });
    const [verifyCode] = (await once(verify, 'close')) as [number | null];

    // Assess: the answers, and the signal ended the process after the logger's
    // own SIGTERM handling (handleSignals re-raises it when the app has none).
    expect([removed.status, again.status, probe.status]).toEqual([204, 404, 404]);
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stderr, 'nothing on stderr: no warning a newcomer would read as failure').toBe('');
    const lines = stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
    const audit = lines.filter((l) => l.audit === true);
    // One logger (one instance, the configured service): no second default
    // logger with its own unclosed AUDIT_START.
    expect(new Set(audit.map((l) => `${l.service}/${l.instance}`)).size).toBe(1);
    expect(audit[0]?.service).toBe('orders-api');
    expect(audit.map((l) => [l.action, l.status])).toEqual([
      ['AUDIT_START', 'SUCCESS'],
      ['REFUND_ISSUED', 'SUCCESS'],
      ['REQUEST_OUTCOME', 'SUCCESS'],
      ['DELETE', 'FAILED'],
      ['AUDIT_STOP', 'SUCCESS'],
    ]);
    expect(audit.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const entry of audit.slice(1, 4)) {
      expect(entry).toMatchObject({ traceId: TRACE_ID, user_id: 'u-42', resource: '/orders/42' });
    }
    // The app's own lines share stdout, and the billing call carried the trace id.
    expect(lines.filter((l) => l.audit !== true).map((l) => l.msg)).toEqual([
      'listening',
      'order removed',
    ]);
    expect(billed.map((h) => h['x-trace-id'])).toEqual([TRACE_ID]);
    // The stream verifies with the key: chain intact, closed by AUDIT_STOP.
    expect(report).toContain('CLEAN (exit 0)');
    expect(verifyCode, report).toBe(0);
  });
});
