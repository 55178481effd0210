import { type AuditEntry, type AuditParams, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { type EmfPluginOptions, emf } from '@auditline/emf';
import { describe, expect, it } from 'vitest';

// SPEC §4.1: log() returns the entry as written. Since issue #15 the EMF
// plugin hands core its members as values (`fragmentInto`) instead of core
// parsing them back from the line, so the values and the text are built side
// by side. What an attacker (or a bug) would look for: a returned entry that
// claims a metric, a dimension value or a directive the line does not carry
// (so code that trusts the returned entry disagrees with CloudWatch), or two
// entries sharing one `_aws` object, so that changing one changes another.

const SHAPES: readonly [string, EmfPluginOptions | undefined][] = [
  ['the defaults', undefined],
  ['high resolution', { storageResolution: 1 }],
  ['default dimensions', { defaultDimensions: { Environment: 'prod', Service: 'orders' } }],
  [
    'detail metrics',
    {
      metrics: [
        { name: 'ResponseBytes', detail: 'bytes', unit: 'Bytes' },
        { name: 'Rows', detail: 'rows', unit: 'Count' },
      ],
    },
  ],
  [
    'high-cardinality and method dimensions',
    {
      dimensions: { Action: 'action', Method: 'method', User: 'user_id' },
      dimensionSets: [['Action'], ['Method', 'User']],
      allowHighCardinality: ['user_id'],
    },
  ],
];

const PARAMS: readonly AuditParams[] = [
  {
    action: 'UPDATE',
    resource: '/o/1',
    status: 'SUCCESS',
    details: { duration_ms: 12.7, bytes: 10, rows: 0 },
  },
  // -0 is written as 0; 1e-300 is outside CloudWatch's range and left out of the line.
  {
    action: 'UPDATE',
    resource: '/o/1',
    status: 'FAILED',
    details: { duration_ms: -0, bytes: -0, rows: 1e-300 },
  },
  // Sanitised (café → caf?), bounded (PROPFIND → HTTP_OTHER), cut at 1024 and blank → (none).
  { action: 'LOGIN', resource: '/o/1', status: 'SUCCESS', user_id: 'café', method: 'PROPFIND' },
  { action: 'LOGIN', resource: '/o/1', status: 'SUCCESS', user_id: 'u'.repeat(1500) },
  { action: 'PROPFIND', resource: '/o/1', status: 'SUCCESS', user_id: '   ', method: 'PROPFIND' },
  // Out of range, and not numbers: no metric, and the entry must not claim one.
  {
    action: 'READ',
    resource: '/o/1',
    status: 'SUCCESS',
    details: { duration_ms: 1e300, bytes: '12', rows: Number.NaN },
  },
  { action: 'READ', resource: '/o/1', status: 'SUCCESS', details: null },
  // Trimmed by the size guard: the plugin's members are kept whole.
  {
    action: 'READ',
    resource: '/o/1',
    status: 'SUCCESS',
    details: { duration_ms: 3, big: 'y'.repeat(40_000) },
  },
];

function writeAll(options: EmfPluginOptions | undefined, chain: boolean) {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'orders-api',
    format: 'json',
    destination: sink,
    plugins: [emf(options)],
    ...(chain ? { integrity: { key: 'returned-entry-test-key-0123456789' } } : {}),
  });
  const entries = PARAMS.map((p) => audit.log(p));
  const lines = sink.lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { entries, lines };
}

