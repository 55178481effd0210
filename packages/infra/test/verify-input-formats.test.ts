import { gzipSync } from 'node:zlib';
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

// Issue #7 "Export formats": the same stream wrapped as CloudWatch exports,
// Firehose objects and gzip verifies the same way as plain NDJSON.
let stream: Stream;
let tampered: string[];
let tamperedInstance: string;
beforeAll(async () => {
  stream = await interleavedStream(60);
  tamperedInstance = stream.instances[1] as string;
  tampered = [...stream.lines];
  const i = indexOf(tampered, tamperedInstance, 8);
  tampered[i] = (tampered[i] as string).replace('"status":"SUCCESS"', '"status":"FAILED"');
});

/** What `aws logs filter-log-events --output json` prints (4-space indent). */
function filterLogEvents(lines: readonly string[]): string {
  const events = lines.map((message, i) => ({
    logStreamName: `audit/app/${i % 3}`,
    timestamp: 1_764_000_000_000 + i,
    message,
    ingestionTime: 1_764_000_000_500 + i,
    eventId: `3${String(i).padStart(55, '0')}`,
  }));
  return `${JSON.stringify({ events, searchedLogStreams: [] }, null, 4)}\n`;
}

/** What `aws logs get-log-events --output json` prints. */
function getLogEvents(lines: readonly string[]): string {
  const events = lines.map((message, i) => ({
    timestamp: 1_764_000_000_000 + i,
    message,
    ingestionTime: 1_764_000_000_500 + i,
  }));
  return `${JSON.stringify({ events, nextForwardToken: 'f/1', nextBackwardToken: 'b/1' }, null, 4)}\n`;
}

/** CloudWatch Logs subscription records as Firehose stores them without decompression: gzip members back to back. */
function firehoseRawRecords(lines: readonly string[]): Buffer {
  const control = {
    messageType: 'CONTROL_MESSAGE',
    owner: 'CloudwatchLogs',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [
      {
        id: '',
        timestamp: 1,
        message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.',
      },
    ],
  };
  const records: Buffer[] = [gzipSync(JSON.stringify(control))];
  for (let i = 0; i < lines.length; i += 7) {
    const logEvents = lines.slice(i, i + 7).map((message, j) => ({
      id: String(i + j),
      timestamp: 1_764_000_000_000 + i + j,
      message,
    }));
    records.push(
      gzipSync(
        JSON.stringify({
          messageType: 'DATA_MESSAGE',
          owner: '123456789012',
          logGroup: '/auditline/orders-api',
          logStream: 'app/app/abc',
          subscriptionFilters: ['archive'],
          logEvents,
        }),
      ),
    );
  }
  return Buffer.concat(records);
}

const FORMATS: readonly [string, string, (lines: readonly string[]) => string | Buffer][] = [
  ['plain NDJSON', 'audit.ndjson', ndjson],
  ['filter-log-events JSON', 'filter.json', filterLogEvents],
  ['get-log-events JSON', 'get.json', getLogEvents],
  ['gzip NDJSON', 'audit.ndjson.gz', (lines) => gzipSync(ndjson(lines))],
  ['gzip filter-log-events JSON', 'filter.json.gz', (lines) => gzipSync(filterLogEvents(lines))],
  // Firehose message extraction without AppendDelimiterToRecord: no delimiter at all.
  ['Firehose extracted, no delimiter, gzip', 'firehose-1', (lines) => gzipSync(lines.join(''))],
  ['Firehose extracted, newline-delimited', 'firehose-2', (lines) => ndjson(lines)],
  ['Firehose raw subscription records', 'firehose-3', firehoseRawRecords],
  [
    'Firehose raw records, gzip again',
    'firehose-4.gz',
    (lines) => gzipSync(firehoseRawRecords(lines)),
  ],
];

describe.each(FORMATS)('auditline verify reads %s', (_name, file, encode) => {
  it('verifies the clean stream: exit 0, every line checked', async () => {
    // Prepare
    const path = tempFile(file, encode(stream.lines));

    // Act
    const result = await runVerify(['--json', '--key', KEY, path]);

    // Assess
    expect(result.code).toBe(0);
    const report = parseReport(result);
    expect(report.issues).toEqual([]);
    expect(report.auditLines).toBe(60);
    expect(report.instances.every((i) => i.verified === i.entries && i.closed)).toBe(true);
  });

  it('finds the same tampered line: exit 1 at the same instance and seq', async () => {
    // Prepare
    const path = tempFile(file, encode(tampered));

    // Act
    const result = await runVerify(['--json', '--key', KEY, path]);

    // Assess
    expect(result.code).toBe(1);
    expect(parseReport(result).issues).toEqual([
      expect.objectContaining({ code: 'hash-mismatch', instance: tamperedInstance, seq: 8 }),
    ]);
  });
});

describe('auditline verify input sources', () => {
  it('reads stdin when no file is given', async () => {
    // Act
    const result = await runVerify(['--json', '--key', KEY], {
      stdin: gzipSync(ndjson(stream.lines)),
    });

    // Assess
    expect(result.code).toBe(0);
    expect(parseReport(result).auditLines).toBe(60);
  });

  it('splits concatenated lines correctly when details contain "}{" and wrapper keys', async () => {
    // Prepare: strings that a naive splitter would cut at, and a details
    // object that looks like a CloudWatch wrapper.
    const tricky = await interleavedStream(30, {
      details: { a: '}{', b: '} {"seq":1}', events: ['not', 'a wrapper'], logEvents: [] },
    });
    const path = tempFile('firehose-tricky.gz', gzipSync(tricky.lines.join('')));

    // Act
    const result = await runVerify(['--json', '--key', KEY, path]);

    // Assess
    expect(result.code).toBe(0);
    expect(parseReport(result).auditLines).toBe(30);
  });

  it('joins instances that span several files (one archive object per hour)', async () => {
    // Prepare
    const first = tempFile('part-1.ndjson', ndjson(stream.lines.slice(0, 25)));
    const second = tempFile('part-2.ndjson.gz', gzipSync(ndjson(stream.lines.slice(25))));

    // Act
    const result = await runVerify(['--json', '--key', KEY, first, second]);

    // Assess
    expect(result.code).toBe(0);
    expect(parseReport(result).instances).toHaveLength(3);
  });

  it('names the file and record of a finding when several files are given', async () => {
    // Prepare
    const first = tempFile('part-1.ndjson', ndjson(tampered.slice(0, 10)));
    const second = tempFile('part-2.ndjson', ndjson(tampered.slice(10)));
    const record = tampered.findIndex((line, i) => line !== stream.lines[i]) - 10 + 1;

    // Act
    const result = await runVerify(['--json', '--key', KEY, first, second]);

    // Assess
    expect(result.code).toBe(1);
    expect(parseReport(result).issues[0]).toMatchObject({ source: second, record });
  });
});
