import { previewValue } from '@auditline/core/internal';
import type { EmfUnit } from './constants.js';
import { EMF_ERROR_CODES, EmfConfigError, type EmfErrorCode } from './errors.js';
import { namespaceProblem } from './names.js';
import {
  DIMENSION_SET_SIZE_FIX,
  dimensionSetSizeProblem,
  memberNameProblem,
  NAMESPACE_FIX,
  UNIT_PROBLEM,
  unitFix,
} from './option-rules.js';
import type { StorageResolution } from './types.js';
import { isEmfUnit } from './units.js';

/**
 * Builds the error the checks outside the option schemas throw (a name first
 * used in `createMetrics().put`, `AUDIT_EMF_NAMESPACE` at setup): who, which
 * option, its value, the rule broken and the fix, with core's one preview rule
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
  const valuePreview = previewValue(value);
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
      NAMESPACE_FIX,
    );
  }
  return namespace as string;
}

function assertMemberName(
  name: unknown,
  kind: 'metric' | 'dimension',
  where: string,
  option: string,
): string {
  const found = memberNameProblem(name, kind);
  if (found) {
    throw configError(EMF_ERROR_CODES.invalidConfig, where, option, name, found.problem, found.fix);
  }
  return name as string;
}

export function assertMetricName(name: unknown, where: string, option: string): string {
  return assertMemberName(name, 'metric', where, option);
}

export function assertDimensionName(name: unknown, where: string, option: string): string {
  return assertMemberName(name, 'dimension', where, option);
}

export function assertUnit(unit: unknown, where: string, option: string): EmfUnit {
  if (isEmfUnit(unit)) return unit;
  throw configError(
    EMF_ERROR_CODES.invalidConfig,
    where,
    option,
    unit,
    UNIT_PROBLEM,
    unitFix(unit),
  );
}

export function assertDimensionSetSize(
  size: number,
  where: string,
  option: string,
  value: unknown,
  defaults: number,
): void {
  const problem = dimensionSetSizeProblem(size, defaults);
  if (problem === undefined) return;
  throw configError(
    EMF_ERROR_CODES.limitExceeded,
    where,
    option,
    value,
    problem,
    DIMENSION_SET_SIZE_FIX,
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
