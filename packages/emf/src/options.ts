import { AUDIT_FIELDS } from '@auditline/core';
import { defineOptions, z } from '@auditline/core/internal';
import {
  DEFAULT_DIMENSION_SETS,
  DIMENSION_SOURCE_FIELDS,
  type DimensionSourceField,
  EMF_DIMENSIONS,
  EMF_METRIC_UNITS,
  EMF_METRICS,
  type EmfUnit,
  HIGH_CARDINALITY_FIELDS,
  MAX_METRICS_PER_DIRECTIVE,
} from './constants.js';
import { EMF_ERROR_CODES } from './errors.js';
import {
  DIMENSION_SET_SIZE_FIX,
  dimensionSetSizeProblem,
  emfConfigErrorOf,
  fixedDimensionsSchema,
  memberNameProblem,
  metricNameSchema,
  namespaceSchema,
  refusingPrototypeKeys,
  reject,
  STORAGE_RESOLUTION_FIX,
  storageResolutionSchema,
  unitSchema,
} from './option-rules.js';
import type { EmfPluginOptions } from './types.js';

const WHERE = 'emf()';
const AUDIT_FIELD_NAMES: ReadonlySet<string> = new Set(Object.values(AUDIT_FIELDS));
const HIGH_CARDINALITY: ReadonlySet<string> = new Set(HIGH_CARDINALITY_FIELDS);
/** `AuditEventCount` and `ActionDuration` come before the `metrics` option. */
const BUILT_IN_METRICS = 2;

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

const dimensionsSchema = refusingPrototypeKeys(
  z.record(
    z.string(),
    z.enum(DIMENSION_SOURCE_FIELDS, {
      error: `must name an audit field: ${DIMENSION_SOURCE_FIELDS.join(', ')}`,
    }),
    { error: 'must be an object of dimension name → audit field' },
  ),
).superRefine((dimensions, ctx) => {
  for (const name of Object.keys(dimensions)) {
    const found = memberNameProblem(name, 'dimension');
    if (found) return reject(ctx, [name], found.problem, found.fix);
  }
});

const detailMetricSchema = z.object(
  {
    name: metricNameSchema,
    detail: z.string({ error: 'must be the non-empty key of a numeric details member' }).min(1, {
      error: 'must be the non-empty key of a numeric details member',
    }),
    unit: unitSchema.optional(),
  },
  { error: 'must be an object { name, detail, unit? }' },
);

/**
 * The options of `emf()`, each with its own rule; the rules across options
 * (high-cardinality opt-in, sets naming known dimensions, the 100-metric and
 * 30-key limits, name collisions) follow in {@link resolveAcross}.
 */
const emfOptionsShape = z.strictObject(
  {
    namespace: namespaceSchema.optional(),
    dimensions: dimensionsSchema.optional(),
    dimensionSets: z
      .array(z.array(z.string(), { error: 'must be an array of dimension names' }), {
        error: 'must be a non-empty array of arrays of dimension names',
      })
      .min(1, { error: 'must be a non-empty array of arrays of dimension names' })
      .optional(),
    defaultDimensions: fixedDimensionsSchema.optional(),
    metrics: z
      .array(detailMetricSchema, { error: 'must be an array of { name, detail, unit? }' })
      .optional(),
    allowHighCardinality: z
      .array(
        z.enum(HIGH_CARDINALITY_FIELDS, {
          error: `must be one of ${HIGH_CARDINALITY_FIELDS.join(', ')}`,
        }),
        { error: 'must be an array of audit field names' },
      )
      .optional(),
    storageResolution: storageResolutionSchema,
  },
  { error: 'must be an object' },
);

type EmfOptionsInput = z.output<typeof emfOptionsShape>;
type Context = z.RefinementCtx;

/** Thrown inside {@link resolveAcross} after its one issue is added: the first problem is the one reported. */
class Rejected {}

