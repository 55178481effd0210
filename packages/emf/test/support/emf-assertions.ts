import {
  type AuditLoggerOptions,
  type AuditParams,
  type AuditPluginContext,
  createAuditLogger,
} from '@auditline/core';
import { readAuditEnvironment } from '@auditline/core/internal';
import { createMemorySink } from '@auditline/core/testing';
import { type EmfPluginOptions, emf, validateEmf } from '@auditline/emf';
import { expect } from 'vitest';

/** A parsed audit line that carries EMF. */
export type Line = Record<string, unknown> & {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit?: string; StorageResolution?: number }[];
    }[];
  };
};

/**
 * Asserts what CloudWatch needs from a line: it passes `validateEmf`, and every
 * name a directive references is a top-level member of the right type (string
 * dimensions, numeric metrics). Fails with the issues, so a broken rule is named.
 */
export function expectValidEmf(doc: unknown): asserts doc is Line {
  expect(validateEmf(doc)).toEqual([]);
  const line = doc as Line;
  for (const directive of line._aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions) {
      for (const name of set) expect(typeof line[name], `dimension ${name}`).toBe('string');
    }
    for (const metric of directive.Metrics) {
      const value = line[metric.Name];
      const numbers = Array.isArray(value) ? value : [value];
      for (const n of numbers) {
        expect(typeof n, `metric ${metric.Name}`).toBe('number');
        expect(Number.isFinite(n), `metric ${metric.Name}`).toBe(true);
      }
    }
  }
}

/**
 * Writes `params` through a real audit logger with the EMF plugin into the
 * in-memory sink, and returns every raw line and its parse (AUDIT_START first).
 */
export function writeAuditLines(
  pluginOptions: EmfPluginOptions | undefined,
  params: readonly AuditParams[],
  loggerOptions: Partial<AuditLoggerOptions> = {},
): { raw: string[]; lines: Line[] } {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'orders-api',
    format: 'json',
    ...loggerOptions,
    destination: sink,
    plugins: [emf(pluginOptions)],
  });
  for (const p of params) audit.log(p);
  const raw = [...sink.lines];
  return { raw, lines: raw.map((l) => JSON.parse(l) as Line) };
}

/** The context core hands to `setup`, with chosen environment values. */
export function pluginContext(service: string, namespaceFromEnv?: string): AuditPluginContext {
  return {
    service,
    serviceVersion: undefined,
    env: { ...readAuditEnvironment(), AUDIT_EMF_NAMESPACE: namespaceFromEnv },
  };
}

/** An entry as core hands it to `fragment`, built by a real logger. */
export function realEntry(params: AuditParams) {
  const sink = createMemorySink();
  return createAuditLogger({ service: 'orders-api', format: 'json', destination: sink }).log(
    params,
  );
}

/** Parses a fragment the way it ends up in a line: appended to the core members. */
export function parseFragment(fragment: string): Line {
  return JSON.parse(`{"audit":true${fragment}}`) as Line;
}
