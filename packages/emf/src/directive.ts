import {
  EMF_ROOT_KEY,
  type EmfUnit,
  MAX_DIMENSIONS_PER_SET,
  MAX_METRICS_PER_DIRECTIVE,
  STORAGE_RESOLUTIONS,
} from './constants.js';
import { EMF_ERROR_CODES, EmfConfigError, type EmfErrorCode } from './errors.js';
import { dimensionNameProblem, metricNameProblem, namespaceProblem } from './names.js';
import type { StorageResolution } from './types.js';
import { closestUnit, isEmfUnit } from './units.js';

/** Short, safe rendering of a value inside an error message. */
function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  return typeof value;
}

/**
 * Builds the error every construction check throws: who (`emf()` or
 * `createMetrics()`), which option, its value, the rule broken and the fix
 * (STYLE: messages name the option, the value and the fix).
 */
export function configError(
  code: EmfErrorCode,
  where: string,
  option: string,
  value: unknown,
  problem: string,
  fix: string,
): EmfConfigError {
  const valuePreview = show(value);
  return new EmfConfigError(
    code,
    option,
    `${where}: "${option}" is ${valuePreview}: ${problem}. Fix: ${fix}.`,
    { valuePreview, fix },
  );
}

export function assertNamespace(namespace: unknown, where: string, option: string): string {
  const problem = namespaceProblem(namespace);
  if (problem) {
    throw configError(
      EMF_ERROR_CODES.invalidConfig,
      where,
      option,
      namespace,
      problem,
      'use a namespace of your own such as "orders-api/Audit"',
    );
  }
  return namespace as string;
}

/**
 * The checks metric and dimension names share: the name's own rule, then that it
 * is not `_aws`, which holds the EMF metadata.
 */
function assertMemberName(
  name: unknown,
  problem: string | undefined,
  fix: string,
  where: string,
  option: string,
): string {
  const rootKeyProblem =
    name === EMF_ROOT_KEY ? `"${EMF_ROOT_KEY}" holds the EMF metadata` : undefined;
  const found = problem ?? rootKeyProblem;
  if (found) {
    throw configError(
      EMF_ERROR_CODES.invalidConfig,
      where,
      option,
      name,
      found,
      problem ? fix : 'choose another name',
    );
  }
  return name as string;
}

export function assertMetricName(name: unknown, where: string, option: string): string {
  return assertMemberName(
    name,
    metricNameProblem(name),
    'use a short name such as "OrdersPlaced"',
    where,
    option,
  );
}

export function assertDimensionName(name: unknown, where: string, option: string): string {
  return assertMemberName(
    name,
    dimensionNameProblem(name),
    'use a short ASCII name such as "Route"',
    where,
    option,
  );
}

export function assertUnit(unit: unknown, where: string, option: string): EmfUnit {
  if (isEmfUnit(unit)) return unit;
  const guess = typeof unit === 'string' ? closestUnit(unit) : undefined;
  throw configError(
    EMF_ERROR_CODES.invalidConfig,
    where,
    option,
    unit,
    'must be one of the 27 CloudWatch units, spelled exactly (EMF_UNITS)',
    guess ? `use "${guess}"` : 'use a value of EMF_UNITS, e.g. "Count" or "Milliseconds"',
  );
}

export function assertStorageResolution(
  value: unknown,
  where: string,
  option: string,
): StorageResolution {
  if ((STORAGE_RESOLUTIONS as readonly unknown[]).includes(value))
    return value as StorageResolution;
  throw configError(
    EMF_ERROR_CODES.invalidConfig,
    where,
    option,
    value,
    'CloudWatch accepts only 1 (high resolution) or 60 (standard)',
    'pass 1, or leave it out for 60',
  );
}

export function assertDimensionSetSize(
  size: number,
  where: string,
  option: string,
  value: unknown,
  defaults: number,
): void {
  if (size <= MAX_DIMENSIONS_PER_SET) return;
  throw configError(
    EMF_ERROR_CODES.limitExceeded,
    where,
    option,
    value,
    `has ${size} dimension keys${defaults > 0 ? ` (${defaults} of them default dimensions)` : ''}, over the EMF limit of ${MAX_DIMENSIONS_PER_SET} per dimension set`,
    'split it into smaller sets or drop dimensions',
  );
}

export function assertMetricCount(count: number, where: string, option: string): void {
  if (count <= MAX_METRICS_PER_DIRECTIVE) return;
  throw configError(
    EMF_ERROR_CODES.limitExceeded,
    where,
    option,
    `${count} metrics`,
    `over the EMF limit of ${MAX_METRICS_PER_DIRECTIVE} metrics per directive`,
    `define at most ${MAX_METRICS_PER_DIRECTIVE} metrics`,
  );
}

/** A metric definition to pre-serialise. */
export interface DirectiveMetric {
  readonly name: string;
  readonly unit: EmfUnit;
}

/**
 * The directive pre-serialised once (SPEC §8.5): per entry or flush, only the
 * definitions of the metrics present are concatenated between `open` and
 * `close`; nothing is stringified.
 */
export interface PreparedDirective {
  /** `{"Namespace":…,"Dimensions":[…],"Metrics":[` */
  readonly open: string;
  /** `]}` */
  readonly close: string;
  /** `{"Name":…,"Unit":…[,"StorageResolution":1]}` per metric, in input order. */
  readonly definitions: readonly string[];
}

/**
 * Pre-serialises a directive whose parts were already validated with the
 * `assert…` functions above.
 *
 * @example
 * ```ts
 * const d = prepareDirective('shop/App', [['Route']], [{ name: 'Latency', unit: 'Milliseconds' }], 60);
 * const directive = d.open + d.definitions.join(',') + d.close;
 * ```
 */
export function prepareDirective(
  namespace: string,
  dimensionSets: readonly (readonly string[])[],
  metrics: readonly DirectiveMetric[],
  storageResolution: StorageResolution,
): PreparedDirective {
  const resolution = storageResolution === 1 ? ',"StorageResolution":1' : '';
  return Object.freeze({
    open: `{"Namespace":${JSON.stringify(namespace)},"Dimensions":${JSON.stringify(dimensionSets)},"Metrics":[`,
    close: ']}',
    definitions: Object.freeze(
      metrics.map(
        (m) => `{"Name":${JSON.stringify(m.name)},"Unit":${JSON.stringify(m.unit)}${resolution}}`,
      ),
    ),
  });
}