function resolveDimensions(o: EmfOptionsInput, ctx: Context): Map<string, DimensionSourceField> {
  if (o.dimensions === undefined) {
    return new Map([
      [EMF_DIMENSIONS.action, 'action'],
      [EMF_DIMENSIONS.status, 'status'],
    ]);
  }
  const allowed = new Set<string>(o.allowHighCardinality ?? []);
  for (const [name, source] of Object.entries(o.dimensions)) {
    if (HIGH_CARDINALITY.has(source) && !allowed.has(source)) {
      fail(
        ctx,
        ['dimensions', name],
        `"${source}" is a high-cardinality field: every distinct value becomes a separately billed CloudWatch metric (SPEC §8.3)`,
        `query it with Logs Insights instead, or opt in with allowHighCardinality: ["${source}"]`,
      );
    }
    if (source === 'hash') {
      fail(
        ctx,
        ['dimensions', name],
        'the integrity hash is computed after the EMF members are written',
        'use another field',
      );
    }
  }
  return new Map(Object.entries(o.dimensions));
}

function fail(
  ctx: Context,
  path: PropertyKey[],
  message: string,
  fix: string,
  code?: (typeof EMF_ERROR_CODES)[keyof typeof EMF_ERROR_CODES],
): never {
  reject(ctx, path, message, fix, code);
  throw new Rejected();
}

function resolveSets(
  o: EmfOptionsInput,
  dimensions: ReadonlyMap<string, DimensionSourceField>,
  defaultNames: readonly string[],
  ctx: Context,
): string[][] {
  const sets = o.dimensionSets ?? DEFAULT_DIMENSION_SETS;
  return sets.map((set, i) => {
    const names = new Set<string>();
    set.forEach((name, j) => {
      if (!dimensions.has(name) && !defaultNames.includes(name)) {
        fail(
          ctx,
          ['dimensionSets', i, j],
          `is not a key of "dimensions" (${[...dimensions.keys()].join(', ') || 'none'}) or "defaultDimensions"`,
          'define it in "dimensions" first',
        );
      }
      if (names.has(name)) {
        fail(ctx, ['dimensionSets', i, j], 'appears twice in the set', 'list each dimension once');
      }
      names.add(name);
    });
    for (const name of defaultNames) names.add(name);
    const tooMany = dimensionSetSizeProblem(names.size, defaultNames.length);
    if (tooMany) {
      fail(
        ctx,
        ['dimensionSets', i],
        tooMany,
        DIMENSION_SET_SIZE_FIX,
        EMF_ERROR_CODES.limitExceeded,
      );
    }
    return [...names];
  });
}

function resolveMetrics(o: EmfOptionsInput, ctx: Context): ResolvedMetric[] {
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
    ...(o.metrics ?? []).map((m) => ({ name: m.name, unit: m.unit ?? 'None', detail: m.detail })),
  ];
  if (metrics.length > MAX_METRICS_PER_DIRECTIVE) {
    fail(
      ctx,
      ['metrics'],
      `has ${metrics.length} metrics (${BUILT_IN_METRICS} built in), over the EMF limit of ${MAX_METRICS_PER_DIRECTIVE} metrics per directive`,
      `define at most ${MAX_METRICS_PER_DIRECTIVE - BUILT_IN_METRICS} metrics`,
      EMF_ERROR_CODES.limitExceeded,
    );
  }
  const seen = new Set<string>();
  metrics.forEach((m, i) => {
    if (seen.has(m.name)) {
      fail(
        ctx,
        ['metrics', i - BUILT_IN_METRICS, 'name'],
        'is defined twice (AuditEventCount and ActionDuration are built in)',
        'give each metric its own name',
      );
    }
    seen.add(m.name);
  });
  return metrics;
}

function checkCollisions(
  metrics: readonly ResolvedMetric[],
  dimensionNames: readonly string[],
  ctx: Context,
): void {
  const dims = new Set(dimensionNames);
  metrics.forEach(({ name }, i) => {
    // A built-in metric's clash is the dimension's to fix: it is the one the user named.
    const path =
      i < BUILT_IN_METRICS ? ['dimensions', name] : ['metrics', i - BUILT_IN_METRICS, 'name'];
    if (dims.has(name)) {
      fail(
        ctx,
        path,
        `"${name}" is also a ${i < BUILT_IN_METRICS ? 'built-in metric' : 'dimension'} name; one top-level member cannot be both a number and a string`,
        'rename the metric or the dimension',
      );
    }
    if (AUDIT_FIELD_NAMES.has(name)) {
      fail(
        ctx,
        path,
        `"${name}" is an audit field name (AUDIT_FIELDS); the audit line already has that member`,
        'rename the metric',
      );
    }
  });
  for (const name of dimensionNames) {
    if (AUDIT_FIELD_NAMES.has(name)) {
      fail(
        ctx,
        ['dimensions', name],
        `"${name}" is an audit field name (AUDIT_FIELDS); the audit line already has that member`,
        'use a capitalised name such as "Action"',
      );
    }
  }
}

