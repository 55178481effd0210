import { z } from 'zod';
import {
  AUDIT_FIELDS,
  MAX_IP_LENGTH,
  MAX_METHOD_LENGTH,
  MAX_PATH_LENGTH,
  MAX_RESOURCE_LENGTH,
  MAX_ROUTE_LENGTH,
  MAX_TRACE_ID_LENGTH,
  MAX_USER_AGENT_LENGTH,
  MAX_USER_ID_LENGTH,
  SPAN_ID_PATTERN,
} from '../constants.js';
import {
  ACTION_RULE,
  ipRule,
  type ParamRule,
  STATUS_RULE,
  TRACE_ID_RULE,
  textRule,
} from './param-rules.js';

/** `span_id` length: 16 hex (W3C Trace Context parent-id). */
const SPAN_ID_LENGTH = 16;

/** `action` cap: `CUSTOM_ACTION_PATTERN` allows one letter plus 63 more (SPEC §3). */
export const MAX_ACTION_LENGTH = 64;
/** `status` cap: longer than `"SUCCESS"` and `"FAILED"` (SPEC §3), for the safe string form of a bad value. */
export const MAX_STATUS_LENGTH = 16;

// What a written line holds (the `written` schemas below): looser than the
// params rules where `onInvalid: 'emit'` writes a safe string form (SPEC §4.3).
const TEXT = z.string();
const NON_EMPTY_TEXT = z.string().min(1);
const SHA256_HEX = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Which part of the writer produces a member, in wire order:
 * - `prefix`: the constant start of every line ({@link LINE_PREFIX}), up to the timestamp value;
 * - `static`: fixed per logger instance, serialised once (`service`, `instance`…);
 * - `seq`: the counter, right after the static members;
 * - `entry`: per-entry fields from params or the request context, then any
 *   plugin members (SPEC §8), before `details` so Logs Insights' 200-field
 *   discovery always reaches them (issue #17);
 * - `details`: the `details` object, its reserved keys first (`LEADING_DETAIL_KEYS`);
 * - `truncation`: the size guard's markers (SPEC §4.5);
 * - `link`: the chain's members, last (SPEC §7).
 */
export type LineMemberPart =
  | 'prefix'
  | 'static'
  | 'seq'
  | 'entry'
  | 'details'
  | 'truncation'
  | 'link';

/** Name of a member in {@link AUDIT_FIELDS}. */
export type LineField = keyof typeof AUDIT_FIELDS;

/** One top-level member of an audit line. */
export interface LineMember<F extends LineField = LineField> {
  /** Name in {@link AUDIT_FIELDS}. */
  readonly field: F;
  /** Wire key (the value in {@link AUDIT_FIELDS}). */
  readonly key: (typeof AUDIT_FIELDS)[F];
  readonly part: LineMemberPart;
  /** Maximum length in UTF-16 units of a string value, or `undefined` when not capped by length. */
  readonly cap: number | undefined;
  /** Present on every line. */
  readonly required: boolean;
  /** May be filled from the request context (SPEC §4.9) when params leave it out. */
  readonly fromContext: boolean;
  /** The size guard may drop it when trimming `details` is not enough (SPEC §4.5). */
  readonly droppable: boolean;
  /**
   * How `log()` params may pass it (`undefined`: params may not): the zod
   * params schema and the fast validator are both derived from it (issue #14).
   */
  readonly param: ParamRule | undefined;
  /**
   * The member's value on a written line: `auditEntrySchema` (and its JSON
   * Schema export) is derived from it, optional there unless `required` (issue #14).
   */
  readonly written: z.ZodType;
}

/**
 * A row whose member `log()` params may pass, with its rule's exact zod type.
 * A param is required when its member is required on the line and cannot come
 * from the request context (which also supplies the fallbacks: a fresh trace
 * id, `"anonymous"`): {@link isParamRequired}.
 */
export interface ParamMember<
  F extends LineField,
  S extends z.ZodType,
  R extends boolean,
  C extends boolean,
  W extends z.ZodType,
> extends WrittenMember<F, R, W> {
  readonly param: ParamRule<S>;
  readonly fromContext: C;
}

/** A row with its `required` flag and `written` schema at their exact types, for the entry schema's type. */
export interface WrittenMember<F extends LineField, R extends boolean, W extends z.ZodType>
  extends LineMember<F> {
  readonly required: R;
  readonly written: W;
}

/**
 * Whether `log()` params must pass the member (see {@link ParamMember}).
 *
 * @example
 * ```ts
 * LINE_MEMBERS.filter((m) => m.param !== undefined && isParamRequired(m)).map((m) => m.key); // ['action', 'resource', 'status']
 * ```
 */
export function isParamRequired(member: LineMember): boolean {
  return member.required && !member.fromContext;
}

type MemberRule = Partial<Pick<LineMember, 'cap' | 'fromContext' | 'droppable'>>;

function member<F extends LineField, W extends z.ZodType, R extends boolean = false>(
  field: F,
  part: LineMemberPart,
  rule: MemberRule & { readonly required?: R; readonly written: W },
): WrittenMember<F, R, W> {
  return Object.freeze({
    field,
    key: AUDIT_FIELDS[field],
    part,
    cap: rule.cap,
    required: (rule.required ?? false) as R,
    fromContext: rule.fromContext ?? false,
    droppable: rule.droppable ?? false,
    param: undefined,
    written: rule.written,
  });
}

/**
 * A per-entry member that `log()` params may pass: `param` makes the zod
 * schema (optional unless `required`) and the fast check; a text member's
 * rule is {@link textRule} with the row's cap.
 */
function paramMember<
  F extends LineField,
  S extends z.ZodType,
  W extends z.ZodType,
  R extends boolean = false,
  C extends boolean = false,
>(
  field: F,
  rule: MemberRule & {
    readonly required?: R;
    readonly fromContext?: C;
    readonly param: ParamRule<S>;
    readonly written: W;
  },
): ParamMember<F, S, R, C, W> {
  return Object.freeze({
    ...member(field, 'entry', rule),
    fromContext: (rule.fromContext ?? false) as C,
    param: rule.param,
  });
}

/**
 * The audit line's top-level members in the order the logger writes them
 * (SPEC §3, issue #14): the one table the writer, the caps, the size guard and
 * the verifier's positional reader are derived from, and, through each
 * row's `param` rule, the zod params schema and the fast validator. Adding a
 * top-level field is one row here (plus its key in `AUDIT_FIELDS`). Droppable
 * members are dropped last-first.
 *
 * @example
 * ```ts
 * const required = LINE_MEMBERS.filter((m) => m.required).map((m) => m.key);
 * ```
 */
export const LINE_MEMBERS = Object.freeze([
  member('level', 'prefix', {
    required: true,
    written: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
  }),
  member('audit', 'prefix', { required: true, written: z.literal(true) }),
  member('timestamp', 'prefix', { required: true, written: z.iso.datetime({ precision: 3 }) }),
  member('service', 'static', { required: true, written: NON_EMPTY_TEXT }),
  member('serviceVersion', 'static', { written: TEXT }),
  member('instance', 'static', { required: true, written: NON_EMPTY_TEXT }),
  member('ecs', 'static', {
    written: z.object({ task_arn: z.string().optional(), cluster: z.string().optional() }),
  }),
  member('seq', 'seq', { required: true, written: z.number().int().positive() }),
  // Required on the line, optional in params: the context's or a fresh one (SPEC §5.2).
  paramMember('traceId', {
    required: true,
    cap: MAX_TRACE_ID_LENGTH,
    fromContext: true,
    param: TRACE_ID_RULE,
    written: NON_EMPTY_TEXT,
  }),
  // The active OpenTelemetry span, only on lines whose traceId is its trace id (SPEC §3).
  member('spanId', 'entry', {
    cap: SPAN_ID_LENGTH,
    fromContext: true,
    written: z.string().regex(SPAN_ID_PATTERN),
  }),
  // Required on the line, optional in params: the context's user, else "anonymous".
  paramMember('userId', {
    required: true,
    cap: MAX_USER_ID_LENGTH,
    fromContext: true,
    param: textRule(1, MAX_USER_ID_LENGTH),
    written: NON_EMPTY_TEXT,
  }),
  paramMember('action', {
    required: true,
    cap: MAX_ACTION_LENGTH,
    param: ACTION_RULE,
    written: NON_EMPTY_TEXT,
  }),
  paramMember('resource', {
    required: true,
    cap: MAX_RESOURCE_LENGTH,
    param: textRule(1, MAX_RESOURCE_LENGTH),
    written: TEXT,
  }),
  paramMember('status', {
    required: true,
    cap: MAX_STATUS_LENGTH,
    param: STATUS_RULE,
    written: TEXT,
  }),
  paramMember('method', {
    cap: MAX_METHOD_LENGTH,
    fromContext: true,
    param: textRule(1, MAX_METHOD_LENGTH),
    written: TEXT,
  }),
  // The matched route template, mounts included (SPEC §3): set by adapters that know it.
  paramMember('route', {
    cap: MAX_ROUTE_LENGTH,
    fromContext: true,
    param: textRule(1, MAX_ROUTE_LENGTH),
    written: TEXT,
  }),
  paramMember('ipAddress', {
    cap: MAX_IP_LENGTH,
    fromContext: true,
    param: ipRule(MAX_IP_LENGTH),
    written: TEXT,
  }),
  // path and user_agent last among the entry fields: the size guard drops
  // user_agent first, then path, and never a required member (SPEC §4.5).
  paramMember('path', {
    cap: MAX_PATH_LENGTH,
    fromContext: true,
    droppable: true,
    param: textRule(1, MAX_PATH_LENGTH),
    written: TEXT,
  }),
  paramMember('userAgent', {
    cap: MAX_USER_AGENT_LENGTH,
    fromContext: true,
    droppable: true,
    param: textRule(0, MAX_USER_AGENT_LENGTH),
    written: TEXT,
  }),
  member('details', 'details', {
    required: true,
    written: z.record(z.string(), z.unknown()).nullable(),
  }),
  member('truncated', 'truncation', { written: z.literal(true) }),
  member('originalBytes', 'truncation', { written: z.number().int().positive() }),
  member('originalSha256', 'truncation', { written: SHA256_HEX }),
  member('keyId', 'link', { written: TEXT }),
  member('prev', 'link', { written: SHA256_HEX }),
  member('hash', 'link', { written: SHA256_HEX }),
] as const);

/**
 * Length caps by wire key, for every capped member (derived from {@link LINE_MEMBERS}).
 *
 * @example
 * ```ts
 * const cut = value.slice(0, LINE_FIELD_CAPS.user_agent);
 * ```
 */
export const LINE_FIELD_CAPS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(
    LINE_MEMBERS.filter((m) => m.cap !== undefined).map((m) => [m.key, m.cap as number]),
  ),
);

/**
 * The members of one part, in wire order.
 *
 * @example
 * ```ts
 * membersOf('static').map((m) => m.key); // ['service', 'service_version', 'instance', 'ecs']
 * ```
 */
export function membersOf(part: LineMemberPart): readonly LineMember[] {
  return LINE_MEMBERS.filter((m) => m.part === part);
}
