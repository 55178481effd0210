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
} from '../constants.js';

/** `span_id` length: 16 hex (W3C Trace Context parent-id). */
const SPAN_ID_LENGTH = 16;

/** `action` cap: `CUSTOM_ACTION_PATTERN` allows one letter plus 63 more (SPEC §3). */
export const MAX_ACTION_LENGTH = 64;
/** `status` cap: longer than `"SUCCESS"` and `"FAILED"` (SPEC §3), for the safe string form of a bad value. */
export const MAX_STATUS_LENGTH = 16;

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

/** One top-level member of an audit line. */
export interface LineMember {
  /** Name in {@link AUDIT_FIELDS}. */
  readonly field: keyof typeof AUDIT_FIELDS;
  /** Wire key (the value in {@link AUDIT_FIELDS}). */
  readonly key: (typeof AUDIT_FIELDS)[keyof typeof AUDIT_FIELDS];
  readonly part: LineMemberPart;
  /** Maximum length in UTF-16 units of a string value, or `undefined` when not capped by length. */
  readonly cap: number | undefined;
  /** Present on every line. */
  readonly required: boolean;
  /** May be filled from the request context (SPEC §4.9) when params leave it out. */
  readonly fromContext: boolean;
  /** The size guard may drop it when trimming `details` is not enough (SPEC §4.5). */
  readonly droppable: boolean;
}

type MemberRule = Partial<Pick<LineMember, 'cap' | 'required' | 'fromContext' | 'droppable'>>;

function member(
  field: keyof typeof AUDIT_FIELDS,
  part: LineMemberPart,
  rule: MemberRule = {},
): LineMember {
  return Object.freeze({
    field,
    key: AUDIT_FIELDS[field],
    part,
    cap: rule.cap,
    required: rule.required ?? false,
    fromContext: rule.fromContext ?? false,
    droppable: rule.droppable ?? false,
  });
}

/**
 * The audit line's top-level members in the order the logger writes them
 * (SPEC §3, issue #14): the one table the writer, the caps, the size guard and
 * the verifier's positional reader are derived from. Adding a top-level field
 * is one row here (plus its key in `AUDIT_FIELDS`). Droppable members are
 * dropped last-first.
 *
 * @example
 * ```ts
 * const required = LINE_MEMBERS.filter((m) => m.required).map((m) => m.key);
 * ```
 */
export const LINE_MEMBERS: readonly LineMember[] = Object.freeze([
  member('level', 'prefix', { required: true }),
  member('audit', 'prefix', { required: true }),
  member('timestamp', 'prefix', { required: true }),
  member('service', 'static', { required: true }),
  member('serviceVersion', 'static'),
  member('instance', 'static', { required: true }),
  member('ecs', 'static'),
  member('seq', 'seq', { required: true }),
  member('traceId', 'entry', { required: true, cap: MAX_TRACE_ID_LENGTH, fromContext: true }),
  // The active OpenTelemetry span, only on lines whose traceId is its trace id (SPEC §3).
  member('spanId', 'entry', { cap: SPAN_ID_LENGTH, fromContext: true }),
  member('userId', 'entry', { required: true, cap: MAX_USER_ID_LENGTH, fromContext: true }),
  member('action', 'entry', { required: true, cap: MAX_ACTION_LENGTH }),
  member('resource', 'entry', { required: true, cap: MAX_RESOURCE_LENGTH }),
  member('status', 'entry', { required: true, cap: MAX_STATUS_LENGTH }),
  member('method', 'entry', { cap: MAX_METHOD_LENGTH, fromContext: true }),
  // The matched route template, mounts included (SPEC §3): set by adapters that know it.
  member('route', 'entry', { cap: MAX_ROUTE_LENGTH, fromContext: true }),
  member('ipAddress', 'entry', { cap: MAX_IP_LENGTH, fromContext: true }),
  // path and user_agent last among the entry fields: the size guard drops
  // user_agent first, then path, and never a required member (SPEC §4.5).
  member('path', 'entry', { cap: MAX_PATH_LENGTH, fromContext: true, droppable: true }),
  member('userAgent', 'entry', { cap: MAX_USER_AGENT_LENGTH, fromContext: true, droppable: true }),
  member('details', 'details', { required: true }),
  member('truncated', 'truncation'),
  member('originalBytes', 'truncation'),
  member('originalSha256', 'truncation'),
  member('keyId', 'link'),
  member('prev', 'link'),
  member('hash', 'link'),
]);

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