/** The rules across options, in the order the checks were always made (SPEC §8.3). */
function resolveAcross(o: EmfOptionsInput, ctx: Context) {
  const dimensionMap = resolveDimensions(o, ctx);
  const defaults = o.defaultDimensions ?? [];
  for (const d of defaults) {
    if (dimensionMap.has(d.name)) {
      fail(
        ctx,
        ['defaultDimensions', d.name],
        'is also a key of "dimensions"',
        'keep one of the two',
      );
    }
  }
  const defaultNames = defaults.map((d) => d.name);
  const sets = resolveSets(o, dimensionMap, defaultNames, ctx);
  const metrics = resolveMetrics(o, ctx);
  const used = new Set(sets.flat());
  const dimensions = [...dimensionMap]
    .filter(([name]) => used.has(name))
    .map(([name, source]): ResolvedDimension => Object.freeze({ name, source }));
  const dimensionNames = [...dimensions.map((d) => d.name), ...defaultNames];
  checkCollisions(metrics, dimensionNames, ctx);
  return Object.freeze({
    namespace: o.namespace,
    /** Dimensions referenced by a set, in the order of `dimensions`. */
    dimensions: Object.freeze(dimensions),
    /** Each set with the default dimensions appended. */
    dimensionSets: Object.freeze(
      sets.map((s) => Object.freeze(s)),
    ) as readonly (readonly string[])[],
    defaultDimensions: defaults,
    /** `AuditEventCount`, `ActionDuration`, then the `metrics` option. */
    metrics: Object.freeze(metrics.map((m) => Object.freeze(m))) as readonly ResolvedMetric[],
    storageResolution: o.storageResolution,
    /** Every top-level key the plugin writes. */
    reservedKeys: Object.freeze(['_aws', ...dimensionNames, ...metrics.map((m) => m.name)]),
  });
}

/**
 * emf()'s options schema: each option's rule, then the rules across options,
 * resolving to the frozen {@link ResolvedEmfOptions}.
 */
const emfOptionsSchema = emfOptionsShape.transform((o, ctx) => {
  try {
    return resolveAcross(o, ctx);
  } catch (error) {
    if (error instanceof Rejected) return z.NEVER;
    throw error;
  }
});

/** The plugin options after validation, frozen (STYLE: resolve once, never mutate the caller's object). */
export type ResolvedEmfOptions = z.output<typeof emfOptionsSchema>;

const parseEmfOptions = defineOptions({
  where: WHERE,
  schema: emfOptionsSchema,
  fixes: {
    storageResolution: STORAGE_RESOLUTION_FIX,
    '(options)': 'pass e.g. { namespace: "orders/Audit" } or nothing',
    dimensions: 'pass e.g. { Action: "action", Method: "method" }',
    dimensionSets: 'pass e.g. [["Action"], ["Action", "Status"]]',
    defaultDimensions: 'pass e.g. { Service: "orders", Environment: "prod" }',
    metrics: 'pass e.g. [{ name: "ResponseBytes", detail: "bytes", unit: "Bytes" }]',
    allowHighCardinality:
      'list only high-cardinality fields you use as dimensions, e.g. ["user_id"]',
  },
  docs: 'see the option table in the @auditline/emf README',
  error: emfConfigErrorOf,
});

/**
 * Validates and freezes the plugin options (SPEC §8.3). Every failure throws
 * `EmfConfigError` naming the option, the value, the limit and the fix.
 */
export function resolveEmfOptions(options: EmfPluginOptions | undefined): ResolvedEmfOptions {
  return parseEmfOptions(options ?? {});
}
