import { AUDIT_FIELDS } from '@auditline/core';

/**
 * Fields the optional `FieldIndexPolicies` of the log group index (issue #17):
 * the ones "One user's activity", a trace lookup, the shared-IP and failure
 * queries filter on. An indexed field lets Logs Insights skip log events that
 * cannot match a `filter field = value`, so queries on one user or trace scan less.
 *
 * @example
 * ```ts
 * auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com', fieldIndexes: true });
 * // AuditLogGroup.FieldIndexPolicies: [{ Fields: INDEXED_FIELDS }]
 * ```
 */
export const INDEXED_FIELDS: readonly string[] = Object.freeze([
  AUDIT_FIELDS.userId,
  AUDIT_FIELDS.traceId,
  AUDIT_FIELDS.ipAddress,
  AUDIT_FIELDS.action,
  AUDIT_FIELDS.status,
  AUDIT_FIELDS.route,
]);
