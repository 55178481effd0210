import type { AuditDestination } from '@auditline/core';
import { WARNING_CODES } from '@auditline/core';
import {
  createFdDestination,
  defineOptions,
  escapeLineSeparators,
  z,
} from '@auditline/core/internal';
import {
  EMF_ROOT_KEY,
  type EmfUnit,
  MAX_METRICS_PER_DIRECTIVE,
  MAX_VALUES_PER_METRIC,
} from './constants.js';
import { sanitizeDimensionValue } from './dimension-value.js';
import {
  assertDimensionName,
  assertDimensionSetSize,
  assertMetricName,
  assertUnit,
  configError,
} from './directive.js';
import { EMF_ERROR_CODES } from './errors.js';
import { isAcceptedMetricValue } from './metric-value.js';
import {
  DIMENSION_SET_SIZE_FIX,
  dimensionSetSizeProblem,
  emfConfigErrorOf,
  fixedDimensionsSchema,
  namespaceSchema,
  reject,
  STORAGE_RESOLUTION_FIX,
  storageResolutionSchema,
} from './option-rules.js';
import type { MetricsOptions } from './types.js';

const WHERE = 'createMetrics()';

const destinationSchema = z.custom<Pick<AuditDestination, 'write'>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { write?: unknown }).write === 'function',
  { error: 'must be an object with a write(line) method' },
);

/** `createMetrics()`'s options; the fixed dimensions share emf()'s rule (option-rules.ts). */
const metricsOptionsSchema = z.strictObject(
  {
    namespace: namespaceSchema,
    dimensions: fixedDimensionsSchema
      .superRefine((dimensions, ctx) => {
        const tooMany = dimensionSetSizeProblem(dimensions.length, dimensions.length);
        if (tooMany)
          reject(ctx, [], tooMany, DIMENSION_SET_SIZE_FIX, EMF_ERROR_CODES.limitExceeded);
      })
      .default(Object.freeze([])),
    destination: destinationSchema.optional(),
    storageResolution: storageResolutionSchema,
  },
  { error: 'must be an object' },
);

const parseMetricsOptions = defineOptions({
  where: WHERE,
  schema: metricsOptionsSchema,
  fixes: {
    storageResolution: STORAGE_RESOLUTION_FIX,
    '(options)': 'pass { namespace: "orders-api/App" }',
    dimensions: 'pass e.g. { Service: "orders", Environment: "prod" }',
    destination: 'pass an object with a write(line) method, or leave it out for fd 1',
  },
  docs: 'see createMetrics in the @auditline/emf README',
  error: emfConfigErrorOf,
});

/**
 * Application metrics written as EMF documents (SPEC §8.6).
 *
 * @example
 * ```ts
 * const metrics = createMetrics({ namespace: 'orders-api/App', dimensions: { Service: 'orders-api' } });
 * metrics.put('OrderValue', 42.5, 'None', { Currency: 'EUR' });
 * metrics.flush();
 * ```
 */
export interface Metrics {
  /**
   * Records one value. Values of the same name and dimensions are aggregated
   * into one array until `flush()`. A non-finite value (NaN, Infinity), or one
   * whose magnitude is outside CloudWatch's range (non-zero below 8.515920e-109,
   * above 1.174271e+108), is not recorded and `put` returns `false`:
   * CloudWatch would reject it. An invalid name, unit or dimension throws
   * `EmfConfigError` (a programming error, found on first use).
   * @param unit @default 'None'
   */
  put(
    name: string,
    value: number,
    unit?: EmfUnit,
    dims?: Readonly<Record<string, string>>,
  ): boolean;
  /**
   * Writes everything recorded since the last flush, synchronously, one
   * document per line: at most 100 metrics per document and 100 values per
   * metric, split across as many documents as needed. Writes nothing when
   * nothing was recorded. Returns the number of documents written.
   */
  flush(): number;
}

interface Series {
  readonly unit: EmfUnit;
  readonly values: number[];
}

interface Group {
  /** `[["Service","Route"]]` */
  readonly dimensionsJson: string;
  /** `,"Service":"orders","Route":"/x"` */
  readonly members: string;
  readonly series: Map<string, Series>;
}

