import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// SPEC §6 / issue #13: the canary corpus through a real process and a real
// pipe, like `grep` over what the log driver ships. Every form the red-team
// pass found in clear is planted at depths 1..8: every casing and compound,
// encoded query names, [name, value] pairs, Headers, URLSearchParams, Maps,
// DSNs, JWTs, bearer text, Error messages, JSON in strings and path tokens.

const CORPUS = fileURLToPath(new URL('./fixtures/canary-corpus.mjs', import.meta.url));

describe('canary corpus in a child process (SPEC §6, issue #13)', () => {
  it('leaves no canary in stdout nor in the entries log() returned', async () => {
    // Act
    const result = await runChild(CORPUS, [], { parse: true });
    // Assess
    expect(result.code).toBe(0);
    const stderrLines = result.stderr.trimEnd().split('\n');
    const planted = JSON.parse((stderrLines.pop() as string).replace(/^PLANTED /, '')) as string[];
    const returned = stderrLines.join('\n');
    const stdout = result.lines.join('\n');
    expect(planted.length).toBeGreaterThan(1_000);
    // One line per call: AUDIT_START, the calls, AUDIT_STOP.
    expect(result.lines).toHaveLength(stderrLines.length + 2);
    expect(planted.filter((c) => stdout.includes(c))).toEqual([]);
    expect(planted.filter((c) => returned.includes(c))).toEqual([]);
    // The censor is really there (no entry was dropped or emptied).
    expect(stdout.match(/\[REDACTED\]/g)?.length ?? 0).toBeGreaterThan(planted.length / 2);
  });
});
