// The `log()` params that are line members, derived from the table (issue #14):
// the zod shape schema.ts builds the params schema from, and the rows the fast
// validator (validate.ts) walks. A new param is a row in members.ts, nothing here.
import type { z } from 'zod';
import { isParamRequired, LINE_MEMBERS, type LineMember } from './members.js';
import type { ParamRule } from './param-rules.js';

type ParamRow = Extract<(typeof LINE_MEMBERS)[number], { readonly param: ParamRule }>;
type RuleSchema<M extends ParamRow> = M['param'] extends ParamRule<infer S> ? S : never;

/** The zod shape of the params that are line members: optional unless {@link isParamRequired}. */
export type LineParamShape = {
  readonly [M in ParamRow as M['key']]: M['required'] extends true
    ? M['fromContext'] extends true
      ? z.ZodOptional<RuleSchema<M>>
      : RuleSchema<M>
    : z.ZodOptional<RuleSchema<M>>;
};

/** A member `log()` params may pass, with its rule. */
export type ParamLineMember = LineMember & { readonly param: ParamRule };

/**
 * The order zod checks (and so reports the issues of) the member params: the
 * params schema's order before it was derived from the table (issue #14), so a
 * line with several invalid params keeps its bytes in `validation_errors`.
 * Members not named here (a new one) follow in table order.
 */
const ISSUE_ORDER: readonly string[] = [
  'action',
  'resource',
  'status',
  'user_id',
  'traceId',
  'method',
  'route',
  'path',
  'ip_address',
  'user_agent',
];

function issueRank(member: LineMember): number {
  const rank = ISSUE_ORDER.indexOf(member.key);
  return rank === -1 ? ISSUE_ORDER.length : rank;
}

/**
 * The members `log()` params may pass, in the order they are validated.
 *
 * @example
 * ```ts
 * PARAM_MEMBERS.map((m) => m.key); // ['action', 'resource', 'status', 'user_id', …]
 * ```
 */
export const PARAM_MEMBERS: readonly ParamLineMember[] = Object.freeze(
  (LINE_MEMBERS as readonly LineMember[])
    .filter((m): m is ParamLineMember => m.param !== undefined)
    .map((m, order) => ({ m, order }))
    .sort((a, b) => issueRank(a.m) - issueRank(b.m) || a.order - b.order)
    .map(({ m }) => m),
);

/**
 * The zod shape of the member params, for the params schema (schema.ts).
 *
 * @example
 * ```ts
 * const schema = z.strictObject({ ...lineParamShape(), details: auditDetailsSchema.optional() });
 * ```
 */
export function lineParamShape(): LineParamShape {
  const shape: Record<string, z.ZodType> = {};
  for (const m of PARAM_MEMBERS) {
    shape[m.key] = isParamRequired(m) ? m.param.schema : m.param.schema.optional();
  }
  return shape as unknown as LineParamShape;
}
