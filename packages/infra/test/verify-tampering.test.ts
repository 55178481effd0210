import { beforeAll, describe, expect, it } from 'vitest';
import {
  indexOf,
  interleavedStream,
  KEY,
  ndjson,
  parseReport,
  runVerify,
  type Stream,
  tempFile,
} from './verify-support.js';

// Issue #7 "Tampering": each single-line tampering makes `verify` exit 1 and
// name the instance and the exact seq, in the JSON report and in the text one.
let stream: Stream;
beforeAll(async () => {
  stream = await interleavedStream(90); // 30 lines per instance: seq 1..30
});

function withSeq(line: string, seq: number): string {
  return line.replace(/"seq":\d+,/, `"seq":${seq},`);
}

async function verifyTampered(lines: readonly string[], options: { text?: boolean } = {}) {
  const file = tempFile('tampered.ndjson', ndjson(lines));
  const json = await runVerify(['--json', '--key', KEY, file]);
  // The human report is checked on a few cases only: each run is a child process.
  const text = options.text ? await runVerify(['--key', KEY, file]) : undefined;
  return { json, report: parseReport(json), text };
}

function expectFinding(
  outcome: Awaited<ReturnType<typeof verifyTampered>>,
  code: string,
  instance: string,
  seq: number,
): void {
  expect(outcome.json.code).toBe(1);
  expect(outcome.report.issues).toContainEqual(
    expect.objectContaining({ code, instance, seq, severity: 'problem' }),
  );
  if (outcome.text) {
    expect(outcome.text.code).toBe(1);
    expect(outcome.text.stdout).toMatch(
      new RegExp(`\\[${code}\\] instance ${instance}: seq ${seq}\\b`),
    );
  }
}

describe('auditline verify names the instance and seq of each tampering', () => {
  it('detects one character changed in details', async () => {
    // Prepare
    const [a] = stream.instances as [string];
    const lines = [...stream.lines];
    const i = indexOf(lines, a, 12);
    lines[i] = (lines[i] as string).replace('"note":"abcdefgh"', '"note":"abcdefgX"');

    // Act
    const outcome = await verifyTampered(lines, { text: true });

    // Assess
    expectFinding(outcome, 'hash-mismatch', a, 12);
    expect(outcome.report.issues).toHaveLength(1);
  });

  it('detects a changed user_id', async () => {
    // Prepare
    const b = stream.instances[1] as string;
    const lines = [...stream.lines];
    const i = indexOf(lines, b, 7);
    lines[i] = (lines[i] as string).replace(/"user_id":"[^"]*"/, '"user_id":"admin"');

    // Act
    const outcome = await verifyTampered(lines);

    // Assess
    expectFinding(outcome, 'hash-mismatch', b, 7);
    expect(outcome.report.issues).toHaveLength(1);
  });

  it('detects a deleted line as a gap at its seq', async () => {
    // Prepare
    const c = stream.instances[2] as string;
    const lines = [...stream.lines];
    lines.splice(indexOf(lines, c, 20), 1);

    // Act
    const outcome = await verifyTampered(lines, { text: true });

    // Assess
    expectFinding(outcome, 'gap', c, 20);
    expect(outcome.report.issues).toHaveLength(1);
  });

  it('detects a forged line inserted with a plausible seq', async () => {
    // Prepare: a copy of seq 15 with another resource, placed right after it,
    // claiming seq 16 and keeping the real line's prev/hash (no key to redo them).
    const a = stream.instances[0] as string;
    const lines = [...stream.lines];
    const i = indexOf(lines, a, 15);
    const real16 = lines[indexOf(lines, a, 16)] as string;
    const forged = withSeq(real16, 16).replace(/"resource":"[^"]*"/, '"resource":"/orders/forged"');
    lines.splice(i + 1, 0, forged);

    // Act
    const outcome = await verifyTampered(lines);

    // Assess: the forgery fails its hash, and seq 16 now appears twice.
    expectFinding(outcome, 'hash-mismatch', a, 16);
    expectFinding(outcome, 'duplicate', a, 16);
  });

  it('detects two lines whose contents were swapped while each keeps its seq', async () => {
    // Prepare
    const b = stream.instances[1] as string;
    const lines = [...stream.lines];
    const i = indexOf(lines, b, 9);
    const j = indexOf(lines, b, 21);
    const line9 = lines[i] as string;
    const line21 = lines[j] as string;
    lines[i] = withSeq(line21, 9);
    lines[j] = withSeq(line9, 21);

    // Act
    const outcome = await verifyTampered(lines);

    // Assess
    expectFinding(outcome, 'hash-mismatch', b, 9);
    expectFinding(outcome, 'hash-mismatch', b, 21);
  });

  it('detects a line replayed from another instance', async () => {
    // Prepare: instance B's seq 5, copied verbatim into the middle of A's lines.
    const [a, b] = stream.instances as [string, string];
    const lines = [...stream.lines];
    const replayed = lines[indexOf(lines, b, 5)] as string;
    lines.splice(indexOf(lines, a, 25), 0, replayed);

    // Act
    const outcome = await verifyTampered(lines);

    // Assess
    expectFinding(outcome, 'duplicate', b, 5);
    expect(outcome.report.issues).toHaveLength(1);
  });

  it('detects a line replayed from another instance under this instance id', async () => {
    // Prepare: B's seq 5 relabelled as A's, placed where A's seq 5 was deleted.
    const [a, b] = stream.instances as [string, string];
    const lines = [...stream.lines];
    const replayed = (lines[indexOf(lines, b, 5)] as string).replace(
      `"instance":"${b}"`,
      `"instance":"${a}"`,
    );
    const at = indexOf(lines, a, 5);
    lines.splice(at, 1, replayed);

    // Act
    const outcome = await verifyTampered(lines);

    // Assess
    expectFinding(outcome, 'hash-mismatch', a, 5);
  });

  it('detects a cut tail: the last AUDIT_STOP is missing', async () => {
    // Prepare: loggers close in order, so the last line is the third instance's AUDIT_STOP.
    const c = stream.instances[2] as string;
    const lines = stream.lines.slice(0, -1);

    // Act
    const outcome = await verifyTampered(lines, { text: true });

    // Assess: the chain is reported open after seq 29.
    expectFinding(outcome, 'unclosed', c, 29);
    expect(outcome.report.issues).toHaveLength(1);
    expect(outcome.report.instances.find((i) => i.instance === c)?.closed).toBe(false);
  });

  it('accepts a cut tail with --partial but still reports it', async () => {
    // Prepare
    const file = tempFile('window.ndjson', ndjson(stream.lines.slice(0, -1)));

    // Act
    const result = await runVerify(['--json', '--partial', '--key', KEY, file]);

    // Assess
    expect(result.code).toBe(0);
    expect(parseReport(result).issues).toContainEqual(
      expect.objectContaining({ code: 'unclosed', ignored: true }),
    );
  });
});
