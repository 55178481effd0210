// Preloaded with `node --import` into a CLI child: on exit, prints the
// process's peak resident set size (kB, from getrusage via
// process.resourceUsage()) as the last line of stderr, for the bounded-memory
// tests of `auditline verify` (issue #13).
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nmax-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
