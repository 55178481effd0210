import type { AuditEntry } from '@auditline/core';
import {
  EMPTY_DIMENSION_VALUE,
  emf,
  extractEmfMetrics,
  MAX_DIMENSION_VALUE_LENGTH,
  sanitizeDimensionValue,
} from '@auditline/emf';
import { describe, expect, it } from 'vitest';
import {
  expectValidEmf,
  parseFragment,
  pluginContext,
  realEntry,
  writeAuditLines,
} from './support/emf-assertions.js';

const FREE_TEXT_DIMENSIONS = {
  dimensions: { Action: 'action', Agent: 'user_agent', Path: 'path', Method: 'method' },
  dimensionSets: [['Action', 'Agent', 'Path', 'Method']],
  allowHighCardinality: ['user_agent', 'path'],
} as const;

describe('dimension values are sanitised per entry, never dropped', () => {
  it('turns empty and blank values into "(none)" and keeps the line valid', () => {
    // Act
    const { lines } = writeAuditLines(FREE_TEXT_DIMENSIONS, [
      { action: 'READ', resource: '/r', status: 'SUCCESS', user_agent: '', method: '   ' },
    ]);
    const line = lines[1];

    // Assess
    expectValidEmf(line);
    expect(line.Agent).toBe(EMPTY_DIMENSION_VALUE);
    expect(line.Method).toBe(EMPTY_DIMENSION_VALUE);
    // `path` was not given at all: the member still exists, or CloudWatch would drop every metric.
    expect(line.Path).toBe(EMPTY_DIMENSION_VALUE);
    // The audit fields themselves are untouched.
    expect(line.user_agent).toBe('');
  });

  it('replaces non-ASCII and control characters, one "?" per character', () => {
    // Act
    const { lines } = writeAuditLines(FREE_TEXT_DIMENSIONS, [
      {
        action: 'READ',
        resource: '/r',
        status: 'SUCCESS',
        path: '/café/🎉',
        user_agent: 'bot\u0001\u007f',
      },
    ]);
    const line = lines[1];

    // Assess
    expectValidEmf(line);
    expect(line.Path).toBe('/caf?/?');
    expect(line.Agent).toBe('bot??');
    expect(line.path).toBe('/café/🎉');
  });

  it('cuts a 2,000-character value to 1,024', () => {
    // Act
    const { lines } = writeAuditLines(FREE_TEXT_DIMENSIONS, [
      { action: 'READ', resource: '/r', status: 'SUCCESS', path: `/${'p'.repeat(1999)}` },
    ]);
    const line = lines[1];

    // Assess
    expectValidEmf(line);
    expect(line.Path).toHaveLength(MAX_DIMENSION_VALUE_LENGTH);
    expect(line.Path).toBe(`/${'p'.repeat(1023)}`);
    expect((line.path as string).length).toBe(2000);
  });

  it('sanitises any value type the same way', () => {
    expect(sanitizeDimensionValue('LOGIN')).toBe('LOGIN');
    expect(sanitizeDimensionValue(42)).toBe('42');
    expect(sanitizeDimensionValue(undefined)).toBe(EMPTY_DIMENSION_VALUE);
    expect(sanitizeDimensionValue({ a: 1 })).toBe(EMPTY_DIMENSION_VALUE);
    expect(sanitizeDimensionValue('\u2028')).toBe('?');
    expect(sanitizeDimensionValue('é'.repeat(5000))).toBe('?'.repeat(1024));
  });
});

describe('metric values are finite or left out', () => {
  const plugin = emf({ metrics: [{ name: 'Bytes', detail: 'bytes', unit: 'Bytes' }] });
  const extension = plugin.setup(pluginContext('orders-api'));
  const entryWith = (details: Record<string, unknown>): AuditEntry => ({
    ...realEntry({ action: 'READ', resource: '/r', status: 'SUCCESS' }),
    details: details as AuditEntry['details'],
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a negative duration', -1],
    ['a numeric string', '12'],
    ['null', null],
  ])('leaves ActionDuration out for %s, and the fragment stays valid EMF', (_, duration) => {
    // Act: call the plugin directly, as core does, with values core's validation would repair.
    const doc = parseFragment(
      extension.fragment(entryWith({ duration_ms: duration, bytes: duration }), Date.now()),
    );

    // Assess
    expectValidEmf(doc);
    expect(doc).not.toHaveProperty('ActionDuration');
    expect(doc._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).toEqual(
      duration === -1 ? ['AuditEventCount', 'Bytes'] : ['AuditEventCount'],
    );
  });

  it('keeps a negative value for a details metric (only durations must be ≥ 0)', () => {
    const doc = parseFragment(extension.fragment(entryWith({ bytes: -5 }), Date.now()));
    expectValidEmf(doc);
    expect(doc.Bytes).toBe(-5);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('still writes the line through the logger when duration_ms is %s', (_, duration) => {
    // Act
    const { raw, lines } = writeAuditLines(undefined, [
      { action: 'READ', resource: '/r', status: 'SUCCESS', details: { duration_ms: duration } },
    ]);

    // Assess
    expect(lines).toHaveLength(2);
    expectValidEmf(lines[1]);
    expect(lines[1]).not.toHaveProperty('ActionDuration');
    expect(raw[1]).not.toMatch(/"ActionDuration":(null|NaN|Infinity)/);
  });
});

describe('the Timestamp stays within 14 days back and 2 hours ahead', () => {
  const extension = emf().setup(pluginContext('orders-api'));
  const entry = realEntry({ action: 'READ', resource: '/r', status: 'SUCCESS' });
  const DAY = 24 * 60 * 60 * 1000;

  it.each([
    ['15 days back', -15 * DAY],
    ['3 hours ahead', 3 * 60 * 60 * 1000],
    ['NaN', Number.NaN],
  ])('replaces a timestamp %s with now', (_, offset) => {
    // Act
    const before = Date.now();
    const doc = parseFragment(extension.fragment(entry, before + offset));
    const after = Date.now();

    // Assess
    expectValidEmf(doc);
    expect(doc._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(doc._aws.Timestamp).toBeLessThanOrEqual(after);
    expect(extractEmfMetrics(doc)).toHaveLength(2);
  });

  it('keeps a timestamp inside the window, as an integer', () => {
    const inside = Date.now() - 13 * DAY + 0.75;
    const doc = parseFragment(extension.fragment(entry, inside));
    expectValidEmf(doc);
    expect(doc._aws.Timestamp).toBe(Math.floor(inside));
  });
});
