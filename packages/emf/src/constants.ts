/**
 * Limits and names of the CloudWatch embedded metric format (EMF). Every number
 * cites its source: AWS "Specification: Embedded metric format"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * the CloudWatch API reference, or SPEC §8. CloudWatch drops an invalid
 * document silently (only `AWS/Logs` `EMFValidationErrors` counts it), so each
 * limit is enforced here before anything is written.
 */

/**
 * EMF spec, MetricDirective: "Metrics … MUST NOT contain more than 100 MetricDefinition objects".
 *
 * @example
 * ```ts
 * const definitions = doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics);
 * const fits = definitions.length <= MAX_METRICS_PER_DIRECTIVE; // createMetrics().flush() splits documents at this
 * ```
 */
export const MAX_METRICS_PER_DIRECTIVE = 100;
/**
 * EMF spec, DimensionSet: "MUST NOT contain more than 30 dimension keys" (SPEC §8.3: default dimensions count).
 *
 * @example
 * ```ts
 * for (const dimensionSet of doc._aws.CloudWatchMetrics.flatMap((d) => d.Dimensions)) {
 *   if (dimensionSet.length > MAX_DIMENSIONS_PER_SET) throw new Error('CloudWatch would drop this document');
 * }
 * ```
 */
export const MAX_DIMENSIONS_PER_SET = 30;
/**
 * EMF spec, Target members: "Numeric array metric targets MUST NOT have more than 100 members".
 *
 * @example
 * ```ts
 * const latency = doc.Latency;
 * const tooMany = Array.isArray(latency) && latency.length > MAX_VALUES_PER_METRIC; // validateEmf reports too_many_values
 * ```
 */
export const MAX_VALUES_PER_METRIC = 100;
/**
 * CloudWatch API `Dimension.Value`: length 1–1024, ASCII only, at least one non-whitespace character.
 *
 * @example
 * ```ts
 * sanitizeDimensionValue('x'.repeat(2000)).length === MAX_DIMENSION_VALUE_LENGTH; // true
 * ```
 */
export const MAX_DIMENSION_VALUE_LENGTH = 1024;
/**
 * EMF dimension keys: 1–250 ASCII characters, not starting with `:` (SPEC §8.3; aws-embedded-metrics `MAX_DIMENSION_NAME_LENGTH`).
 *
 * @example
 * ```ts
 * const dimensionName = 'PaymentProvider';
 * const ok = dimensionName.length > 0 && dimensionName.length <= MAX_DIMENSION_NAME_LENGTH && !dimensionName.startsWith(':');
 * ```
 */
export const MAX_DIMENSION_NAME_LENGTH = 250;
/**
 * EMF spec JSON schema and CloudWatch API `MetricDatum.MetricName`: length 1–255.
 *
 * @example
 * ```ts
 * const provider = 'stripe';
 * const metricName = `Checkout_${provider}_Latency`.slice(0, MAX_METRIC_NAME_LENGTH);
 * ```
 */
export const MAX_METRIC_NAME_LENGTH = 255;
/**
 * CloudWatch API `PutMetricData.Namespace`: length 1–255.
 *
 * @example
 * ```ts
 * defaultNamespace('x'.repeat(300)).length <= MAX_NAMESPACE_LENGTH; // true: the service part is cut
 * ```
 */
export const MAX_NAMESPACE_LENGTH = 255;
/**
 * Namespace characters (SPEC §8.3). CloudWatch concepts, "Namespaces": alphanumerics,
 * `.`, `-`, `_`, `/`, `#`, `:` and space, 255 or fewer, at least one non-whitespace.
 *
 * @example
 * ```ts
 * NAMESPACE_PATTERN.test('orders-api/Audit'); // true
 * NAMESPACE_PATTERN.test('orders|api'); // false
 * ```
 */
