// The resolve hook of record-module-loads.mjs: appends each resolved URL.
import { appendFileSync } from 'node:fs';

const out = process.env.AUDITLINE_RECORD_MODULES;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (out) appendFileSync(out, `${resolved.url}\n`);
  return resolved;
}
