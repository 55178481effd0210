import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { AUDIT_FIELDS, DETAIL_FIELDS, SPAN_ID_PATTERN, TRACE_ID_PATTERN } from './constants.js';
import { type AuditContext, getAuditContext } from './context.js';
import {
  DROPPABLE_ENTRY_MEMBERS,
  FIXED_ENTRY_MEMBERS,
  quoteEntryMembers,
} from './entry-members.js';
import { AuditValidationError, type AuditValidationIssue } from './errors.js';
import { takeGuideParams } from './guide-params.js';
import { escapeLineSeparators } from './json-string.js';
import { LINE_FIELD_CAPS, LINE_MEMBERS, type LineField } from './line/index.js';
import type { LoggerState } from './logger-state.js';
import { stripQuery } from './redaction.js';
import { resolveRequest } from './request-resolver.js';
import type { BindingMember } from './safe-json.js';
import type { AuditEntry, AuditParams } from './schema.js';
import type { AuditLineExtension } from './types.js';
import {
  DETAILS_AT,
  type ParamValues,
  paramIndex,
  paramValuesOf,
  readValidParams,
  safeStringForm,
  validateSlow,
} from './validate.js';
import { carryDetails } from './written-entry.js';

/** An entry with every caller-supplied value read, before it has a seq. */
export interface ResolvedEntry {
  /** The returned entry; `seq` is provisional and `details` the caller's until encoded. */
  readonly entry: AuditEntry;
  /** `details` as JSON text, redacted, with bindings and validation members. */
  readonly detailsJson: string;
  /** The plugins' members, `''` for none. */
  readonly pluginMembers: string;
  /** The entry's timestamp and its members in table order (line/members.ts), quoted before any plugin ran. */
  readonly timestamp: string;
  readonly fixedMembers: string;
  /** The members the size guard may drop (path, user_agent), quoted likewise. */
  readonly optionalTail: string;
  /** The members of plugins without `fragmentInto`, which the returned entry parses back when read. */
  readonly parsedBackMembers: string;
  /** The request context the entry was written in, told the seq once the line is out (SPEC §5.7). */
  readonly context: AuditContext | undefined;
}

/** `String(value)` capped, for values of any type; never throws (a null-prototype object has no `toString`). */
export function safeString(value: unknown, max: number): string {
  if (typeof value === 'string') return value.slice(0, max);
  try {
    return String(value).slice(0, max);
  } catch {
    return safeStringForm(value, max);
  }
}

/** A context field, when it is a non-empty string; capped like the param it stands in for. */
function contextString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

/** Members resolved by their own rules below; every other param member is copied as it is. */
const OWN_RULES: ReadonlySet<LineField> = new Set<LineField>([
  'traceId',
  'userId',
  'action',
  'resource',
  'status',
  'path',
  'ipAddress',
]);

/** A member taken from params as it is (validated), else from the same-named context field. */
interface PlainMember {
  readonly key: string;
  /** Its place in the validated {@link ParamValues}. */
  readonly at: number;
  /** The context field that stands in for it, or `undefined` when it never comes from the context. */
  readonly contextField: string | undefined;
  readonly cap: number;
}

/**
 * The plain param members in wire order, from the line's table (issue #14): a
 * new optional capped field reaches the line with no change here.
 */
const PLAIN_MEMBERS: readonly PlainMember[] = LINE_MEMBERS.filter(
  (m) => m.param !== undefined && !OWN_RULES.has(m.field),
).map((m) => ({
  key: m.key,
  at: paramIndex(m.key),
  contextField: m.fromContext ? m.field : undefined,
  cap: m.cap ?? Number.POSITIVE_INFINITY,
}));

const USER_ID_CAP = LINE_FIELD_CAPS[AUDIT_FIELDS.userId] as number;
const PATH_CAP = LINE_FIELD_CAPS[AUDIT_FIELDS.path] as number;
const TRACE_ID_AT = paramIndex(AUDIT_FIELDS.traceId);
const USER_ID_AT = paramIndex(AUDIT_FIELDS.userId);
const ACTION_AT = paramIndex(AUDIT_FIELDS.action);
const RESOURCE_AT = paramIndex(AUDIT_FIELDS.resource);
const STATUS_AT = paramIndex(AUDIT_FIELDS.status);
const PATH_AT = paramIndex(AUDIT_FIELDS.path);
const IP_AT = paramIndex(AUDIT_FIELDS.ipAddress);

/**
 * `path` or `resource` as written: query string stripped or its secrets censored (SPEC §3, §6).
 *
 * @example
 * ```ts
 * cleanUrl(state, '/login?token=abc'); // '/login?token=[REDACTED]'
 * ```
 */
