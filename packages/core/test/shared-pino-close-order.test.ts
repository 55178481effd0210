import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// SPEC §4.1 lets a logger share an existing pino logger's destination; pino's
// default one writes asynchronously. sonic-boom's flushSync writes its queue
// while an async write is still in flight, so calling it from close() put
// DELETE and AUDIT_STOP on the wire before AUDIT_START (seen as a flaky test
// under CPU load). close() now relies on the ordered, awaited flush().
const FIXTURE = fileURLToPath(new URL('./fixtures/shared-async-pino.mjs', import.meta.url));

describe('close() with a shared async pino destination', () => {
  it('delivers every line, in seq order, while the first write is still queued', async () => {
    const result = await runChild(FIXTURE, [], { env: { UV_THREADPOOL_SIZE: '1' } });

    const entries = result.lines.map((line) => JSON.parse(line) as { action: string; seq: number });
    expect(entries.map((e) => e.action)).toEqual(['AUDIT_START', 'DELETE', 'AUDIT_STOP']);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(result.code).toBe(0);
  });
});
