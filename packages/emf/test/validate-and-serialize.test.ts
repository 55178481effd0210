import {
  EMF_ISSUE_CODES,
  type EmfDocument,
  EmfDocumentError,
  extractEmfMetrics,
  serializeEmf,
  validateEmf,
} from '@auditline/emf';
import { describe, expect, it } from 'vitest';

const NOW = Date.now();

function validDoc(): Record<string, unknown> & {
  _aws: { Timestamp: number; CloudWatchMetrics: Record<string, unknown>[] };
} {
  return {
    _aws: {
      Timestamp: NOW,
      CloudWatchMetrics: [
        {
          Namespace: 'shop/App',
          Dimensions: [['Route'], []],
          Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }, { Name: 'Hits' }],
        },
      ],
    },
    Route: '/orders',
    Latency: [12, 15.5],
    Hits: 3,
    requestId: 'anything else is allowed',
  };
}

/** The codes validateEmf reports after `mutate` breaks a valid document. */
function codesAfter(mutate: (doc: ReturnType<typeof validDoc>) => void): string[] {
  const doc = validDoc();
  mutate(doc);
  return validateEmf(doc, { now: NOW }).map((i) => i.code);
}

const directive = (doc: ReturnType<typeof validDoc>) =>
  doc._aws.CloudWatchMetrics[0] as Record<string, unknown>;

describe('validateEmf reports every way CloudWatch rejects a document, as typed issues', () => {
  it('accepts a valid document from any producer', () => {
    expect(validateEmf(validDoc(), { now: NOW })).toEqual([]);
  });

  it.each<[string, (doc: ReturnType<typeof validDoc>) => void, string]>([
    ['a missing _aws', (d) => Reflect.deleteProperty(d, '_aws'), EMF_ISSUE_CODES.invalidMetadata],
    [
      'a Timestamp in seconds as a string',
      (d) => Object.assign(d._aws, { Timestamp: '1700000000' }),
      EMF_ISSUE_CODES.invalidTimestamp,
    ],
    [
      'a Timestamp 15 days old',
      (d) => Object.assign(d._aws, { Timestamp: NOW - 15 * 86_400_000 }),
      EMF_ISSUE_CODES.timestampOutOfRange,
    ],
    [
      'a Timestamp 3 hours ahead',
      (d) => Object.assign(d._aws, { Timestamp: NOW + 3 * 3_600_000 }),
      EMF_ISSUE_CODES.timestampOutOfRange,
    ],
    [
      'an AWS/ namespace',
      (d) => Object.assign(directive(d), { Namespace: 'AWS/EC2' }),
      EMF_ISSUE_CODES.reservedNamespace,
    ],
    [
      'a namespace with a pipe',
      (d) => Object.assign(directive(d), { Namespace: 'a|b' }),
      EMF_ISSUE_CODES.invalidNamespace,
    ],
    [
      'empty Dimensions',
      (d) => Object.assign(directive(d), { Dimensions: [] }),
      EMF_ISSUE_CODES.invalidDimensions,
    ],
    [
      'a 31-key dimension set',
      (d) => {
        const names = Array.from({ length: 31 }, (_, i) => `D${i}`);
        for (const n of names) d[n] = 'x';
        Object.assign(directive(d), { Dimensions: [names] });
      },
      EMF_ISSUE_CODES.tooManyDimensions,
    ],
    [
      'a dimension name starting with ":"',
      (d) => Object.assign(directive(d), { Dimensions: [[':Route']] }),
      EMF_ISSUE_CODES.invalidDimensionName,
    ],
    [
      'a dimension with no member',
      (d) => Reflect.deleteProperty(d, 'Route'),
      EMF_ISSUE_CODES.missingDimension,
    ],
    [
      'a nested dimension target',
      (d) => {
        Reflect.deleteProperty(d, 'Route');
        d.http = { Route: '/orders' };
      },
      EMF_ISSUE_CODES.missingDimension,
    ],
    [
      'a numeric dimension value',
      (d) => Object.assign(d, { Route: 404 }),
      EMF_ISSUE_CODES.invalidDimensionValue,
    ],
    [
      'a non-ASCII dimension value',
      (d) => Object.assign(d, { Route: '/café' }),
      EMF_ISSUE_CODES.invalidDimensionValue,
    ],
    [
      'a 1,025-character dimension value',
      (d) => Object.assign(d, { Route: 'r'.repeat(1025) }),
      EMF_ISSUE_CODES.invalidDimensionValue,
    ],
    [
      '101 metrics',
      (d) => {
        const metrics = Array.from({ length: 101 }, (_, i) => ({ Name: `M${i}` }));
        for (const m of metrics) d[m.Name] = 1;
        Object.assign(directive(d), { Metrics: metrics });
      },
      EMF_ISSUE_CODES.tooManyMetrics,
    ],
    [
      'the unit "Counts"',
      (d) => Object.assign(directive(d), { Metrics: [{ Name: 'Hits', Unit: 'Counts' }] }),
      EMF_ISSUE_CODES.invalidUnit,
    ],
    [
      'StorageResolution 5',
      (d) => Object.assign(directive(d), { Metrics: [{ Name: 'Hits', StorageResolution: 5 }] }),
      EMF_ISSUE_CODES.invalidStorageResolution,
    ],
    [
      'a 256-character metric name',
      (d) => Object.assign(directive(d), { Metrics: [{ Name: 'm'.repeat(256) }] }),
      EMF_ISSUE_CODES.invalidMetricName,
    ],
    [
      'a metric with no member',
      (d) => Reflect.deleteProperty(d, 'Hits'),
      EMF_ISSUE_CODES.missingMetric,
    ],
    [
      'a null metric value (NaN after JSON)',
      (d) => Object.assign(d, { Hits: null }),
      EMF_ISSUE_CODES.invalidMetricValue,
    ],
    [
      'a string metric value',
      (d) => Object.assign(d, { Hits: '3' }),
      EMF_ISSUE_CODES.invalidMetricValue,
    ],
    [
      '101 values',
      (d) => Object.assign(d, { Latency: Array.from({ length: 101 }, () => 1) }),
      EMF_ISSUE_CODES.tooManyValues,
    ],
    [
      'a name that is both dimension and metric',
      (d) => Object.assign(directive(d), { Metrics: [{ Name: 'Route' }] }),
      EMF_ISSUE_CODES.nameCollision,
    ],
  ])('reports %s', (_, mutate, code) => {
    expect(codesAfter(mutate)).toContain(code);
  });

  it('gives each issue a code, a path and a message', () => {
    // Act
    const [issue] = validateEmf({ ...validDoc(), Hits: null }, { now: NOW });

    // Assess
    expect(issue).toEqual({
      code: 'invalid_metric_value',
      path: 'Hits',
      message: expect.stringContaining('null'),
    });
  });
});

