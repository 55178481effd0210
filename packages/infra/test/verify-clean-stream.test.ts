import { describe, expect, it } from 'vitest';
import {
  interleavedStream,
  KEY,
  ndjson,
  parseReport,
  runVerify,
  tempFile,
} from './verify-support.js';

// Issue #7 "Clean input": a 100,000-line stream from 3 interleaved instances
// verifies clean and the CLI exits 0.
describe('auditline verify on a clean interleaved stream', () => {
  it('verifies 100,000 lines from 3 instances and exits 0', async () => {
    // Prepare
    const stream = await interleavedStream(100_000);
    const file = tempFile('audit.ndjson', ndjson(stream.lines));

    // Act
    const result = await runVerify(['--json', '--key', KEY, file]);

    // Assess: every line counted, every hash checked, every instance closed.
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = parseReport(result);
    expect(report.ok).toBe(true);
    expect(report.issues).toEqual([]);
    expect(report.auditLines).toBe(100_000);
    expect(report.instances.map((i) => i.instance).sort()).toEqual([...stream.instances].sort());
    for (const instance of report.instances) {
      expect(instance.closed).toBe(true);
      expect(instance.verified).toBe(instance.entries);
    }
    expect(report.instances.reduce((sum, i) => sum + i.entries, 0)).toBe(100_000);
  });

  it('prints a human report naming each instance and CLEAN by default', async () => {
    // Prepare
    const stream = await interleavedStream(60);
    const file = tempFile('audit.ndjson', ndjson(stream.lines));

    // Act
    const result = await runVerify(['--key', KEY, file]);

    // Assess
    expect(result.code).toBe(0);
    for (const id of stream.instances) expect(result.stdout).toContain(id);
    expect(result.stdout).toMatch(/CLEAN \(exit 0\)/);
  });

  it('counts non-audit lines as skipped without failing', async () => {
    // Prepare: app logs and plain text mixed in, as on a shared stdout.
    const stream = await interleavedStream(30);
    const mixed = [
      'server listening on 3000',
      ...stream.lines.slice(0, 10),
      '{"level":30,"msg":"app log line"}',
      '',
      ...stream.lines.slice(10),
    ];
    const file = tempFile('mixed.log', ndjson(mixed));

    // Act
    const result = await runVerify(['--json', '--key', KEY, file]);

    // Assess
    expect(result.code).toBe(0);
    const report = parseReport(result);
    expect(report.skipped).toBe(2);
    expect(report.auditLines).toBe(30);
  });
});
