import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of a file in examples/ecs. */
export const ecsPath = (name: string): string =>
  fileURLToPath(new URL(`../../../ecs/${name}`, import.meta.url));

/** Text of a file in examples/ecs. */
export const readEcs = (name: string): string => readFileSync(ecsPath(name), 'utf8');

/** Runs examples/ecs/generate.mjs with one mode flag and returns its stdout. */
export function generate(mode: '--stdout' | '--json' | '--command'): string {
  return execFileSync(process.execPath, [ecsPath('generate.mjs'), mode], { encoding: 'utf8' });
}
