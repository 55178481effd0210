import { MAX_METRIC_MAGNITUDE, MIN_METRIC_MAGNITUDE } from './constants.js';

/**
 * Whether CloudWatch accepts `value` as a metric value: a finite number that
 * is 0 or whose magnitude lies between {@link MIN_METRIC_MAGNITUDE} and
 * {@link MAX_METRIC_MAGNITUDE} (CloudWatch API reference, `MetricDatum.Value`).
 * Values of 1e300 and 1e-300 were written and CloudWatch dropped the metrics
 * silently (issue #13).
 *
 * @example
 * ```ts
 * isAcceptedMetricValue(12.5); // true
 * isAcceptedMetricValue(0); // true
 * isAcceptedMetricValue(1e-300); // false
 * isAcceptedMetricValue(Number.NaN); // false
 * ```
 */
export function isAcceptedMetricValue(value: unknown): value is number {
  if (typeof value !== 'number') return false;
  if (value === 0) return true;
  const magnitude = Math.abs(value);
  return magnitude >= MIN_METRIC_MAGNITUDE && magnitude <= MAX_METRIC_MAGNITUDE;
}