/**
 * Creates an application metrics recorder that writes EMF documents to the
 * same durable destination as core (fd 1, synchronous) unless told otherwise.
 * Options are validated here (namespace pattern, dimension names and values,
 * at most 30 dimensions) and frozen.
 *
 * @example
 * ```ts
 * import { createMetrics, EMF_UNITS } from '@auditline/emf';
 * const metrics = createMetrics({ namespace: 'orders-api/App' });
 * metrics.put('CartSize', 3, EMF_UNITS.Count);
 * metrics.put('CheckoutLatency', 120, EMF_UNITS.Milliseconds, { PaymentProvider: 'stripe' });
 * metrics.flush(); // two documents: one per dimension combination
 * ```
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const o = parseMetricsOptions(options);
  const namespaceJson = JSON.stringify(o.namespace);
  const resolution = o.storageResolution === 1 ? ',"StorageResolution":1' : '';
  const defaults = o.dimensions.map(({ name, value }) => [name, value] as const);
  const defaultNames = new Set(defaults.map(([name]) => name));
  let warned = false;
  const destination =
    o.destination ??
    createFdDestination({
      onFailure: (error) => {
        if (warned) return;
        warned = true;
        process.emitWarning(
          `auditline: metrics destination failed with ${error.code ?? error.message}; EMF documents are being lost.`,
          { code: WARNING_CODES.destinationBroken },
        );
      },
    });

  /** name → `{"Name":…,"Unit":…}`; also the set of names seen, with their unit. */
  const definitions = new Map<string, { unit: EmfUnit; json: string }>();
  const dimensionNames = new Set<string>(defaultNames);
  const groups = new Map<string, Group>();

  function groupOf(dims: Readonly<Record<string, string>> | undefined): Group {
    const extra = dims === undefined ? [] : Object.entries(dims);
    let key = '';
    if (extra.length > 0) {
      extra.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      key = JSON.stringify(extra);
    }
    const found = groups.get(key);
    if (found) return found;
    const all = new Map<string, string>(defaults);
    for (const [name, value] of extra) {
      if (!dimensionNames.has(name)) {
        assertDimensionName(name, WHERE, `put(dims).${name}`);
        if (definitions.has(name)) {
          throw configError(
            EMF_ERROR_CODES.invalidConfig,
            WHERE,
            `put(dims).${name}`,
            name,
            'is already a metric name; one member cannot be both',
            'rename the dimension',
          );
        }
        dimensionNames.add(name);
      }
      // Values are sanitised, never dropped (SPEC §8.4).
      all.set(name, sanitizeDimensionValue(value));
    }
    assertDimensionSetSize(all.size, WHERE, 'put(dims)', dims, defaults.length);
    let members = '';
    for (const [name, value] of all) members += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
    const group: Group = {
      dimensionsJson: JSON.stringify([[...all.keys()]]),
      members,
      series: new Map(),
    };
    groups.set(key, group);
    return group;
  }

  function definitionOf(name: string, unit: EmfUnit | undefined): { unit: EmfUnit; json: string } {
    const known = definitions.get(name);
    const wanted = unit ?? 'None';
    if (known) {
      if (known.unit !== wanted) {
        throw configError(
          EMF_ERROR_CODES.invalidConfig,
          WHERE,
          `put("${name}") unit`,
          wanted,
          `metric "${name}" was recorded with unit "${known.unit}" before`,
          'use one unit per metric name',
        );
      }
      return known;
    }
    assertMetricName(name, WHERE, 'put(name)');
    const checked = assertUnit(wanted, WHERE, `put("${name}") unit`);
    if (dimensionNames.has(name)) {
      throw configError(
        EMF_ERROR_CODES.invalidConfig,
        WHERE,
        'put(name)',
        name,
        'is already a dimension name; one member cannot be both',
        'rename the metric',
      );
    }
    const created = {
      unit: checked,
      json: `{"Name":${JSON.stringify(name)},"Unit":${JSON.stringify(checked)}${resolution}}`,
    };
    definitions.set(name, created);
    return created;
  }

  function writeDocument(
    group: Group,
    timestamp: number,
    batch: readonly [string, number[]][],
  ): void {
    let defs = '';
    let members = group.members;
    for (let i = 0; i < batch.length; i++) {
      const [name, values] = batch[i] as [string, number[]];
      defs += (i === 0 ? '' : ',') + (definitions.get(name)?.json ?? '');
      // One value is written as a number, like aws-embedded-metrics, so Insights can query it directly.
      members += `,${JSON.stringify(name)}:${values.length === 1 ? values[0] : `[${values.join(',')}]`}`;
    }
    const line = `{"${EMF_ROOT_KEY}":{"Timestamp":${timestamp},"CloudWatchMetrics":[{"Namespace":${namespaceJson},"Dimensions":${group.dimensionsJson},"Metrics":[${defs}]}]}${members}}`;
    destination.write(`${escapeLineSeparators(line)}\n`);
  }

  return Object.freeze({
    put(
      name: string,
      value: number,
      unit?: EmfUnit,
      dims?: Readonly<Record<string, string>>,
    ): boolean {
      const definition = definitionOf(name, unit);
      // CloudWatch drops NaN, Infinity and magnitudes outside its range (issue #13).
      if (!isAcceptedMetricValue(value)) return false;
      const group = groupOf(dims);
      const series = group.series.get(name);
      if (series) series.values.push(value);
      else group.series.set(name, { unit: definition.unit, values: [value] });
      return true;
    },
    flush(): number {
      if (groups.size === 0) return 0;
      const timestamp = Date.now();
      let written = 0;
      for (const group of groups.values()) {
        // Round r carries values [r*100, r*100+100) of every series that has them,
        // so no metric exceeds 100 values; each round is cut into documents of ≤ 100 metrics.
        const entries = [...group.series];
        for (let start = 0; ; start += MAX_VALUES_PER_METRIC) {
          const round: [string, number[]][] = [];
          for (const [name, series] of entries) {
            if (series.values.length > start) {
              round.push([name, series.values.slice(start, start + MAX_VALUES_PER_METRIC)]);
            }
          }
          if (round.length === 0) break;
          for (let i = 0; i < round.length; i += MAX_METRICS_PER_DIRECTIVE) {
            writeDocument(group, timestamp, round.slice(i, i + MAX_METRICS_PER_DIRECTIVE));
            written++;
          }
        }
      }
      groups.clear();
      return written;
    },
  });
}
