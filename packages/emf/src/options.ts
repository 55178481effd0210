import { AUDIT_FIELDS } from '@auditline/core';
import {
  DEFAULT_DIMENSION_SETS,
  DIMENSION_SOURCE_FIELDS,
  type DimensionSourceField,
  EMF_DIMENSIONS,
  EMF_METRIC_UNITS,
  EMF_METRICS,
  type EmfUnit,
  HIGH_CARDINALITY_FIELDS,
  MAX_DIMENSION_VALUE_LENGTH,
} from './constants.js';
import { isValidDimensionValue } from './dimension-value.js';
import {
  assertDimensionName,
  assertDimensionSetSize,
  assertMetricCount,
  assertMetricName,
  assertNamespace,
  assertStorageResolution,
  assertUnit,
  configError,
} from './directive.js';
import { EMF_ERROR_CODES } from './errors.js';
import type { EmfPluginOptions, StorageResolution } from './types.js';

const WHERE = 'emf()';
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'namespace',
  'dimensions',
  'dimensionSets',
  'defaultDimensions',
  'metrics',
  'allowHighCardinality',
  'storageResolution',
]);
const AUDIT_FIELD_NAMES: ReadonlySet<string> = new Set(Object.values(AUDIT_FIELDS));
const SOURCES: ReadonlySet<string> = new Set(DIMENSION_SOURCE_FIELDS);
const HIGH_CARDINALITY: ReadonlySet<string> = new Set(HIGH_CARDINALITY_FIELDS);

/** A dimension written on every line, with the audit field it reads. */
export interface ResolvedDimension {
  readonly name: string;
  readonly source: DimensionSourceField;
}

/** A metric written when its value is a finite number ≥ 0 (duration) or finite (details metrics). */
export interface ResolvedMetric {
  readonly name: string;
  readonly unit: EmfUnit;
  /** `details` key to read; `undefined` for `AuditEventCount`, which is always 1. */
  readonly detail: string | undefined;
}

