import type { DirectiveMetric } from './directive.js';
import type { EmfMetricDefinition, EmfMetricDirective, StorageResolution } from './types.js';

/**
 * The directive as values, for the entry `log()` returns (SPEC §4.1: the entry
 * as written). Each call builds fresh objects, so no two returned entries share
 * one: changing one entry's `_aws` cannot change another's (issue #15).
 */
export interface DirectiveValues {
  /** A fresh `{ Name, Unit[, StorageResolution] }` for the metric at `index` of the directive. */
  metric(index: number): EmfMetricDefinition;
  /** A fresh `{ Namespace, Dimensions, Metrics }` holding `metrics`. */
  directive(metrics: EmfMetricDefinition[]): EmfMetricDirective;
}

/**
 * Prepares {@link DirectiveValues} from the same validated parts as
 * `prepareDirective`, so the values say what the prepared text says.
 *
 * @example
 * ```ts
 * const values = prepareDirectiveValues('shop/App', [['Route']], [{ name: 'Latency', unit: 'Milliseconds' }], 60);
 * values.directive([values.metric(0)]); // { Namespace: 'shop/App', Dimensions: [['Route']], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }] }
 * ```
 */
export function prepareDirectiveValues(
  namespace: string,
  dimensionSets: readonly (readonly string[])[],
  metrics: readonly DirectiveMetric[],
  storageResolution: StorageResolution,
): DirectiveValues {
  const sets = dimensionSets.map((set) => [...set]);
  const names = metrics.map((m) => m.name);
  const units = metrics.map((m) => m.unit);
  const highResolution = storageResolution === 1;
  return {
    metric(index: number): EmfMetricDefinition {
      const Name = names[index] as string;
      const Unit = units[index];
      return highResolution ? { Name, Unit, StorageResolution: 1 } : { Name, Unit };
    },
    directive(list: EmfMetricDefinition[]): EmfMetricDirective {
      const Dimensions: string[][] = [];
      for (let i = 0; i < sets.length; i++) Dimensions.push((sets[i] as string[]).slice());
      return { Namespace: namespace, Dimensions, Metrics: list };
    },
  };
}
