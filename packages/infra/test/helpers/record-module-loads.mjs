// Preloaded with `node --import` by verify-cli-loads-neither-pino-nor-zod.test.ts:
// records every module the process loads into the file named by
// AUDITLINE_RECORD_MODULES, one URL or path a line. Two real sources, so
// neither loader hides a load: the ESM resolve hook (run on Node's hooks
// thread) sees every `import`, including core's `import pino from 'pino'`;
// `require.cache`, read at exit, holds every CommonJS file, including those
// pino loads with `require()` (Node's public module API only).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.AUDITLINE_RECORD_MODULES;
if (!out) throw new Error('AUDITLINE_RECORD_MODULES is not set: name the file to record into');
register(new URL('./record-module-loads-hooks.mjs', import.meta.url));
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const files = Object.keys(cache);
  if (files.length > 0) appendFileSync(out, `${files.join('\n')}\n`);
});
