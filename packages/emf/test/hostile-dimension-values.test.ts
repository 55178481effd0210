import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { emf } from '@auditline/emf';
import { describe, expect, it } from 'vitest';

// Attack on issue #15's EMF encoder: its fragment is "escaped by contract"
// (core no longer scans it for U+2028/U+2029), dimension values are cached per
// raw value, and the directive text is cached per set of metrics present. Fed
// client-shaped values (a user id or action with a newline, a quote, a
// backslash, U+2028, a lone surrogate, 10k characters, `__proto__`) and a
// details `_aws`, entries alternating with and without an optional metric:
// every line must stay one line with SPEC §4's text escapes, its EMF members
// must be what the returned entry says (SPEC §4.1), and one entry's metrics
// must never appear in the next line's directive. The existing returned-entry
// test covers sanitising and bounds, not these characters nor the alternation.

const HOSTILE = [
  'a\nb',
  'a"b',
  'a\\b',
  'a\u2028b\u2029',
  'a\ud800b',
  'x'.repeat(10_000),
  '__proto__',
  '_aws',
  'constructor',
];

const EMF_MEMBERS = ['_aws', 'Action', 'User', 'Rows', 'AuditEventCount'] as const;

describe('emf with hostile dimension values', () => {
  it('writes each entry as one line whose EMF members are the returned entry, with no directive carried over', () => {
    // Prepare
    const sink = createMemorySink();
    const logger = createAuditLogger({
      service: 'orders-api',
      format: 'json',
      destination: sink,
      plugins: [
        emf({
          dimensions: { Action: 'action', User: 'user_id' },
          dimensionSets: [['Action'], ['User']],
          allowHighCardinality: ['user_id'],
          metrics: [{ name: 'Rows', detail: 'rows', unit: 'Count' }],
        }),
      ],
    });

    for (const [i, value] of [...HOSTILE, ...HOSTILE].entries()) {
      // Act: every other entry has the optional metric; all carry a details `_aws`.
      const withRows = i % 2 === 1;
      const entry = logger.log({
        action: value.slice(0, 64),
        resource: '/orders/1',
        status: 'SUCCESS',
        user_id: value,
        details: withRows ? { rows: i, _aws: { Timestamp: 0 } } : { _aws: 'forged' },
      });
      const raw = sink.lines.at(-1) as string;
      const line = JSON.parse(raw) as Record<string, unknown>;

      // Assess: one line, no raw separators (SPEC §4 "Text").
      expect(raw.indexOf('\n'), `entry ${i}`).toBe(raw.length - 1);
      expect(raw).not.toMatch(/[\u2028\u2029]/);
      // The returned entry's EMF members are the line's.
      const returned = JSON.parse(JSON.stringify(entry)) as Record<string, unknown>;
      for (const key of EMF_MEMBERS) expect(returned[key], `entry ${i} ${key}`).toEqual(line[key]);
      // The directive names Rows exactly when this line has it, whatever came before.
      const directive = (line._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] })
        .CloudWatchMetrics[0];
      expect(
        directive?.Metrics.some((m) => m.Name === 'Rows'),
        `entry ${i}`,
      ).toBe(withRows);
      expect('Rows' in line).toBe(withRows);
      // The caller's details._aws stays inside details, never the EMF root.
      expect((line.details as Record<string, unknown>)._aws).toEqual(
        withRows ? { Timestamp: 0 } : 'forged',
      );
    }
  });
});
