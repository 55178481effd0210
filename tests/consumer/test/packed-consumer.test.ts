import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type InstalledProject,
  installFixture,
  type PackedWorkspace,
  PUBLIC_PACKAGES,
  packPublicPackages,
} from './packed-projects.js';
import { assertSucceeded, runCommand, strangerEnvironment } from './run-command.js';

// The packed-consumer test (issue #16): what a user gets from the registry,
// not what the workspace links. It catches a file missing from `files`, a
// broken exports map, a `workspace:` leak, duplicated dependencies and types
// that only compile inside the monorepo, before a user does.

const KEY = 'consumer-test-hmac-key-0123456789';

interface Consumer {
  /** What the project is, as the issue lists it. */
  readonly title: string;
  /** The fixture folder that holds its npm install. */
  readonly fixture: 'express5-esm-ts' | 'express4-cjs-js';
  /** Where its own package.json and code live, inside the install. */
  readonly packageDir: string;
  /** tsc runs that typecheck (and, for TypeScript, build) its code. */
  readonly tsc: readonly (readonly string[])[];
  readonly entry: string;
  readonly service: string;
  /** The EMF plugin is on in this one: every line carries `_aws`. */
  readonly emf: boolean;
  /** Its auth sets `req.user` through `import '@auditline/express/user'`. */
  readonly typedUser: boolean;
}

const CONSUMERS: readonly Consumer[] = [
  {
    title: 'ESM TypeScript on Express 5 (module NodeNext, and moduleResolution bundler)',
    fixture: 'express5-esm-ts',
    packageDir: '.',
    tsc: [
      ['-p', 'tsconfig.bundler.json'],
      ['-p', 'tsconfig.json'],
    ],
    entry: 'dist/server.js',
    service: 'consumer-esm',
    emf: true,
    typedUser: true,
  },
  {
    title: 'a CommonJS TypeScript package on Express 5 (module NodeNext)',
    fixture: 'express5-esm-ts',
    packageDir: 'cjs',
    tsc: [['-p', 'tsconfig.json']],
    entry: 'dist/server.js',
    service: 'consumer-cjs-ts',
    emf: false,
    typedUser: true,
  },
  {
    title: 'CommonJS JavaScript on Express 4 (checked with checkJs)',
    fixture: 'express4-cjs-js',
    packageDir: '.',
    tsc: [['-p', 'tsconfig.json']],
    entry: 'server.js',
    service: 'consumer-cjs-js',
    emf: false,
    typedUser: false,
  },
];

let packed: PackedWorkspace;
const installs = new Map<string, InstalledProject>();

beforeAll(async () => {
  packed = await packPublicPackages();
  const fixtures = [...new Set(CONSUMERS.map((c) => c.fixture))];
  for (const project of await Promise.all(fixtures.map((f) => installFixture(packed, f)))) {
    installs.set(project.fixture, project);
  }
}, 600_000);

afterAll(() => {
  if (packed !== undefined && process.env.AUDITLINE_KEEP_CONSUMER !== '1') {
    rmSync(packed.root, { recursive: true, force: true });
  }
});

function installDir(consumer: Consumer): string {
  const install = installs.get(consumer.fixture);
  if (install === undefined) throw new Error(`${consumer.fixture} was not installed`);
  return install.dir;
}

