import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Absolute path of a fixture script in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** What a child process printed on its piped stdout and stderr, and its exit code. */
export interface ChildOutput {
  readonly lines: string[];
  readonly stderr: string;
  readonly code: number | null;
}

/**
 * Runs `node script ...args` with stdout and stderr as pipes (as under the
 * awslogs driver), and resolves with the stdout lines once the child has exited.
 */
export async function runNode(
  script: string,
  args: readonly string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<ChildOutput> {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { lines: stdout.split('\n').filter((l) => l !== ''), stderr, code };
}
