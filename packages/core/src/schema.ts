import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { MAX_USER_ID_LENGTH } from './constants.js';
import { type auditActionSchema, lineEntryShape, lineParamShape } from './line/index.js';

// Defined with the line's param rules (line/param-rules.ts), exported from here as before.
export { auditActionSchema, auditStatusSchema, traceIdSchema } from './line/index.js';

/**
 * An audit action, inferred from {@link auditActionSchema}: a built-in
 * ({@link AUDIT_ACTIONS}) or a custom UPPER_SNAKE action. The guide this
 * library replaces exports the same name; `BuiltInAuditAction` is the union
 * of the built-ins alone.
 *
 * @example
 * ```ts
 * const action: AuditAction = AUDIT_ACTIONS.LOGIN;
 * const custom: AuditAction = 'EXPORT_REPORT';
 * ```
 */
export type AuditAction = z.infer<typeof auditActionSchema>;

/**
 * `details`: free-form, with typed reserved keys (SPEC §3).
 *
 * @example
 * ```ts
 * auditDetailsSchema.parse({ statusCode: 201, duration_ms: 3.2, orderId: 'o-1' });
 * ```
 */
export const auditDetailsSchema = z
  .looseObject({
    statusCode: z.number().int().optional(),
    duration_ms: z.number().nonnegative().optional(),
    error: z.union([z.string(), z.instanceof(Error)]).optional(),
    reason: z.string().optional(),
    mfa_used: z.boolean().optional(),
  })
  .nullable();

/**
 * What a caller passes to `log()`. Fields the logger owns (`seq`, `service`,
 * `timestamp`, `hash`…) are not accepted here: a strict object makes them an
 * issue instead of a forgery (SPEC §4.6).
 *
 * @example
 * ```ts
 * const params = auditParamsSchema.parse({ action: 'LOGIN', resource: '/login', status: 'SUCCESS' });
 * ```
 */
export const auditParamsSchema = z.strictObject({
  // The line's members, from its table (line/members.ts, issue #14): caps,
  // patterns and optionality declared once, shared with the fast validator.
  ...lineParamShape(),
  details: auditDetailsSchema.optional(),
  // The guide's spellings (issue #12): `userId` is written as `user_id`, and
  // `req` lends its request's context; neither is ever written as such.
  userId: z.string().min(1).max(MAX_USER_ID_LENGTH).optional(),
  req: z
    .custom<IncomingMessage>(
      (v) => typeof v === 'object' && v !== null,
      'req must be the request object (Express or node:http)',
    )
    .optional(),
});

/**
 * `log()` params, inferred from {@link auditParamsSchema}.
 *
 * @example
 * ```ts
 * const params: AuditParams = { action: 'LOGIN', resource: '/login', status: 'FAILED', details: { reason: 'bad password' } };
 * audit.log(params);
 * ```
 */
export type AuditParams = z.input<typeof auditParamsSchema>;

/**
 * The guide's name for `logAudit()` params: the same type as
 * {@link AuditParams}, `userId` and `req` included (issue #12).
 *
 * @example
 * ```ts
 * const params: AuditLogParams = {
 *   userId: 'u-1', action: AUDIT_ACTIONS.LOGIN, resource: '/api/login', status: 'SUCCESS',
 *   details: { mfa_used: true },
 * };
 * logAudit(params);
 * ```
 */
export type AuditLogParams = AuditParams;
/**
 * `details` as a caller passes it.
 *
 * @example
 * ```ts
 * const details: AuditDetails = { statusCode: 403, reason: 'not the owner', orderId: 'o-1' };
 * audit.log({ action: 'DELETE', resource: '/orders/o-1', status: 'FAILED', details });
 * ```
 */
export type AuditDetails = z.input<typeof auditDetailsSchema>;

/**
 * One written audit line (SPEC §3). Plugins (EMF) may add top-level members,
 * which is why this object is loose; nothing else adds keys. Its members and
 * their types come from the line's table (`src/line/members.ts`, issue #14).
 *
 * @example
 * ```ts
 * const entry = auditEntrySchema.parse(JSON.parse(line));
 * ```
 */
export const auditEntrySchema = z.looseObject(lineEntryShape());

/**
 * A written audit line, inferred from {@link auditEntrySchema}.
 *
 * @example
 * ```ts
 * const entry: AuditEntry = audit.log({ action: 'READ', resource: '/orders/42', status: 'SUCCESS' });
 * entry.seq; // position of this line in the instance's stream
 * ```
 */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/**
 * The entry schema as JSON Schema (draft 2020-12), for downstream consumers
 * such as a data lake or a SIEM parser (SPEC §3).
 *
 * @example
 * ```ts
 * writeFileSync('audit-entry.schema.json', JSON.stringify(auditEntryJsonSchema(), null, 2));
 * ```
 */
export function auditEntryJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(auditEntrySchema, { io: 'output', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
