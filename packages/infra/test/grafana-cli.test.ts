import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GRAFANA_DATASOURCE_INPUT, grafanaDashboard } from '@auditline/infra';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// `auditline grafana` as users run it: the built bin in a child process with
// piped output. `--post` talks to a real HTTP server on 127.0.0.1 standing in
// for the workspace's Grafana HTTP API (issue #17).

const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('@auditline/infra/package.json')), 'dist', 'cli.js');
const TOKEN = 'glsa_test-token-never-printed_0123456789';

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'grafana', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let dir: string;
let tokenFile: string;
let server: Server | undefined;
let received: Received[];

/** A stand-in Grafana that records each request and answers with `status`. */
async function startGrafana(status: number, answer: object): Promise<string> {
  received = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'auditline-grafana-'));
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('auditline grafana', () => {
  it('prints the same dashboard as the library and exits 0', async () => {
    const r = await cli('--service', 'my-app', '--emf', '--region', 'eu-west-1');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(
        JSON.stringify(grafanaDashboard({ service: 'my-app', emf: true, region: 'eu-west-1' })),
      ),
    );
  });

  it('imports into a workspace with --post: the import API, the token as Bearer, the data source input', async () => {
    // Prepare
    const url = await startGrafana(200, { importedUrl: '/d/auditline-my-app/my-app-audit-trail' });
    // Act
    const r = await cli(
      '--service',
      'my-app',
      '--post',
      url,
      '--token-file',
      tokenFile,
      '--datasource-uid',
      'cw-prod',
      '--folder-uid',
      'audit',
    );
    // Assess
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported dashboard auditline-my-app');
    expect(received).toHaveLength(1);
    const [req] = received;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/api/dashboards/import');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req?.body ?? '{}');
    expect(body).toMatchObject({
      overwrite: true,
      folderUid: 'audit',
      inputs: [
        {
          name: GRAFANA_DATASOURCE_INPUT,
          type: 'datasource',
          pluginId: 'cloudwatch',
          value: 'cw-prod',
        },
      ],
    });
    expect(body.dashboard).toEqual(
      JSON.parse(JSON.stringify(grafanaDashboard({ service: 'my-app' }))),
    );
    // The token is a secret: never on stdout or stderr.
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('exits 1 when the workspace refuses, naming the status, never the token', async () => {
    const url = await startGrafana(401, { message: 'invalid API key' });
    const r = await cli(
      '--service',
      'my-app',
      '--post',
      url,
      '--token-file',
      tokenFile,
      '--datasource-uid',
      'cw',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 401');
    expect(r.stderr).toContain('invalid API key');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('refuses to send the token over plain http to another host', async () => {
    const r = await cli(
      '--service',
      'my-app',
      '--post',
      'http://grafana.example.com',
      '--token-file',
      tokenFile,
      '--datasource-uid',
      'cw',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('https://');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it.each([
    [
      ['--service', 'my-app', '--post', 'https://g.example.com', '--datasource-uid', 'cw'],
      '--token-file',
    ],
    [
      ['--service', 'my-app', '--post', 'https://g.example.com', '--token-file', 'x'],
      '--datasource-uid',
    ],
    [['--service', 'my-app', '--token-file', 'x'], '--post'],
    [['--region', 'eu-west-1'], '--service'],
    [['--service', 'my-app', '--region', 'mars'], 'region'],
  ])('exits 2 with a usage error for %j', async (args, named) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(named);
  });
});
