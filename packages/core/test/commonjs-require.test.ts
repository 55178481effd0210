import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// SPEC §2: CJS callers work through require(esm) on Node 20.19+. If the
// exports map or a top-level await breaks that, this child fails to load.
const FIXTURE = fileURLToPath(new URL('./fixtures/require-from-cjs.cjs', import.meta.url));

describe('CommonJS callers', () => {
  it('can require() @auditline/core and its ./testing subpath', async () => {
    const result = await runChild(FIXTURE, []);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.lines).toEqual(['LOGIN']);
  });
});