describe('log() returns the EMF members exactly as the line has them (SPEC §4.1, issue #15)', () => {
  it.each(
    SHAPES.flatMap(([name, options]) => [
      [name, options, false],
      [`${name}, chain on`, options, true],
    ]) as [string, EmfPluginOptions | undefined, boolean][],
  )('for %s, each entry deep-equals its own line, metric for metric', (_, options, chain) => {
    // Act
    const { entries, lines } = writeAll(options, chain);

    // Assess: spread and structuredClone see what a caller sees; both must be the line.
    expect(lines).toHaveLength(PARAMS.length);
    entries.forEach((entry, i) => {
      expect({ ...entry }, `entry ${i}`).toEqual(lines[i]);
      expect(structuredClone(entry), `entry ${i}`).toEqual(lines[i]);
      // toEqual treats -0 and 0 alike: the line says 0, so must the entry.
      const record = entry as unknown as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (typeof record[key] === 'number') expect(Object.is(record[key], -0), key).toBe(false);
      }
    });
  });

  it('gives each entry its own _aws: changing one returned entry changes no other entry or line', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: sink,
      plugins: [emf()],
    });
    const base = { action: 'UPDATE', resource: '/o/1', status: 'SUCCESS' } as const;
    const first = audit.log({ ...base, details: { duration_ms: 1 } });
    const second = audit.log({ ...base, details: { duration_ms: 2 } });
    const directive = (e: AuditEntry) =>
      (e as unknown as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } })._aws
        .CloudWatchMetrics[0];

    // Act: a caller edits what it got back, deep inside the directive.
    directive(first)?.Dimensions[0]?.push('Injected');
    (first as unknown as { Action: string }).Action = 'DELETE';
    const third = audit.log({ ...base, details: { duration_ms: 3 } });

    // Assess: a directive shared between entries (or with the plugin's prepared
    // state) would carry the edit into the others and into later lines.
    expect(directive(second)?.Dimensions).toEqual([['Action'], ['Action', 'Status']]);
    expect(directive(third)?.Dimensions).toEqual([['Action'], ['Action', 'Status']]);
    expect((third as unknown as { Action: string }).Action).toBe('UPDATE');
    const lastLine = JSON.parse(sink.lines.at(-1) as string);
    expect(lastLine._aws.CloudWatchMetrics[0].Dimensions).toEqual([
      ['Action'],
      ['Action', 'Status'],
    ]);
    expect({ ...third }).toEqual(lastLine);
  });

  it('reads a details value once: a getter that changes its answer cannot split entry and line', () => {
    // Prepare: each read of duration_ms returns a new number.
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: sink,
      plugins: [emf()],
    });
    let reads = 0;
    const details = {
      get duration_ms(): number {
        reads += 1;
        return reads;
      },
    };

    // Act
    const entry = audit.log({ action: 'READ', resource: '/o/1', status: 'SUCCESS', details });

    // Assess: whatever was read, the entry's metric is the line's metric.
    const line = JSON.parse(sink.lines.at(-1) as string);
    expect((entry as unknown as { ActionDuration: unknown }).ActionDuration).toBe(
      line.ActionDuration,
    );
    expect(entry._aws).toEqual(line._aws);
  });

  it('holds the members as plain data, not accessors that parse the line back (issue #15)', () => {
    // Prepare
    const audit = createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: createMemorySink(),
      plugins: [emf()],
    });

    // Act
    const entry = audit.log({
      action: 'READ',
      resource: '/o/1',
      status: 'SUCCESS',
      details: { duration_ms: 4 },
    });

    // Assess: a parse-back accessor per member cost 29% of an EMF log() on Node 24;
    // a build that falls back to it (fragmentInto lost) fails here.
    for (const key of ['_aws', 'Action', 'Status', 'AuditEventCount', 'ActionDuration']) {
      const descriptor = Object.getOwnPropertyDescriptor(entry, key);
      expect(descriptor && 'value' in descriptor, key).toBe(true);
      expect(descriptor?.enumerable, key).toBe(true);
      expect(descriptor?.writable, key).toBe(true);
    }
  });
});

describe('the EMF members stay on one line (SPEC §4.6)', () => {
  it('escapes U+2028/U+2029 in a metric name, which core no longer scans for (issue #15)', () => {
    // Prepare: metric names may hold any character (1–255 chars), so these reach the prepared text.
    const name = 'Rows\u2028Read\u2029';
    const sink = createMemorySink();
    const audit = createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: sink,
      plugins: [emf({ metrics: [{ name, detail: 'rows', unit: 'Count' }] })],
    });

    // Act
    const entry = audit.log({
      action: 'READ',
      resource: '/o/1',
      status: 'SUCCESS',
      details: { rows: 3 },
    });

    // Assess: raw separators would split the line for JavaScript readers and some log tools.
    const raw = sink.lines.at(-1) as string;
    expect(raw).not.toMatch(/[\u2028\u2029]/);
    expect(raw).toContain('Rows\\u2028Read\\u2029');
    const line = JSON.parse(raw);
    expect(line[name]).toBe(3);
    expect({ ...entry }).toEqual(line);
  });
});
