import { fileURLToPath } from 'node:url';
import { runChild, seqProblems } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));

// SPEC §4.4: once anything touches process.stdout on a pipe, fd 1 is
// non-blocking and sonic-boom sleeps 100 ms on every EAGAIN (measured: 200k
// lines took 26–29 s instead of 2 s). The audit destination must keep its
// throughput. The issue asks for "within 2× of the blocking-fd case"; this is
// the one ratio the issue wants asserted in a test, and it is a ratio of two
// runs on the same machine, not an absolute time.
const COUNT = 200_000;

describe('throughput when fd 1 has been made non-blocking', () => {
  it('delivers 200k lines to a JSON-parsing reader within 2x of the untouched case', async () => {
    // Prepare / Act: the same workload twice, fd 1 untouched and touched.
    const untouched = await runChild(
      WRITER,
      // routeStdout: false keeps fd 1 blocking: the route touches process.stdout (issue #13).
      [JSON.stringify({ count: COUNT, reportFlags: true, options: { routeStdout: false } })],
      {
        parse: true,
      },
    );
    const touched = await runChild(
      WRITER,
      [JSON.stringify({ count: COUNT, touchStdout: true, reportFlags: true })],
      { parse: true },
    );

    // Assess: the touched case really ran on a non-blocking fd, lost nothing,
    // and was not throttled by fixed sleeps.
    expect(untouched.stderr).toContain('nonblocking false');
    expect(touched.stderr).toContain('nonblocking true');
    expect(seqProblems(touched.lines).problems).toEqual([]);
    expect(touched.lines).toHaveLength(COUNT + 1);
    expect(touched.ms).toBeLessThan(untouched.ms * 2);
  });
});
