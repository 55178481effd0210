import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real pipe (a FIFO), as a container runtime gives a process for stdout. */
export interface Fifo {
  /** Blocking write end, to hand to a child as its stdout. */
  readonly writeFd: number;
  /** Non-blocking read end, to hand to a drain child as its stdin. */
  readonly readFd: number;
  /** The read end as a stream in this process (takes ownership of `readFd`). */
  reader(): Socket;
  /** Closes this process's write end: do it once the writer child is spawned, so EOF can come. */
  closeWriteEnd(): void;
  /** Closes this process's read end: do it once a drain child holds it. */
  closeReadEnd(): void;
}

/**
 * Node's `stdio: 'pipe'` is a UNIX socketpair, not a pipe: other buffer sizes
 * and another syscall path than the pipe Docker/containerd give a container
 * for stdout. The bench hands children a real pipe, so it measures what
 * production sees (SPEC §4.4 is about pipes).
 */
export function createFifo(): Fifo {
  const dir = mkdtempSync(join(tmpdir(), 'auditline-bench-fifo-'));
  const path = join(dir, 'stdout');
  let readFd: number;
  let writeFd: number;
  try {
    const made = spawnSync('mkfifo', [path]);
    if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr?.toString()}`);
    // Reader first and non-blocking, so opening the write end does not wait for one.
    readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    writeFd = openSync(path, constants.O_WRONLY);
  } finally {
    // Both ends are open (or we failed): the name is no longer needed.
    rmSync(dir, { recursive: true, force: true });
  }
  let writeOpen = true;
  let readOpen = true;
  let socket: Socket | undefined;
  return {
    writeFd,
    readFd,
    reader() {
      readOpen = false;
      socket ??= new Socket({ fd: readFd, readable: true, writable: false });
      return socket;
    },
    closeWriteEnd() {
      if (!writeOpen) return;
      writeOpen = false;
      closeSync(writeFd);
    },
    closeReadEnd() {
      if (!readOpen) return;
      readOpen = false;
      closeSync(readFd);
    },
  };
}
