import { writeSync } from 'node:fs';

// Preloaded (`node --import`) into the `auditline verify` child by the verify
// driver: at exit, writes the process's own CPU time (all threads) as one JSON
// line to fd 3, a pipe the driver opened. On a shared machine wall time is
// mostly the other processes' load; CPU time is what the verifier itself
// spent (issue #15). Nothing else in the child changes.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeSync(3, `${JSON.stringify({ user, system })}\n`);
});
