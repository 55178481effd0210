import { AUDIT_PARAMS, BENCH_HMAC_KEY, BENCH_SERVICE } from '../entry.js';

// Writes a closed audit log (chained unless argv[3] is `plain`) of N entries to stdout (a file): the input for `auditline verify`.
const { createAuditLogger } = await import('@auditline/core');
const entries = Number(process.argv[2] ?? '0');
const chained = process.argv[3] !== 'plain';
const audit = createAuditLogger({
  service: BENCH_SERVICE,
  format: 'json',
  integrity: chained ? { key: BENCH_HMAC_KEY } : false,
});
for (let i = 0; i < entries; i++) audit.log(AUDIT_PARAMS);
await audit.close();
