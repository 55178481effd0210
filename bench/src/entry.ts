import type { AuditParams } from '@auditline/core';

/** Service name every contender reports, so the lines carry the same static context. */
export const BENCH_SERVICE = 'orders-api';

/** CloudWatch namespace for the EMF contenders (auditline's default is `<service>/Audit`, SPEC §8). */
export const BENCH_NAMESPACE = `${BENCH_SERVICE}/Audit`;

/** HMAC key for the chain contender; 16+ characters as core requires (SPEC §7). */
export const BENCH_HMAC_KEY = 'bench-hmac-key-0123456789abcdef';

/**
 * One realistic audit event: an order update through the API, with the request
 * context filled in. Every emit contender writes exactly this data (issue #6:
 * "the SAME realistic audit entry").
 */
export const AUDIT_PARAMS: AuditParams = Object.freeze({
  action: 'UPDATE',
  resource: '/orders/ord_8f2c1a9b',
  status: 'SUCCESS',
  user_id: 'u-48213',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  method: 'PATCH',
  path: '/orders/ord_8f2c1a9b',
  ip_address: '203.0.113.7',
  user_agent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  details: Object.freeze({
    statusCode: 200,
    duration_ms: 12.7,
    orderId: 'ord_8f2c1a9b',
    changes: Object.freeze(['status', 'shipping_address']),
    previousStatus: 'PENDING',
    newStatus: 'CONFIRMED',
    amount: 149.99,
    currency: 'EUR',
  }),
}) as AuditParams;

/**
 * The same event as a plain log object for the generic loggers (pino, Powertools,
 * `JSON.stringify`): the audit fields plus the static context auditline adds itself.
 */
export const AUDIT_OBJECT: Readonly<Record<string, unknown>> = Object.freeze({
  audit: true,
  service: BENCH_SERVICE,
  ...AUDIT_PARAMS,
});
