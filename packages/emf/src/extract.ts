import type { EmfUnit } from './constants.js';
import type { ExtractedEmfMetric, StorageResolution } from './types.js';
import { type ValidateEmfOptions, validateEmf } from './validate.js';

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit?: EmfUnit; StorageResolution?: StorageResolution }[];
}

/**
 * What CloudWatch would extract from one EMF document: for every directive,
 * every dimension set and every metric definition, one metric whose dimension
 * values and numbers are read from the top-level members the names reference
 * (EMF spec, "Target members": never nested paths). A document with any
 * `validateEmf` issue yields nothing, as CloudWatch drops it whole and counts
 * it in `AWS/Logs` `EMFValidationErrors`; a line that is not JSON yields
 * nothing too (`EMFParsingErrors`). Tests of this package and of
 * `@auditline/infra` use it to check lines end to end.
 *
 * @example
 * ```ts
 * const [metric] = extractEmfMetrics(line);
 * metric?.name; // 'AuditEventCount'
 * metric?.dimensions; // { Action: 'LOGIN' }
 * ```
 */
export function extractEmfMetrics(
  doc: unknown,
  options?: ValidateEmfOptions,
): ExtractedEmfMetric[] {
  let parsed = doc;
  if (typeof doc === 'string') {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  if (validateEmf(parsed, options).length > 0) return [];
  const root = parsed as Record<string, unknown> & { _aws: { CloudWatchMetrics: Directive[] } };
  const out: ExtractedEmfMetric[] = [];
  for (const directive of root._aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions) {
      const dimensions: Record<string, string> = {};
      for (const name of set) dimensions[name] = root[name] as string;
      for (const metric of directive.Metrics) {
        const value = root[metric.Name] as number | number[];
        out.push({
          namespace: directive.Namespace,
          name: metric.Name,
          unit: metric.Unit ?? 'None',
          storageResolution: metric.StorageResolution === 1 ? 1 : 60,
          dimensions: { ...dimensions },
          values: Array.isArray(value) ? [...value] : [value],
        });
      }
    }
  }
  return out;
}