export const NAMESPACE_PATTERN = /^[0-9A-Za-z.\-_/#: ]{1,255}$/;
/**
 * CloudWatch API `PutMetricData`: namespaces beginning with `AWS/` are reserved for AWS services.
 *
 * @example
 * ```ts
 * const namespace = 'AWS/Lambda';
 * const allowed = !namespace.startsWith(RESERVED_NAMESPACE_PREFIX); // false: emf() and createMetrics() refuse it
 * ```
 */
export const RESERVED_NAMESPACE_PREFIX = 'AWS/';
/**
 * How far back a `Timestamp` may be: 14 days. CloudWatch API `MetricDatum.Timestamp`
 * accepts up to two weeks in the past (aws-embedded-metrics `MAX_TIMESTAMP_PAST_AGE`).
 *
 * @example
 * ```ts
 * const tooOld = doc._aws.Timestamp < Date.now() - MAX_TIMESTAMP_PAST_MS; // CloudWatch drops replayed old lines
 * ```
 */
export const MAX_TIMESTAMP_PAST_MS = 14 * 24 * 60 * 60 * 1000;
/**
 * How far ahead a `Timestamp` may be: 2 hours. CloudWatch API `MetricDatum.Timestamp` (aws-embedded-metrics `MAX_TIMESTAMP_FUTURE_AGE`).
 *
 * @example
 * ```ts
 * const tooEarly = doc._aws.Timestamp > Date.now() + MAX_TIMESTAMP_FUTURE_MS; // a skewed clock loses metrics
 * ```
 */
export const MAX_TIMESTAMP_FUTURE_MS = 2 * 60 * 60 * 1000;
/**
 * CloudWatch API `MetricDatum.StorageResolution`: 1 (high resolution) or 60 (the default, omitted).
 *
 * @example
 * ```ts
 * STORAGE_RESOLUTIONS.includes(1); // true: 1 s high resolution
 * createMetrics({ namespace: 'shop/App', storageResolution: STORAGE_RESOLUTIONS[0] });
 * ```
 */
export const STORAGE_RESOLUTIONS = Object.freeze([1, 60] as const);

/**
 * The 27 CloudWatch units, spelled exactly as the EMF spec's JSON schema and
 * CloudWatch API `MetricDatum.Unit` list them. Anything else (`Counts`, `ms`)
 * is rejected at construction.
 *
 * @example
 * ```ts
 * import { EMF_UNITS, createMetrics } from '@auditline/emf';
 * createMetrics({ namespace: 'shop/App' }).put('Latency', 12, EMF_UNITS.Milliseconds);
 * ```
 */
export const EMF_UNITS = Object.freeze({
  Seconds: 'Seconds',
  Microseconds: 'Microseconds',
  Milliseconds: 'Milliseconds',
  Bytes: 'Bytes',
  Kilobytes: 'Kilobytes',
  Megabytes: 'Megabytes',
  Gigabytes: 'Gigabytes',
  Terabytes: 'Terabytes',
  Bits: 'Bits',
  Kilobits: 'Kilobits',
  Megabits: 'Megabits',
  Gigabits: 'Gigabits',
  Terabits: 'Terabits',
  Percent: 'Percent',
  Count: 'Count',
  BytesPerSecond: 'Bytes/Second',
  KilobytesPerSecond: 'Kilobytes/Second',
  MegabytesPerSecond: 'Megabytes/Second',
  GigabytesPerSecond: 'Gigabytes/Second',
  TerabytesPerSecond: 'Terabytes/Second',
  BitsPerSecond: 'Bits/Second',
  KilobitsPerSecond: 'Kilobits/Second',
  MegabitsPerSecond: 'Megabits/Second',
  GigabitsPerSecond: 'Gigabits/Second',
  TerabitsPerSecond: 'Terabits/Second',
  CountPerSecond: 'Count/Second',
  None: 'None',
} as const);

/**
 * One of the 27 CloudWatch units.
 *
 * @example
 * ```ts
 * const unit: EmfUnit = EMF_UNITS.Milliseconds; // 'Milliseconds'
 * const metrics = createMetrics({ namespace: 'orders-api/App' });
 * metrics.put('CheckoutLatency', 120, unit);
 * ```
 */
export type EmfUnit = (typeof EMF_UNITS)[keyof typeof EMF_UNITS];

/**
 * The top-level member that holds EMF metadata (EMF spec, Root node). Only the plugin writes it (SPEC §4.6).
 *
 * @example
 * ```ts
 * const isEmf = EMF_ROOT_KEY in JSON.parse(line); // true for lines written with emf()
 * ```
 */
export const EMF_ROOT_KEY = '_aws';

/**
 * Metric names the audit plugin writes (SPEC §8.1). `@auditline/infra` builds
 * alarms and dashboards from these, so they never drift from the lines.
 *
 * @example
 * ```ts
 * import { EMF_METRICS } from '@auditline/emf';
 * const metricName = EMF_METRICS.auditEventCount; // 'AuditEventCount'
 * ```
 */
export const EMF_METRICS = Object.freeze({
  auditEventCount: 'AuditEventCount',
  actionDuration: 'ActionDuration',
} as const);

/**
 * Units of the metrics in {@link EMF_METRICS}.
 *
 * @example
 * ```ts
 * import { EMF_METRIC_UNITS, EMF_METRICS } from '@auditline/emf';
 * EMF_METRIC_UNITS[EMF_METRICS.actionDuration]; // 'Milliseconds'
 * ```
 */
export const EMF_METRIC_UNITS = Object.freeze({
  AuditEventCount: EMF_UNITS.Count,
  ActionDuration: EMF_UNITS.Milliseconds,
} as const);

/**
 * Dimension names the audit plugin writes by default (SPEC §8.2), and the audit
 * fields they come from.
 *
 * @example
 * ```ts
 * import { EMF_DIMENSIONS } from '@auditline/emf';
 * EMF_DIMENSIONS.action; // 'Action'
 * ```
 */
export const EMF_DIMENSIONS = Object.freeze({ action: 'Action', status: 'Status' } as const);

/**
 * Default dimension sets (SPEC §8.2): one metric per action, and one per action and status.
 *
 * @example
 * ```ts
 * import { DEFAULT_DIMENSION_SETS } from '@auditline/emf';
 * DEFAULT_DIMENSION_SETS; // [['Action'], ['Action', 'Status']]
 * ```
 */
export const DEFAULT_DIMENSION_SETS: readonly (readonly string[])[] = Object.freeze([
  Object.freeze([EMF_DIMENSIONS.action]),
  Object.freeze([EMF_DIMENSIONS.action, EMF_DIMENSIONS.status]),
]);

/**
 * Suffix of the default namespace `<service>/Audit` (SPEC §8.2).
 *
 * @example
 * ```ts
 * defaultNamespace('orders-api') === `orders-api${DEFAULT_NAMESPACE_SUFFIX}`; // true: 'orders-api/Audit'
 * ```
 */
export const DEFAULT_NAMESPACE_SUFFIX = '/Audit';

/**
 * Audit fields refused as dimension sources unless listed in
 * `allowHighCardinality` (SPEC §8.3): each distinct dimension value is a billed
 * custom metric (EMF spec, DimensionSet note). `instance` is added because it
 * changes on every process start.
 *
 * @example
 * ```ts
 * emf({ dimensions: { User: 'user_id' }, dimensionSets: [['User']], allowHighCardinality: ['user_id'] });
 * ```
 */
export const HIGH_CARDINALITY_FIELDS = Object.freeze([
  'user_id',
  'ip_address',
  'traceId',
  'resource',
  'path',
  'user_agent',
  'seq',
  'hash',
  'instance',
] as const);

/**
 * Audit fields a dimension can take its value from (scalars of the entry, SPEC §3).
 *
 * @example
 * ```ts
 * const isSource = (f: string): f is DimensionSourceField =>
 *   (DIMENSION_SOURCE_FIELDS as readonly string[]).includes(f);
 * ```
 */
export const DIMENSION_SOURCE_FIELDS = Object.freeze([
  'action',
  'status',
  'method',
  'service',
  'service_version',
  ...HIGH_CARDINALITY_FIELDS,
] as const);

/**
 * An audit field usable as a dimension source.
 *
 * @example
 * ```ts
 * const dimensions: Record<string, DimensionSourceField> = { Action: 'action', Method: 'method' };
 * emf({ dimensions, dimensionSets: [['Action', 'Method']] });
 * ```
 */
export type DimensionSourceField = (typeof DIMENSION_SOURCE_FIELDS)[number];

/**
 * What a missing, empty or whitespace-only dimension value becomes. CloudWatch
 * rejects empty values, and dropping the member would make the whole document
 * invalid (SPEC §8.4: sanitised, never dropped).
 *
 * @example
 * ```ts
 * sanitizeDimensionValue('   ') === EMPTY_DIMENSION_VALUE; // true: '(none)'
 * ```
 */
export const EMPTY_DIMENSION_VALUE = '(none)';
/** What each non-ASCII or control character in a dimension value becomes (CloudWatch API `Dimension.Value`: ASCII only, no controls). */
export const DIMENSION_REPLACEMENT_CHAR = '?';

/**
 * Codes of the issues `validateEmf` reports, one per way CloudWatch rejects a document.
 *
 * @example
 * ```ts
 * validateEmf(doc).some((i) => i.code === EMF_ISSUE_CODES.tooManyMetrics);
 * ```
 */
export const EMF_ISSUE_CODES = Object.freeze({
  notObject: 'not_object',
  invalidMetadata: 'invalid_metadata',
  invalidTimestamp: 'invalid_timestamp',
  timestampOutOfRange: 'timestamp_out_of_range',
  invalidDirective: 'invalid_directive',
  invalidNamespace: 'invalid_namespace',
  reservedNamespace: 'reserved_namespace',
  invalidDimensions: 'invalid_dimensions',
  tooManyDimensions: 'too_many_dimensions',
  invalidDimensionName: 'invalid_dimension_name',
  missingDimension: 'missing_dimension',
  invalidDimensionValue: 'invalid_dimension_value',
  invalidMetrics: 'invalid_metrics',
  tooManyMetrics: 'too_many_metrics',
  invalidMetricName: 'invalid_metric_name',
  invalidUnit: 'invalid_unit',
  invalidStorageResolution: 'invalid_storage_resolution',
  missingMetric: 'missing_metric',
  invalidMetricValue: 'invalid_metric_value',
  tooManyValues: 'too_many_values',
  nameCollision: 'name_collision',
  metricValueOutOfRange: 'metric_value_out_of_range',
} as const);

/**
 * Smallest non-zero magnitude CloudWatch accepts for a metric value: "Values
 * must be in the range of 8.515920e-109 to 1.174271e+108 (Base 10)" (CloudWatch
 * API reference, `MetricDatum.Value`; newer pages say -2^360 to 2^360). Outside
 * it the value is rejected and, in EMF, the metric silently dropped.
 *
 * @example
 * ```ts
 * isAcceptedMetricValue(MIN_METRIC_MAGNITUDE / 10); // false
 * ```
 */
export const MIN_METRIC_MAGNITUDE = 8.51592e-109;
/**
 * Largest magnitude CloudWatch accepts for a metric value (see {@link MIN_METRIC_MAGNITUDE}).
 *
 * @example
 * ```ts
 * isAcceptedMetricValue(1e300); // false
 * ```
 */
export const MAX_METRIC_MAGNITUDE = 1.174271e108;

/** Issue code added to `details.validation_errors` when the plugin leaves a metric value out. */
export const OUT_OF_RANGE_ISSUE_CODE = 'emf_metric_out_of_range';

// The HTTP-method dimension rule lives beside its concern; exported from here as before.
export * from './http-methods.js';
