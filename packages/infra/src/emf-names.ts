// Adapter over `@auditline/emf` names (issue #5). The emf package is built in
// parallel; until it exports `EMF_METRICS`, `EMF_DIMENSIONS` and
// `defaultNamespace`, the values are mirrored here from SPEC §8 so infra can
// build. When emf lands, this file becomes a plain re-export and nothing else
// in infra changes.

/**
 * Metric names the EMF plugin writes on every audit line (SPEC §8.1).
 *
 * @example
 * ```ts
 * import { EMF_METRICS } from '@auditline/infra';
 * EMF_METRICS.auditEventCount; // 'AuditEventCount'
 * ```
 */
export const EMF_METRICS = Object.freeze({
  auditEventCount: 'AuditEventCount',
  actionDuration: 'ActionDuration',
} as const);

/**
 * Dimension names the EMF plugin writes by default (SPEC §8.2).
 *
 * @example
 * ```ts
 * import { EMF_DIMENSIONS } from '@auditline/infra';
 * EMF_DIMENSIONS.action; // 'Action'
 * ```
 */
export const EMF_DIMENSIONS = Object.freeze({
  action: 'Action',
  status: 'Status',
} as const);

/**
 * The EMF namespace used when `AUDIT_EMF_NAMESPACE` is not set: `<service>/Audit` (SPEC §8.2).
 *
 * @example
 * ```ts
 * defaultNamespace('orders'); // 'orders/Audit'
 * ```
 */
export function defaultNamespace(service: string): string {
  return `${service}/Audit`;
}