interface ServiceRun {
  readonly exit: { code: number | null; signal: NodeJS.Signals | null };
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the service, sends the requests, stops it with SIGTERM as ECS does. */
async function runService(
  cwd: string,
  entry: string,
  traffic: (base: string) => Promise<void>,
): Promise<ServiceRun> {
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: strangerEnvironment({ AUDIT_HMAC_KEY: KEY, NODE_ENV: 'production' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exited = new Promise<ServiceRun['exit']>((resolveExit) =>
    child.on('close', (code, signal) => resolveExit({ code, signal })),
  );
  const port = await new Promise<number>((resolvePort, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /listening (\d+)/.exec(stderr);
      if (match) resolvePort(Number(match[1]));
    });
    void exited.then((exit) => reject(new Error(`exited early (${exit.code}): ${stderr}`)));
  });
  try {
    await traffic(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
  }
  return { exit: await exited, stdout, stderr };
}

type Line = Record<string, unknown> & { details?: Record<string, unknown> };

describe.each(CONSUMERS)('$title', (consumer) => {
  const cwd = () => resolve(installDir(consumer), consumer.packageDir);
  let run: ServiceRun;
  let lines: Line[];

  it('typechecks and builds its own code against the installed types', async () => {
    for (const args of consumer.tsc) {
      assertSucceeded(
        `tsc ${args.join(' ')}`,
        await runCommand(
          process.execPath,
          [join(installDir(consumer), 'node_modules', 'typescript', 'bin', 'tsc'), ...args],
          { cwd: cwd(), timeoutMs: 180_000 },
        ),
      );
    }
    // tsc on a fresh install takes 10-20 s alone, over 100 s on the shared 2-core CI machine.
  }, 400_000);

  it('serves requests on 127.0.0.1 and writes one audit line per request, quietly', async () => {
    // Act
    run = await runService(cwd(), consumer.entry, async (base) => {
      const auth = { authorization: 'Bearer consumer-token' };
      expect((await fetch(`${base}/orders/7`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${base}/orders/7`, { method: 'DELETE' })).status).toBe(204);
      expect((await fetch(`${base}/admin`)).status).toBe(403);
      expect((await fetch(`${base}/health`)).status).toBe(404);
    });
    // Assess: a clean exit after SIGTERM, and nothing on stderr but our own line
    // (a second core, a pretty fallback or a trust-proxy warning would show here).
    expect(run.exit).toEqual({ code: 0, signal: null });
    expect(run.stderr).toMatch(/^listening \d+\n$/);
    lines = run.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
    const audit = lines.filter((l) => l.audit === true);
    expect(audit.map((l) => [l.action, l.resource, l.status])).toEqual([
      ['AUDIT_START', expect.any(String), 'SUCCESS'],
      ['READ', '/orders/7', 'SUCCESS'],
      ['REFUND_ISSUED', '/orders/7', 'SUCCESS'],
      // The explicit entry claimed the request; its own line is the outcome (SPEC §5.7).
      ['REQUEST_OUTCOME', '/orders/7', 'SUCCESS'],
      ['ACCESS_DENIED', '/admin', 'FAILED'],
      ['AUDIT_STOP', expect.any(String), 'SUCCESS'],
    ]);
    expect(new Set(audit.map((l) => l.instance)).size).toBe(1);
    expect(audit.every((l) => l.service === consumer.service)).toBe(true);
    expect(audit.every((l) => typeof l.hash === 'string')).toBe(true);
    expect(audit.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // The explicit entry carries the request's context (SPEC §5.7).
    const [explicit, automatic] = [audit[2], audit[3]] as [Line, Line];
    expect(explicit.method).toBe('DELETE');
    expect(explicit.traceId).toBe(automatic.traceId);
    expect(automatic.details?.statusCode).toBe(204);
    expect(automatic.details?.attempted_action).toBe('DELETE');
    expect(automatic.details?.claimed_by).toBe(explicit.seq);
    expect(audit[4]?.details?.attempted_action).toBe('READ');
    expect(audit.some((l) => l._aws !== undefined)).toBe(consumer.emf);
    expect(audit[1]?.user_id).toBe(consumer.typedUser ? 'u-7' : 'anonymous');
  });

  it('passes `auditline verify` from the installed bin with the key', async () => {
    // Prepare
    const trail = join(cwd(), 'audit.ndjson');
    writeFileSync(trail, run.stdout);
    // Act
    const verify = await runCommand(
      join(installDir(consumer), 'node_modules', '.bin', 'auditline'),
      ['verify', '--key', KEY, trail],
      { cwd: cwd(), timeoutMs: 60_000 },
    );
    // Assess
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('CLEAN');
  });
});

describe.each([...new Set(CONSUMERS.map((c) => c.fixture))])('the %s install', (fixture) => {
  const dir = () => installs.get(fixture)?.dir ?? '';

  it.each([['zod'], ['@auditline/core'], ['pino']])(
    'holds one copy of %s (caret ranges let npm dedupe; two cores would split the context)',
    async (name) => {
      const ls = assertSucceeded(
        `npm ls ${name}`,
        await runCommand('npm', ['ls', name, '--all', '--parseable'], {
          cwd: dir(),
          timeoutMs: 60_000,
        }),
      );
      const copies = new Set(ls.stdout.split('\n').filter((l) => l.trim() !== ''));
      expect([...copies]).toHaveLength(1);
    },
  );

  it.each(PUBLIC_PACKAGES)(
    '@auditline/%s ships its LICENSE, metadata, sources and docs',
    (name) => {
      const pkg = join(dir(), 'node_modules', '@auditline', name);
      const manifestText = readFileSync(join(pkg, 'package.json'), 'utf8');
      const manifest = JSON.parse(manifestText) as Record<string, unknown>;
      // `workspace:` in a published manifest makes npm fail with EUNSUPPORTEDPROTOCOL.
      expect(manifestText).not.toContain('workspace:');
      expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
      expect(manifest.license).toBe('Apache-2.0');
      for (const field of ['repository', 'homepage', 'bugs']) expect(manifest[field]).toBeTruthy();
      // Every source map points at sources that are in the tarball.
      const maps = listFiles(join(pkg, 'dist')).filter((f) => f.endsWith('.map'));
      expect(maps.length).toBeGreaterThan(0);
      const missing = maps.flatMap((map) => {
        const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
        return sources.map((s) => resolve(dirname(map), s)).filter((s) => !existsSync(s));
      });
      expect(missing).toEqual([]);
      // Every relative link in the README resolves inside the package.
      const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
      const relative = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
        .map((m) => m[1] as string)
        .filter((href) => !/^[a-z]+:/i.test(href));
      expect(relative.filter((href) => !existsSync(join(pkg, href)))).toEqual([]);
    },
  );
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
