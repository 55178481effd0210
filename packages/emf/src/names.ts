import {
  MAX_DIMENSION_NAME_LENGTH,
  MAX_METRIC_NAME_LENGTH,
  NAMESPACE_PATTERN,
  RESERVED_NAMESPACE_PREFIX,
} from './constants.js';

/**
 * Name rules shared by construction checks (which throw) and `validateEmf`
 * (which reports). Each returns `undefined` when the name is fine, else the
 * reason, phrased to follow "<field> <value> ".
 */

/** Printable ASCII with at least one non-space (CloudWatch API `Dimension.Name`). */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const HAS_NON_SPACE = /[^ ]/;

export function namespaceProblem(namespace: unknown): string | undefined {
  if (typeof namespace !== 'string') return 'must be a string';
  if (!NAMESPACE_PATTERN.test(namespace) || !HAS_NON_SPACE.test(namespace)) {
    return 'must be 1–255 characters of 0-9 A-Z a-z . - _ / # : and space, with at least one non-space (CloudWatch namespace rules)';
  }
  if (namespace.startsWith(RESERVED_NAMESPACE_PREFIX)) {
    return `must not start with "${RESERVED_NAMESPACE_PREFIX}", which is reserved for AWS services`;
  }
  return undefined;
}

export function metricNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'must be a string';
  if (name.length < 1 || name.length > MAX_METRIC_NAME_LENGTH) {
    return `must be 1–${MAX_METRIC_NAME_LENGTH} characters (it has ${name.length})`;
  }
  return undefined;
}

export function dimensionNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'must be a string';
  if (name.length < 1 || name.length > MAX_DIMENSION_NAME_LENGTH) {
    return `must be 1–${MAX_DIMENSION_NAME_LENGTH} characters (it has ${name.length})`;
  }
  if (!PRINTABLE_ASCII.test(name) || !HAS_NON_SPACE.test(name)) {
    return 'must be printable ASCII with at least one non-space character';
  }
  if (name.startsWith(':')) return 'must not start with ":"';
  return undefined;
}
