import {
  EMF_ISSUE_CODES,
  EMF_ROOT_KEY,
  MAX_DIMENSIONS_PER_SET,
  MAX_METRIC_MAGNITUDE,
  MAX_METRICS_PER_DIRECTIVE,
  MAX_TIMESTAMP_FUTURE_MS,
  MAX_TIMESTAMP_PAST_MS,
  MAX_VALUES_PER_METRIC,
  MIN_METRIC_MAGNITUDE,
  RESERVED_NAMESPACE_PREFIX,
} from './constants.js';
import { isValidDimensionValue } from './dimension-value.js';
import { isAcceptedMetricValue } from './metric-value.js';
import { dimensionNameProblem, metricNameProblem, namespaceProblem } from './names.js';
import type { EmfIssue, EmfIssueCode } from './types.js';
import { isEmfUnit } from './units.js';

/**
 * Options of {@link validateEmf}.
 *
 * @example
 * ```ts
 * const issues = validateEmf(doc, { now: Date.parse('2026-01-01T00:00:00Z') }); // Timestamp window as of then
 * ```
 */
export interface ValidateEmfOptions {
  /**
   * The time the document is checked against for the Timestamp window.
   * @default Date.now()
   */
  readonly now?: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMetricValue(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Checks a parsed document against every rule for which CloudWatch rejects
 * EMF (EMF spec, SPEC §8.3–8.4) and returns the problems as typed issues; an
 * empty array means CloudWatch would extract its metrics. Works for any
 * document, not only audit lines.
 *
 * @example
 * ```ts
 * import { validateEmf, EMF_ISSUE_CODES } from '@auditline/emf';
 * const issues = validateEmf(JSON.parse(line));
 * if (issues.some((i) => i.code === EMF_ISSUE_CODES.invalidUnit)) log.error(issues);
 * ```
 */
export function validateEmf(doc: unknown, options: ValidateEmfOptions = {}): EmfIssue[] {
  const issues: EmfIssue[] = [];
  const add = (code: EmfIssueCode, path: string, message: string): void => {
    issues.push(Object.freeze({ code, path, message }));
  };
  if (!isObject(doc)) {
    add(EMF_ISSUE_CODES.notObject, '', 'an EMF document must be a JSON object');
    return issues;
  }
  const aws = doc[EMF_ROOT_KEY];
  if (!isObject(aws)) {
    add(EMF_ISSUE_CODES.invalidMetadata, EMF_ROOT_KEY, '"_aws" must be an object');
    return issues;
  }

  const timestamp = aws.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp) || timestamp < 0) {
    add(
      EMF_ISSUE_CODES.invalidTimestamp,
      '_aws.Timestamp',
      'Timestamp must be an integer of epoch milliseconds',
    );
  } else {
    const now = options.now ?? Date.now();
    if (timestamp < now - MAX_TIMESTAMP_PAST_MS || timestamp > now + MAX_TIMESTAMP_FUTURE_MS) {
      add(
        EMF_ISSUE_CODES.timestampOutOfRange,
        '_aws.Timestamp',
        'Timestamp must be within 14 days back and 2 hours ahead',
      );
    }
  }

  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives)) {
    add(
      EMF_ISSUE_CODES.invalidMetadata,
      '_aws.CloudWatchMetrics',
      'CloudWatchMetrics must be an array of directives',
    );
    return issues;
  }
  directives.forEach((directive: unknown, d) => {
    const at = `_aws.CloudWatchMetrics[${d}]`;
    if (!isObject(directive)) {
      add(
        EMF_ISSUE_CODES.invalidDirective,
        at,
        'a directive must be an object with Namespace, Dimensions and Metrics',
      );
      return;
    }
    const namespace = directive.Namespace;
    const nsProblem = namespaceProblem(namespace);
    if (nsProblem) {
      const reserved =
        typeof namespace === 'string' && namespace.startsWith(RESERVED_NAMESPACE_PREFIX);
      add(
        reserved ? EMF_ISSUE_CODES.reservedNamespace : EMF_ISSUE_CODES.invalidNamespace,
        `${at}.Namespace`,
        `Namespace ${nsProblem}`,
      );
    }

    const dimensionNames = new Set<string>();
    const sets = directive.Dimensions;
    if (!Array.isArray(sets) || sets.length === 0) {
      add(
        EMF_ISSUE_CODES.invalidDimensions,
        `${at}.Dimensions`,
        'Dimensions must be a non-empty array of dimension sets',
      );
    } else {
      sets.forEach((set: unknown, s) => {
        const setAt = `${at}.Dimensions[${s}]`;
        if (!Array.isArray(set)) {
          add(
            EMF_ISSUE_CODES.invalidDimensions,
            setAt,
            'a dimension set must be an array of dimension names',
          );
          return;
        }
        if (set.length > MAX_DIMENSIONS_PER_SET) {
          add(
            EMF_ISSUE_CODES.tooManyDimensions,
            setAt,
            `a dimension set has at most ${MAX_DIMENSIONS_PER_SET} keys (it has ${set.length})`,
          );
        }
        set.forEach((name: unknown, k) => {
          const problem = dimensionNameProblem(name);
          if (problem) {
            add(
              EMF_ISSUE_CODES.invalidDimensionName,
              `${setAt}[${k}]`,
              `dimension name ${problem}`,
            );
            return;
          }
          const key = name as string;
          dimensionNames.add(key);
          if (!Object.hasOwn(doc, key)) {
            add(
              EMF_ISSUE_CODES.missingDimension,
              key,
              `dimension "${key}" is not a top-level member`,
            );
          } else if (!isValidDimensionValue(doc[key])) {
            add(
              EMF_ISSUE_CODES.invalidDimensionValue,
              key,
              `dimension "${key}" must be a string of 1–1024 printable ASCII characters with a non-space`,
            );
          }
        });
      });
    }

    const metrics = directive.Metrics;
    if (!Array.isArray(metrics)) {
      add(
        EMF_ISSUE_CODES.invalidMetrics,
        `${at}.Metrics`,
        'Metrics must be an array of metric definitions',
      );
      return;
    }
    if (metrics.length > MAX_METRICS_PER_DIRECTIVE) {
      add(
        EMF_ISSUE_CODES.tooManyMetrics,
        `${at}.Metrics`,
        `a directive has at most ${MAX_METRICS_PER_DIRECTIVE} metrics (it has ${metrics.length})`,
      );
    }
    metrics.forEach((metric: unknown, m) => {
      const metricAt = `${at}.Metrics[${m}]`;
      if (!isObject(metric)) {
        add(
          EMF_ISSUE_CODES.invalidMetrics,
          metricAt,
          'a metric definition must be an object with a Name',
        );
        return;
      }
      if (metric.Unit !== undefined && !isEmfUnit(metric.Unit)) {
        add(
          EMF_ISSUE_CODES.invalidUnit,
          `${metricAt}.Unit`,
          `Unit ${JSON.stringify(metric.Unit)} is not one of the 27 CloudWatch units`,
        );
      }
      if (
        metric.StorageResolution !== undefined &&
        metric.StorageResolution !== 1 &&
        metric.StorageResolution !== 60
      ) {
        add(
          EMF_ISSUE_CODES.invalidStorageResolution,
          `${metricAt}.StorageResolution`,
          'StorageResolution must be 1 or 60',
        );
      }
      const problem = metricNameProblem(metric.Name);
      if (problem) {
        add(EMF_ISSUE_CODES.invalidMetricName, `${metricAt}.Name`, `metric name ${problem}`);
        return;
      }
      const name = metric.Name as string;
      if (dimensionNames.has(name)) {
        add(EMF_ISSUE_CODES.nameCollision, name, `"${name}" is both a dimension and a metric`);
      }
      if (!Object.hasOwn(doc, name)) {
        add(EMF_ISSUE_CODES.missingMetric, name, `metric "${name}" is not a top-level member`);
        return;
      }
      const value = doc[name];
      if (Array.isArray(value)) {
        if (value.length === 0 || !value.every(isMetricValue)) {
          add(
            EMF_ISSUE_CODES.invalidMetricValue,
            name,
            `metric "${name}" must be a finite number or a non-empty array of finite numbers`,
          );
        } else if (!value.every(isAcceptedMetricValue)) {
          add(
            EMF_ISSUE_CODES.metricValueOutOfRange,
            name,
            `metric "${name}" has a value outside CloudWatch's range (0, or a magnitude from ${MIN_METRIC_MAGNITUDE} to ${MAX_METRIC_MAGNITUDE})`,
          );
        } else if (value.length > MAX_VALUES_PER_METRIC) {
          add(
            EMF_ISSUE_CODES.tooManyValues,
            name,
            `metric "${name}" has ${value.length} values; at most ${MAX_VALUES_PER_METRIC}`,
          );
        }
      } else if (!isMetricValue(value)) {
        add(
          EMF_ISSUE_CODES.invalidMetricValue,
          name,
          `metric "${name}" must be a finite number (NaN and Infinity serialise to null)`,
        );
      } else if (!isAcceptedMetricValue(value)) {
        add(
          EMF_ISSUE_CODES.metricValueOutOfRange,
          name,
          `metric "${name}" is ${value}, outside CloudWatch's range (0, or a magnitude from ${MIN_METRIC_MAGNITUDE} to ${MAX_METRIC_MAGNITUDE}); CloudWatch drops it`,
        );
      }
    });
  });
  return issues;
}
