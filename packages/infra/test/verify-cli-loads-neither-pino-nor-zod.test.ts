// `auditline verify` reads lines; it never logs through pino. Core's root
// loads pino (and its CommonJS dependencies) at import, about 0.1 s of a
// 0.65 s verify run, so the command imports only core's narrow subpath
// `@auditline/core/internal/verify`, issue #15. Nor does it load zod (60 ms
// of its start-up on Node 20) when a key flag is given: it checks its flags
// itself, and only reading AUDIT_HMAC_KEY loads core's env reader.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, interleavedStream, KEY, ndjson, tempFile } from './verify-support.js';

const RECORDER = fileURLToPath(new URL('./helpers/record-module-loads.mjs', import.meta.url));

/** Runs the real CLI with the recorder preloaded; returns its exit code and every module it loaded. */
async function runRecorded(
  args: readonly string[],
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<{ code: number | null; modules: string[] }> {
  const record = join(mkdtempSync(join(tmpdir(), 'auditline-loads-')), 'modules.txt');
  writeFileSync(record, '');
  const env: Record<string, string | undefined> = {
    ...process.env,
    AUDITLINE_RECORD_MODULES: record,
  };
  delete env.AUDIT_HMAC_KEY;
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, ['--import', RECORDER, CLI, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const modules = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  if (modules.length === 0) throw new Error(`the recorder saw no module; stderr: ${stderr}`);
  return { code, modules };
}

/** pino's own files or any pino-* package (pino-std-serializers, pino-abstract-transport…). */
const isPino = (module: string): boolean =>
  /[\\/]pino(-[a-z-]+)?@|[\\/]node_modules[\\/]pino[\\/]/.test(module);

/** zod's own files, however pnpm lays them out. */
const isZod = (module: string): boolean => /[\\/]zod@|[\\/]node_modules[\\/]zod[\\/]/.test(module);

describe('auditline verify loads only what it needs (issue #15)', () => {
  it('a child `auditline verify --key` over a clean chained log loads no pino module', async () => {
    // Prepare: a real chained log from the real logger.
    const { lines } = await interleavedStream(40);
    const file = tempFile('chained.ndjson', ndjson(lines));

    // Act
    const { code, modules } = await runRecorded(['verify', '--key', KEY, file]);

    // Assess: it did verify (exit 0 clean) through core's verifier, and none of
    // pino's files were loaded; a pino file here means some import on the
    // verify path reaches core's root again.
    expect(code).toBe(0);
    expect(modules.some((module) => module.includes('/core/dist/verify/'))).toBe(true);
    expect(modules.filter(isPino)).toEqual([]);
    // A zod file here means the command went through core/internal or the
    // public verifier's option schema again (issue #15).
    expect(modules.filter(isZod)).toEqual([]);
  });

  it("without a key flag it still reads AUDIT_HMAC_KEY (through core's env reader, which loads zod)", async () => {
    // Prepare: the same clean chained log, and the key only in the environment.
    const { lines } = await interleavedStream(40);
    const file = tempFile('chained-env.ndjson', ndjson(lines));

    // Act
    const { code, modules } = await runRecorded(['verify', file], { AUDIT_HMAC_KEY: KEY });

    // Assess: clean with the env key (a lazy import that lost the key would
    // give exit 2, "MISSING KEY"), and the recorder sees zod here, so the
    // zod check above can fail.
    expect(code).toBe(0);
    expect(modules.filter(isZod).length).toBeGreaterThan(0);
  });

  it('the recorder does see pino when a command loads core root (so the test above can fail)', async () => {
    // Prepare / Act: `auditline template` imports core's root, which loads pino.
    const { code, modules } = await runRecorded([
      'template',
      '--service',
      'orders-api',
      '--alert-email',
      'ops@example.com',
    ]);

    // Assess: a recorder blind to pino would make the first test pass vacuously.
    expect(code).toBe(0);
    expect(modules.filter(isPino).length).toBeGreaterThan(0);
  });
});