/** The plugin options after validation, frozen (STYLE: resolve once, never mutate the caller's object). */
export interface ResolvedEmfOptions {
  readonly namespace: string | undefined;
  /** Dimensions referenced by a set, in the order of `dimensions`. */
  readonly dimensions: readonly ResolvedDimension[];
  /** Each set with the default dimensions appended. */
  readonly dimensionSets: readonly (readonly string[])[];
  readonly defaultDimensions: readonly { readonly name: string; readonly value: string }[];
  /** `AuditEventCount`, `ActionDuration`, then the `metrics` option. */
  readonly metrics: readonly ResolvedMetric[];
  readonly storageResolution: StorageResolution;
  /** Every top-level key the plugin writes. */
  readonly reservedKeys: readonly string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(option: string, value: unknown, problem: string, fix: string): Error {
  return configError(EMF_ERROR_CODES.invalidConfig, WHERE, option, value, problem, fix);
}

function resolveDimensions(
  raw: unknown,
  allowed: ReadonlySet<string>,
): Map<string, DimensionSourceField> {
  const result = new Map<string, DimensionSourceField>();
  if (raw === undefined) {
    result.set(EMF_DIMENSIONS.action, 'action');
    result.set(EMF_DIMENSIONS.status, 'status');
    return result;
  }
  if (!isPlainObject(raw)) {
    throw invalid(
      'dimensions',
      raw,
      'must be an object of dimension name → audit field',
      'pass e.g. { Action: "action", Method: "method" }',
    );
  }
  for (const [name, source] of Object.entries(raw)) {
    assertDimensionName(name, WHERE, `dimensions.${name}`);
    if (typeof source !== 'string' || !SOURCES.has(source)) {
      throw invalid(
        `dimensions.${name}`,
        source,
        `must name an audit field: ${DIMENSION_SOURCE_FIELDS.join(', ')}`,
        'pick one of those fields',
      );
    }
    if (HIGH_CARDINALITY.has(source) && !allowed.has(source)) {
      throw invalid(
        `dimensions.${name}`,
        source,
        `"${source}" is a high-cardinality field: every distinct value becomes a separately billed CloudWatch metric (SPEC §8.3)`,
        `query it with Logs Insights instead, or opt in with allowHighCardinality: ["${source}"]`,
      );
    }
    if (source === 'hash') {
      throw invalid(
        `dimensions.${name}`,
        source,
        'the integrity hash is computed after the EMF members are written',
        'use another field',
      );
    }
    result.set(name, source as DimensionSourceField);
  }
  return result;
}

function resolveAllowed(raw: unknown): ReadonlySet<string> {
  if (raw === undefined) return new Set();
  if (!Array.isArray(raw)) {
    throw invalid(
      'allowHighCardinality',
      raw,
      'must be an array of audit field names',
      'pass e.g. ["user_id"]',
    );
  }
  raw.forEach((field, i) => {
    if (typeof field !== 'string' || !HIGH_CARDINALITY.has(field)) {
      throw invalid(
        `allowHighCardinality[${i}]`,
        field,
        `must be one of ${HIGH_CARDINALITY_FIELDS.join(', ')}`,
        'list only high-cardinality fields you use as dimensions',
      );
    }
  });
  return new Set(raw as string[]);
}

function resolveDefaultDimensions(raw: unknown): { name: string; value: string }[] {
  if (raw === undefined) return [];
  if (!isPlainObject(raw)) {
    throw invalid(
      'defaultDimensions',
      raw,
      'must be an object of dimension name → fixed value',
      'pass e.g. { Service: "orders", Environment: "prod" }',
    );
  }
  return Object.entries(raw).map(([name, value]) => {
    assertDimensionName(name, WHERE, `defaultDimensions.${name}`);
    if (!isValidDimensionValue(value)) {
      throw invalid(
        `defaultDimensions.${name}`,
        value,
        `dimension values must be 1–${MAX_DIMENSION_VALUE_LENGTH} printable ASCII characters with a non-space (CloudWatch Dimension.Value)`,
        'use a short ASCII value such as "prod"',
      );
    }
    return { name, value };
  });
}

function resolveMetrics(raw: unknown): ResolvedMetric[] {
  const metrics: ResolvedMetric[] = [
    {
      name: EMF_METRICS.auditEventCount,
      unit: EMF_METRIC_UNITS.AuditEventCount,
      detail: undefined,
    },
    {
      name: EMF_METRICS.actionDuration,
      unit: EMF_METRIC_UNITS.ActionDuration,
      detail: 'duration_ms',
    },
  ];
  if (raw === undefined) return metrics;
  if (!Array.isArray(raw)) {
    throw invalid(
      'metrics',
      raw,
      'must be an array of { name, detail, unit? }',
      'pass e.g. [{ name: "ResponseBytes", detail: "bytes", unit: "Bytes" }]',
    );
  }
  raw.forEach((m: unknown, i) => {
    if (!isPlainObject(m)) {
      throw invalid(
        `metrics[${i}]`,
        m,
        'must be an object { name, detail, unit? }',
        'pass e.g. { name: "ResponseBytes", detail: "bytes", unit: "Bytes" }',
      );
    }
    const name = assertMetricName(m.name, WHERE, `metrics[${i}].name`);
    if (typeof m.detail !== 'string' || m.detail.length === 0) {
      throw invalid(
        `metrics[${i}].detail`,
        m.detail,
        'must be the non-empty key of a numeric details member',
        'pass e.g. "bytes" to read details.bytes',
      );
    }
    const unit = m.unit === undefined ? 'None' : assertUnit(m.unit, WHERE, `metrics[${i}].unit`);
    metrics.push({ name, unit, detail: m.detail });
  });
  assertMetricCount(metrics.length, WHERE, 'metrics');
  const seen = new Set<string>();
  metrics.forEach((m, i) => {
    if (seen.has(m.name)) {
      throw invalid(
        `metrics[${i - 2}].name`,
        m.name,
        'is defined twice (AuditEventCount and ActionDuration are built in)',
        'give each metric its own name',
      );
    }
    seen.add(m.name);
  });
  return metrics;
}

function resolveSets(
  raw: unknown,
  dimensions: ReadonlyMap<string, DimensionSourceField>,
  defaults: readonly { name: string }[],
): string[][] {
  const sets = raw ?? DEFAULT_DIMENSION_SETS;
  if (!Array.isArray(sets) || sets.length === 0) {
    throw invalid(
      'dimensionSets',
      sets,
      'must be a non-empty array of arrays of dimension names',
      'pass e.g. [["Action"], ["Action", "Status"]]',
    );
  }
  const defaultNames = defaults.map((d) => d.name);
  return sets.map((set: unknown, i) => {
    if (!Array.isArray(set)) {
      throw invalid(
        `dimensionSets[${i}]`,
        set,
        'must be an array of dimension names',
        'pass e.g. ["Action", "Status"]',
      );
    }
    const names = new Set<string>();
    set.forEach((name: unknown, j) => {
      if (typeof name !== 'string' || (!dimensions.has(name) && !defaultNames.includes(name))) {
        throw invalid(
          `dimensionSets[${i}][${j}]`,
          name,
          `is not a key of "dimensions" (${[...dimensions.keys()].join(', ') || 'none'}) or "defaultDimensions"`,
          'define it in "dimensions" first',
        );
      }
      if (names.has(name)) {
        throw invalid(
          `dimensionSets[${i}][${j}]`,
          name,
          'appears twice in the set',
          'list each dimension once',
        );
      }
      names.add(name);
    });
    for (const name of defaultNames) names.add(name);
    assertDimensionSetSize(names.size, WHERE, `dimensionSets[${i}]`, set, defaultNames.length);
    return [...names];
  });
}

function assertNoCollisions(
  metricNames: readonly string[],
  dimensionNames: readonly string[],
): void {
  const dims = new Set(dimensionNames);
  metricNames.forEach((name, i) => {
    const option = i < 2 ? 'metrics (built in)' : `metrics[${i - 2}].name`;
    if (dims.has(name)) {
      throw invalid(
        option,
        name,
        'is also a dimension name; one top-level member cannot be both a number and a string',
        'rename the metric or the dimension',
      );
    }
    if (AUDIT_FIELD_NAMES.has(name)) {
      throw invalid(
        option,
        name,
        'is an audit field name (AUDIT_FIELDS); the audit line already has that member',
        'rename the metric',
      );
    }
  });
  for (const name of dimensionNames) {
    if (AUDIT_FIELD_NAMES.has(name)) {
      throw invalid(
        `dimensions.${name}`,
        name,
        'is an audit field name (AUDIT_FIELDS); the audit line already has that member',
        'use a capitalised name such as "Action"',
      );
    }
  }
}

/**
 * Validates and freezes the plugin options (SPEC §8.3). Every failure throws
 * `EmfConfigError` naming the option, the value, the limit and the fix.
 */
export function resolveEmfOptions(options: EmfPluginOptions | undefined): ResolvedEmfOptions {
  const o: Record<string, unknown> =
    options === undefined ? {} : (options as Record<string, unknown>);
  if (!isPlainObject(o)) {
    throw invalid(
      'options',
      o,
      'must be an object',
      'pass e.g. { namespace: "orders/Audit" } or nothing',
    );
  }
  for (const key of Object.keys(o)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw invalid(
        key,
        o[key],
        'is not an option of emf()',
        `use one of ${[...KNOWN_OPTIONS].join(', ')}`,
      );
    }
  }
  const namespace =
    o.namespace === undefined ? undefined : assertNamespace(o.namespace, WHERE, 'namespace');
  const allowed = resolveAllowed(o.allowHighCardinality);
  const dimensionMap = resolveDimensions(o.dimensions, allowed);
  const defaults = resolveDefaultDimensions(o.defaultDimensions);
  for (const d of defaults) {
    if (dimensionMap.has(d.name)) {
      throw invalid(
        `defaultDimensions.${d.name}`,
        d.value,
        'is also a key of "dimensions"',
        'keep one of the two',
      );
    }
  }
  const sets = resolveSets(o.dimensionSets, dimensionMap, defaults);
  const metrics = resolveMetrics(o.metrics);
  const storageResolution =
    o.storageResolution === undefined
      ? 60
      : assertStorageResolution(o.storageResolution, WHERE, 'storageResolution');

  const used = new Set(sets.flat());
  const dimensions = [...dimensionMap]
    .filter(([name]) => used.has(name))
    .map(([name, source]) => Object.freeze({ name, source }));
  const dimensionNames = [...dimensions.map((d) => d.name), ...defaults.map((d) => d.name)];
  assertNoCollisions(
    metrics.map((m) => m.name),
    dimensionNames,
  );
  return Object.freeze({
    namespace,
    dimensions: Object.freeze(dimensions),
    dimensionSets: Object.freeze(sets.map((s) => Object.freeze(s))),
    defaultDimensions: Object.freeze(defaults.map((d) => Object.freeze(d))),
    metrics: Object.freeze(metrics.map((m) => Object.freeze(m))),
    storageResolution,
    reservedKeys: Object.freeze(['_aws', ...dimensionNames, ...metrics.map((m) => m.name)]),
  });
}
