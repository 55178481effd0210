import { createAuditLogger, WARNING_CODES } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { captureWarnings } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';
import {
  indexOf,
  interleavedStream,
  KEY,
  ndjson,
  parseReport,
  runVerify,
  tempFile,
} from './verify-support.js';

// Issues #13 and #11, as an attacker tries them against `auditline verify`
// with the key: a line every saved query counts but the verifier skipped, a
// line after AUDIT_STOP, a report forged on screen, and a flood of findings.

/** The kind of line a forger without the key appends: Logs Insights' `audit = 1` matches it. */
function forgedDelete(marker: string, instance: string, seq: number): string {
  return `{"level":"info","audit":${marker},"timestamp":"2026-11-30T10:00:00.000Z","service":"orders-api","instance":"${instance}","seq":${seq},"traceId":"t-1","user_id":"alice","action":"DELETE","resource":"/orders/7","status":"SUCCESS","details":null}`;
}

describe('auditline verify reports what it must not skip', () => {
  for (const marker of ['1', '"1"', '"true"']) {
    it(`exits 1 on an inserted unsigned "audit":${marker} DELETE by alice (every filter audit = 1 query shows it)`, async () => {
      // Prepare: a clean chained stream, plus the forged line in the middle.
      const { lines, instances } = await interleavedStream(20, { instances: 1 });
      const forged = forgedDelete(marker, instances[0] as string, 99);
      const file = tempFile(
        'forged.ndjson',
        ndjson([...lines.slice(0, 10), forged, ...lines.slice(10)]),
      );

      // Act
      const result = await runVerify(['--json', '--key', KEY, file]);

      // Assess: without this finding the report was CLEAN, exit 0.
      const report = parseReport(result);
      expect(result.code).toBe(1);
      expect(report.issues).toEqual([
        expect.objectContaining({ code: 'not-audit-marker', record: 11, marker }),
      ]);
    });
  }

  it('exits 1, not 2 ("nothing verified"), on an input of forged "audit":1 lines only', async () => {
    // Prepare: no genuine line at all, only what a forger without the key can write.
    const file = tempFile(
      'forged-only.ndjson',
      ndjson([forgedDelete('1', 'i-forged', 1), forgedDelete('"true"', 'i-forged', 2)]),
    );

    // Act
    const result = await runVerify(['--json', '--key', KEY, file]);

    // Assess: exit 2 would tell an alert "bad input, nobody tampered"; both lines are findings.
    const report = parseReport(result);
    expect(result.code).toBe(1);
    expect(report.issues.map((issue: { code: string }) => issue.code)).toEqual([
      'not-audit-marker',
      'not-audit-marker',
    ]);
  });

  it('exits 1 on a genuine signed line written after AUDIT_STOP (log() after close(), issue #11)', async () => {
    // Prepare: the real logger, closed, then asked to log once more.
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: sink,
      integrity: { key: KEY, keyId: 'default' },
    });
    audit.log({ action: 'READ', resource: '/orders/1', status: 'SUCCESS' });
    await audit.close();
    // log() after close() warns once; captured and pinned here, not printed (issue #16).
    const warnings = await captureWarnings(() =>
      audit.log({ action: 'DELETE', resource: '/orders/1', status: 'SUCCESS', user_id: 'late' }),
    );
    expect(warnings).toEqual([
      {
        name: 'Warning',
        code: WARNING_CODES.logAfterClose,
        message: 'auditline: log() after close(); the entry is still written, after AUDIT_STOP.',
      },
    ]);
    const file = tempFile('after-stop.ndjson', sink.lines.join(''));

    // Act
    const result = await runVerify(['--json', '--key', KEY, file]);

    // Assess: its hash verifies, but the stop (seq 3) ends the instance.
    expect(result.code).toBe(1);
    expect(parseReport(result).issues).toEqual([
      expect.objectContaining({ code: 'after-stop', seq: 4, instance: audit.instance }),
    ]);
  });

  it('exits 1 on an unsigned line appended after AUDIT_STOP, naming both problems', async () => {
    // Prepare
    const { lines, instances } = await interleavedStream(6, { instances: 1 });
    const instance = instances[0] as string;
    const stopIndex = indexOf(lines, instance, 6);
    const appended = forgedDelete('true', instance, 7);

    // Act
    const result = await runVerify([
      '--json',
      '--key',
      KEY,
      tempFile('a.ndjson', ndjson([...lines, appended])),
    ]);

    // Assess
    expect(stopIndex).toBe(lines.length - 1);
    expect(result.code).toBe(1);
    expect(parseReport(result).issues.map((i) => [i.code, i.seq])).toEqual([
      ['unsigned-entry', 7],
      ['after-stop', 7],
    ]);
  });
});

describe('auditline verify cannot be steered on screen', () => {
  it('escapes a forged instance and service, so they cannot hide the verdict or print a fake one', async () => {
    // Prepare: a forged instance that tries to end the report early and
    // hide what follows (ESC[8m is "conceal"), and a service with a CSI (U+009B) and a bidi override.
    const { lines } = await interleavedStream(6, { instances: 1 });
    const instance = 'x\n\nCLEAN (exit 0)\n\u001b[8m';
    const forged = `{"level":"info","audit":true,"timestamp":"2026-11-30T10:00:00.000Z","service":"s\u009b2J\u202egnp.evil","instance":${JSON.stringify(instance)},"seq":1,"traceId":"t","user_id":"u","action":"READ","resource":"/r","status":"SUCCESS","details":null}`;
    const file = tempFile('forged-report.ndjson', ndjson([...lines, forged]));

    // Act
    const result = await runVerify(['--key', KEY, file]);

    // Assess: one verdict, last, and nothing a terminal would act on.
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const printed = out.split('\n').filter((line) => line.trim() !== '');
    expect(
      printed.filter((line) => /CLEAN|PROBLEMS FOUND/.test(line) && !line.startsWith('  ')),
    ).toEqual([printed.at(-1)]);
    expect(printed.at(-1)).toMatch(/^PROBLEMS FOUND: \d+ finding\(s\) \(exit 1\)$/);
    expect(out).toContain('\\u001b[8m');
  });
});

describe('auditline verify survives a flood of findings', () => {
  it('reports 300,000 gaps in one instance (a spread argument overflowed the stack past ~120k)', async () => {
    // Prepare: every other seq of one unchained instance, then its AUDIT_STOP.
    const instance = 'f100d0000000000a';
    const parts: string[] = [];
    for (let seq = 1; seq <= 600_001; seq += 2) {
      parts.push(
        `{"level":"info","audit":true,"timestamp":"2026-11-30T10:00:00.000Z","service":"s","instance":"${instance}","seq":${seq},"traceId":"t","user_id":"u","action":"READ","resource":"/r","status":"SUCCESS","details":null}\n`,
      );
    }
    parts.push(
      `{"level":"info","audit":true,"timestamp":"2026-11-30T10:00:00.000Z","service":"s","instance":"${instance}","seq":600003,"traceId":"t","user_id":"u","action":"AUDIT_STOP","resource":"/r","status":"SUCCESS","details":{"final_seq":600003}}\n`,
    );
    const file = tempFile('gaps.ndjson', parts.join(''));

    // Act
    const result = await runVerify([file]);

    // Assess: 300,001 gaps (the last between 600,001 and the stop), all reported.
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('300,001 finding(s):');
    expect(result.stdout).toContain('… and 299,951 more (use --json for all)');
  }, 60_000);
});