describe('serializeEmf', () => {
  it('writes one line with _aws first that parses back to the document', () => {
    // Act
    const line = serializeEmf(validDoc() as unknown as EmfDocument);

    // Assess
    expect(line.startsWith('{"_aws":{')).toBe(true);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(validDoc());
    expect(extractEmfMetrics(line).map((m) => [m.name, m.dimensions, m.values])).toEqual([
      ['Latency', { Route: '/orders' }, [12, 15.5]],
      ['Hits', { Route: '/orders' }, [3]],
      ['Latency', {}, [12, 15.5]],
      ['Hits', {}, [3]],
    ]);
  });

  it('escapes U+2028 and U+2029 so the line stays one line for every reader', () => {
    const line = serializeEmf({ ...validDoc(), note: 'a\u2028b\u2029c' } as unknown as EmfDocument);
    expect(line).toContain('a\\u2028b\\u2029c');
  });

  it('throws EmfDocumentError with the issues instead of writing what CloudWatch would drop', () => {
    // Act
    let error: unknown;
    try {
      serializeEmf({ ...validDoc(), Hits: Number.NaN } as unknown as EmfDocument);
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(EmfDocumentError);
    expect((error as EmfDocumentError).code).toBe('EMF_INVALID_DOCUMENT');
    expect((error as EmfDocumentError).issues.map((i) => i.code)).toEqual(['invalid_metric_value']);
  });
});

describe('extractEmfMetrics mimics CloudWatch', () => {
  it('extracts nothing from a document with any issue, or from a line that is not JSON', () => {
    expect(extractEmfMetrics({ ...validDoc(), Hits: '3' })).toEqual([]);
    expect(extractEmfMetrics('{"_aws":')).toEqual([]);
    expect(extractEmfMetrics({ level: 'info' })).toEqual([]);
  });

  it('defaults the unit to None and the resolution to 60', () => {
    const hits = extractEmfMetrics(validDoc()).find((m) => m.name === 'Hits');
    expect(hits).toMatchObject({ unit: 'None', storageResolution: 60, namespace: 'shop/App' });
  });
});