export function cleanUrl(state: LoggerState, text: string): string {
  return state.options.stripQueryStrings ? stripQuery(text) : state.redactUrl(text);
}

/**
 * Reads everything the caller supplied for one entry: params (validated, or
 * repaired under `onInvalid: 'emit'`), the request context, `details` and the
 * plugins' members. Any of them may run caller code that logs (a getter,
 * `getUserId`, a plugin), which is why this comes before the seq is taken
 * (issue #13). Context values are not schema-checked like params, so only
 * strings count, capped the same way.
 *
 * @example
 * ```ts
 * const { entry, detailsJson } = resolveEntry(state, params, undefined, undefined);
 * ```
 */
export function resolveEntry(
  state: LoggerState,
  input: AuditParams,
  bindings: readonly BindingMember[] | undefined,
  bindingIssues: readonly AuditValidationIssue[] | undefined,
  lifecycle = false,
): ResolvedEntry {
  // The guide's spellings (issue #12): `userId` is `user_id`, `req` lends its context.
  const guide = takeGuideParams(input);
  const params = guide === undefined ? input : guide.params;
  let values = readValidParams(params);
  let issues = bindingIssues;
  if (guide?.issues !== undefined) {
    if (state.options.onInvalid === 'throw') throw new AuditValidationError(guide.issues);
    issues = issues === undefined ? guide.issues : [...guide.issues, ...issues];
  }
  let unexpected: Record<string, unknown> | undefined;
  if (values === undefined) {
    const repaired = validateSlow(params);
    if (repaired.issues.length > 0) {
      if (state.options.onInvalid === 'throw') throw new AuditValidationError(repaired.issues);
      issues = issues === undefined ? repaired.issues : [...repaired.issues, ...issues];
    }
    values = paramValuesOf(repaired.params);
    unexpected = repaired.unexpected;
  }
  // Validated (or repaired): the types the schema promises.
  const traceIdParam = values[TRACE_ID_AT] as string | undefined;
  const userIdParam = values[USER_ID_AT] as string | undefined;
  const action = values[ACTION_AT] as string;
  const resourceParam = values[RESOURCE_AT] as string;
  const status = values[STATUS_AT] as AuditEntry['status'];
  // An explicit request wins over the ambient context: the caller named it.
  const fromRequest = guide?.req === undefined || lifecycle ? undefined : resolveRequest(guide.req);
  const requestUnresolved = fromRequest?.unresolved === true;
  // Lifecycle lines never take a request's context (SPEC §4.9): an exit
  // inside a handler must not give AUDIT_STOP that request's user or path.
  let ctx: AuditContext | undefined = lifecycle
    ? undefined
    : (fromRequest?.context ?? getAuditContext());
  let contextEnded = false;
  if (fromRequest === undefined && ctx?.ended === true) {
    // A callback that outlived its request (pooled socket, timer): no
    // borrowed identity, and a flag saying why the fields are missing. A
    // request passed explicitly is not borrowed: the caller named it.
    ctx = undefined;
    contextEnded = true;
  }
  const now = Date.now();

  let traceId = traceIdParam;
  if (traceId === undefined) {
    const fromContext = ctx?.traceId;
    traceId =
      typeof fromContext === 'string' && TRACE_ID_PATTERN.test(fromContext)
        ? fromContext
        : randomUUID();
  }
  // The span belongs to the context's trace: a caller's own traceId drops it.
  const contextSpan = ctx?.spanId;
  const spanId =
    typeof contextSpan === 'string' && traceId === ctx?.traceId && SPAN_ID_PATTERN.test(contextSpan)
      ? contextSpan
      : undefined;
  // Read the context user once: middleware may expose it as a lazy getter.
  const contextUser = userIdParam === undefined ? ctx?.userId : undefined;
  const userId = userIdParam ?? (contextUser ? safeString(contextUser, USER_ID_CAP) : 'anonymous');
  const resource = cleanUrl(state, resourceParam);
  const rawPath = (values[PATH_AT] as string | undefined) ?? contextString(ctx?.path, PATH_CAP);
  // The middleware passes the same URL as resource and path: redact it once.
  const path =
    rawPath === undefined
      ? undefined
      : rawPath === resourceParam
        ? resource
        : cleanUrl(state, rawPath);
  let ip = values[IP_AT] as string | undefined;
  const contextIp = ctx?.ip;
  if (ip === undefined && typeof contextIp === 'string' && isIP(contextIp) !== 0) ip = contextIp;
  // method, route, user_agent…: read now, with the rest of the caller's values
  // (a route template holds names, not values: no URL redaction).
  const context = ctx as unknown as Readonly<Record<string, unknown>> | undefined;
  const plain: (string | undefined)[] = [];
  for (let i = 0; i < PLAIN_MEMBERS.length; i++) {
    const m = PLAIN_MEMBERS[i] as PlainMember;
    const value = values[m.at] as string | undefined;
    plain.push(
      value !== undefined || m.contextField === undefined || context === undefined
        ? value
        : contextString(context[m.contextField], m.cap),
    );
  }

  const details = (values[DETAILS_AT] as AuditParams['details']) ?? null;
  // Plugins count what they had to leave out of their members (emf: a metric
  // value CloudWatch rejects), in details.validation_errors (SPEC §8.4, issue #13).
  if (details !== null) {
    for (const extension of state.extensions) {
      const found = extension.inspect?.(details as Record<string, unknown>);
      if (found !== undefined && found.length > 0) issues = [...(issues ?? []), ...found];
    }
  }
  // The request links its lines (SPEC §5.7); its members win over caller keys.
  const link = ctx?.onEntry?.({ action, status, userId: userIdParam });
  let detailsJson: string;
  if (
    issues !== undefined ||
    unexpected !== undefined ||
    requestUnresolved ||
    link !== undefined ||
    contextEnded
  ) {
    // The serialiser merges them, so Map/Error/Buffer details keep their content.
    detailsJson = state.serializer.object(details ?? {}, bindings, {
      ...link,
      [DETAIL_FIELDS.contextEnded]: contextEnded ? true : undefined,
      [DETAIL_FIELDS.requestUnresolved]: requestUnresolved ? true : undefined,
      [DETAIL_FIELDS.validationErrors]: issues,
      [DETAIL_FIELDS.unexpectedFields]: unexpected,
    });
  } else if (details === null && bindings === undefined) {
    detailsJson = 'null';
  } else {
    detailsJson = state.serializer.object(details ?? {}, bindings);
  }

  const entry: AuditEntry = {
    level: 'info',
    audit: true,
    timestamp: state.timestamp(now),
    service: state.options.service,
    instance: state.instance,
    // Provisional for plugins; the real seq is taken when the entry is encoded.
    seq: state.seq + 1,
    traceId,
    user_id: userId,
    action,
    resource,
    status,
  } as AuditEntry;
  // details comes next, as an accessor shared by every entry (issue #15): the caller's
  // value for plugins until the line is written, then the written copy (SPEC §4.1).
  carryDetails(entry, details);
  if (state.options.serviceVersion !== undefined)
    entry.service_version = state.options.serviceVersion;
  if (spanId !== undefined) entry.span_id = spanId;
  const members = entry as unknown as Record<string, string>;
  for (let i = 0; i < PLAIN_MEMBERS.length; i++) {
    const value = plain[i];
    if (value !== undefined) members[(PLAIN_MEMBERS[i] as PlainMember).key] = value;
  }
  if (path !== undefined) entry.path = path;
  if (ip !== undefined) entry.ip_address = ip;
  if (state.ecs) entry.ecs = { ...state.ecs };

  // The line's own members are quoted before any plugin runs: `fragmentInto` is handed
  // this very entry to put its members on, and nothing a plugin writes there may change
  // a validated audit field on the line (SPEC §4.6: only plugins' own keys are theirs).
  const timestamp = entry.timestamp;
  const fixedMembers = quoteEntryMembers(entry, FIXED_ENTRY_MEMBERS);
  const optionalTail = quoteEntryMembers(entry, DROPPABLE_ENTRY_MEMBERS);
  let pluginMembers = '';
  let parsedBackMembers = '';
  const written = entry as unknown as Record<string, unknown>;
  for (let i = 0; i < state.extensions.length; i++) {
    const extension = state.extensions[i] as AuditLineExtension;
    // A plugin that hands over its members' values spares the returned entry a
    // parse-back accessor per member (issue #15: 29% of an EMF log()).
    if (extension.fragmentInto !== undefined) {
      const fragment = extension.fragmentInto(entry, now, written);
      // Only auditline's own plugins skip the scan (0.19 us of an EMF line): a third-party
      // fragment quoted with JSON.stringify keeps U+2028 raw (SPEC §4.6, escaped-fragments.ts).
      pluginMembers += state.escapedFragments[i] ? fragment : escapeLineSeparators(fragment);
    } else {
      // Core's own members are escaped as they are quoted (json-string.ts); a plain fragment is checked here.
      const fragment = escapeLineSeparators(extension.fragment(entry, now));
      pluginMembers += fragment;
      parsedBackMembers += fragment;
    }
  }
  return {
    entry,
    detailsJson,
    pluginMembers,
    timestamp,
    fixedMembers,
    optionalTail,
    parsedBackMembers,
    context: ctx,
  };
}
