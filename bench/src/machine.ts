import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';

/** Where the numbers came from (issue #6: the README names the machine). */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly kernel: string;
  readonly memory: string;
}

/** Reads nproc, the CPU model from /proc/cpuinfo, Node and kernel versions. */
export function machineInfo(): MachineInfo {
  let cpuModel = 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) cpuModel = match[1].trim();
  } catch {
    // Not Linux; the model stays unknown.
  }
  return {
    cpus: availableParallelism(),
    cpuModel,
    node: process.version,
    kernel: release(),
    memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
  };
}
