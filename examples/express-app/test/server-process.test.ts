import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { send } from '../src/http-client.js';

// `node dist/server.js` as ECS runs it: AUDIT_LOG_FORMAT=emf must work (the
// server imports @auditline/emf/register), and SIGTERM must end in AUDIT_STOP
// and exit code 0 (handleSignals + the server's own drain).

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));

describe('dist/server.js in a child process', () => {
  it('writes EMF audit lines with AUDIT_LOG_FORMAT=emf and exits 0 with AUDIT_STOP on SIGTERM', async () => {
    // Prepare
    expect(existsSync(SERVER), `${SERVER} is missing: run pnpm build first`).toBe(true);
    const child = spawn(process.execPath, [SERVER], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        AUDIT_LOG_FORMAT: 'emf',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const lines: Record<string, unknown>[] = [];
    let onPort: (port: number) => void = () => {};
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const port = new Promise<number>((resolve, reject) => {
      onPort = resolve;
      void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'listening') onPort(entry.port as number);
    });

    // Act
    const baseUrl = `http://127.0.0.1:${await port}`;
    const res = await send(baseUrl, { method: 'GET', path: '/api/orders/o-1001' });
    child.kill('SIGTERM');
    const code = await exited;

    // Assess
    expect(res.status).toBe(401);
    expect(code).toBe(0);
    const audit = lines.filter((l) => l.audit === true);
    expect(audit.map((l) => l.action)).toEqual(['AUDIT_START', 'ACCESS_DENIED', 'AUDIT_STOP']);
    for (const entry of audit) {
      expect(entry.service).toBe('example-shop');
      expect(entry._aws).toMatchObject({
        CloudWatchMetrics: [{ Namespace: 'example-shop/Audit' }],
      });
    }
    expect(audit.at(-1)?.details).toMatchObject({ reason: 'SIGTERM' });
  });
});
