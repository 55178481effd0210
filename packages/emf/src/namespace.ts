import { DEFAULT_NAMESPACE_SUFFIX, MAX_NAMESPACE_LENGTH } from './constants.js';

const NOT_NAMESPACE_CHAR = /[^0-9A-Za-z.\-_/#: ]/g;

/**
 * The default namespace of a service, `<service>/Audit` (SPEC §8.2).
 * Characters CloudWatch does not allow in a namespace become `_`, and the
 * service part is cut so the whole fits in 255 characters. `@auditline/infra`
 * uses this to name the metrics in alarms and dashboards.
 *
 * @example
 * ```ts
 * defaultNamespace('orders-api'); // 'orders-api/Audit'
 * defaultNamespace('@acme/orders'); // '_acme/orders/Audit'
 * ```
 */
export function defaultNamespace(service: string): string {
  const room = MAX_NAMESPACE_LENGTH - DEFAULT_NAMESPACE_SUFFIX.length;
  return service.replace(NOT_NAMESPACE_CHAR, '_').slice(0, room) + DEFAULT_NAMESPACE_SUFFIX;
}
