export {
  DEFAULT_DIMENSION_SETS,
  DEFAULT_NAMESPACE_SUFFIX,
  DIMENSION_SOURCE_FIELDS,
  type DimensionSourceField,
  EMF_DIMENSIONS,
  EMF_ISSUE_CODES,
  EMF_METRIC_UNITS,
  EMF_METRICS,
  EMF_ROOT_KEY,
  EMF_UNITS,
  EMPTY_DIMENSION_VALUE,
  type EmfUnit,
  HIGH_CARDINALITY_FIELDS,
  KNOWN_HTTP_METHODS,
  MAX_DIMENSION_NAME_LENGTH,
  MAX_DIMENSION_VALUE_LENGTH,
  MAX_DIMENSIONS_PER_SET,
  MAX_METRIC_MAGNITUDE,
  MAX_METRIC_NAME_LENGTH,
  MAX_METRICS_PER_DIRECTIVE,
  MAX_NAMESPACE_LENGTH,
  MAX_TIMESTAMP_FUTURE_MS,
  MAX_TIMESTAMP_PAST_MS,
  MAX_VALUES_PER_METRIC,
  MIN_METRIC_MAGNITUDE,
  NAMESPACE_PATTERN,
  OTHER_METHOD,
  OUT_OF_RANGE_ISSUE_CODE,
  RESERVED_NAMESPACE_PREFIX,
  STORAGE_RESOLUTIONS,
} from './constants.js';
export { isValidDimensionValue, sanitizeDimensionValue } from './dimension-value.js';
export { EMF_ERROR_CODES, EmfConfigError, EmfDocumentError, type EmfErrorCode } from './errors.js';
export { extractEmfMetrics } from './extract.js';
export { isAcceptedMetricValue } from './metric-value.js';
export { createMetrics, type Metrics } from './metrics.js';
export { defaultNamespace } from './namespace.js';
export { emf } from './plugin.js';
export { serializeEmf } from './serialize.js';
export type {
  EmfDetailMetric,
  EmfDocument,
  EmfIssue,
  EmfIssueCode,
  EmfMetricDefinition,
  EmfMetricDirective,
  EmfPluginOptions,
  ExtractedEmfMetric,
  MetricsOptions,
  StorageResolution,
} from './types.js';
export { isEmfUnit } from './units.js';
export { type ValidateEmfOptions, validateEmf } from './validate.js';
