import type { z } from 'zod';
import { DETAIL_FIELDS } from './constants.js';
import type { AuditValidationIssue } from './errors.js';
import { ioObjectMarker } from './io-object-marker.js';
import { isParamRequired, LINE_FIELD_CAPS, PARAM_MEMBERS, type ParamRule } from './line/index.js';
import { readMembers } from './member-reader.js';
import { type AuditParams, auditDetailsSchema, auditParamsSchema } from './schema.js';

const PARAM_KEYS = new Set(Object.keys(auditParamsSchema.shape));

function plainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Validated params as the logger reads them: the member values in
 * {@link PARAM_MEMBERS} order, then `details`. An array, not an object: it is
 * filled by one loop over the table (issue #14), and indexed stores into a
 * fresh array cost a fraction of keyed stores into a fresh object (measured
 * +0.35 µs per `log()` on Node 24 for the object).
 */
export type ParamValues = readonly unknown[];

/** Index of `details` in {@link ParamValues}. */
export const DETAILS_AT = PARAM_MEMBERS.length;

/**
 * Where a member param sits in {@link ParamValues}.
 *
 * @example
 * ```ts
 * const ACTION_AT = paramIndex('action');
 * ```
 */
export function paramIndex(key: string): number {
  const at = PARAM_MEMBERS.findIndex((m) => m.key === key);
  if (at === -1) throw new Error(`auditline: "${key}" is not a param member of the line`);
  return at;
}

/**
 * Params in the {@link ParamValues} form; for params already validated or
 * repaired (the slow path's output). Cold path.
 *
 * @example
 * ```ts
 * const values = paramValuesOf(validateSlow(input).params);
 * ```
 */
export function paramValuesOf(params: AuditParams): ParamValues {
  const source = params as unknown as Readonly<Record<string, unknown>>;
  const values: unknown[] = PARAM_MEMBERS.map((m) => source[m.key]);
  values.push(params.details);
  return values;
}

/**
 * A check equivalent to {@link auditParamsSchema} for the common, valid case,
 * derived from the same rows of the line's table (issue #14). zod parse was
 * measured at 1.0–1.5 µs per call (issue #2); this is a few typeofs. It may
 * only say "valid" when zod would: when it says no, zod runs and has the final
 * word, so the two can never disagree on what is written. A property test
 * holds them together.
 *
 * Each field is read exactly once, into the returned values, which is what
 * the logger writes: a getter that answers differently on a second read can
 * never smuggle an unvalidated value (or a raw `"}\n{`) into the line.
 * Returns `undefined` when the params are not (certainly) valid.
 */
export function readValidParams(p: AuditParams): ParamValues | undefined {
  // A throwing getter or Proxy trap means "not valid": the slow path copies what
  // can be read, so log() still writes its one line (SPEC §4.6).
  try {
    return readFast(p);
  } catch {
    return undefined;
  }
}

/** The member params' rules and whether each is required, in {@link ParamValues} order. */
const FAST_RULES: readonly ParamRule[] = PARAM_MEMBERS.map((m) => m.param);
const FAST_REQUIRED: readonly boolean[] = PARAM_MEMBERS.map(isParamRequired);
/** Text rows' bounds (-1: not a text row), tested inline: a call to the rule per row cost ~0.04 µs more. */
const FAST_TEXT_MIN: readonly number[] = PARAM_MEMBERS.map((m) => m.param.text?.min ?? -1);
const FAST_TEXT_MAX: readonly number[] = PARAM_MEMBERS.map((m) => m.param.text?.max ?? -1);

function readFast(p: AuditParams): ParamValues | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  for (const key in p) if (!PARAM_KEYS.has(key)) return undefined;
  const values = readMembers(p);
  for (let i = 0; i < FAST_RULES.length; i++) {
    const value = values[i];
    if (value === undefined) {
      if (FAST_REQUIRED[i]) return undefined;
      continue;
    }
    const min = FAST_TEXT_MIN[i] as number;
    if (min < 0) {
      if (!(FAST_RULES[i] as ParamRule).accepts(value)) return undefined;
    } else if (
      typeof value !== 'string' ||
      value.length < min ||
      value.length > (FAST_TEXT_MAX[i] as number)
    ) {
      return undefined;
    }
  }
  const d = values[DETAILS_AT];
  if (d !== undefined && d !== null && !validDetails(d)) return undefined;
  return values;
}

function validDetails(d: unknown): boolean {
  if (!plainObject(d)) return false;
  const statusCode = d[DETAIL_FIELDS.statusCode];
  // zod 4's int() is a safe integer (2**53 is refused), so the same test here.
  if (statusCode !== undefined && !Number.isSafeInteger(statusCode)) return false;
  const duration = d[DETAIL_FIELDS.durationMs];
  if (
    duration !== undefined &&
    (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0)
  ) {
    return false;
  }
  const error = d[DETAIL_FIELDS.error];
  if (error !== undefined && typeof error !== 'string' && !(error instanceof Error)) return false;
  const reason = d[DETAIL_FIELDS.reason];
  if (reason !== undefined && typeof reason !== 'string') return false;
  const mfa = d[DETAIL_FIELDS.mfaUsed];
  if (mfa !== undefined && typeof mfa !== 'boolean') return false;
  return true;
}

/** The outcome of the slow path: params made writable, and what was wrong with them. */
export interface RepairedParams {
  readonly params: AuditParams;
  readonly issues: readonly AuditValidationIssue[];
  /** Unknown top-level keys and their values, kept under `details.unexpected_fields`. */
  readonly unexpected: Record<string, unknown> | undefined;
}

/** Caps for the safe string form, from the line's declared layout (issue #14). */
const FIELD_MAX = LINE_FIELD_CAPS;

/**
 * The "safe string form" of an invalid value (SPEC §4.3): strings are cut to the
 * field's cap, primitives are stringified, anything else is named by type.
 */
export function safeStringForm(value: unknown, max = 256): string {
  if (typeof value === 'string') return value.length === 0 ? '[empty]' : value.slice(0, max);
  if (value === undefined || value === null) return '[missing]';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value).slice(0, max);
  }
  return `[invalid ${Array.isArray(value) ? 'array' : typeof value}]`;
}

/** Written in place of a value whose getter or Proxy trap threw (SPEC §4.6). */
const UNREADABLE = '[Unserializable]';

/**
 * Runs zod on params the fast check refused, and repairs them for `'emit'`:
 * every valid field is kept, every invalid one gets its safe string form.
 * Never throws: params with throwing getters or Proxy traps are first copied
 * into plain data, each unreadable member becoming `"[Unserializable]"`.
 */
export function validateSlow(input: unknown): RepairedParams {
  // Read once into a copy, then validate and repair the copy: what is checked is
  // exactly what gets written, whatever a getter answers on a second read.
  try {
    return repair(readableCopy(input));
  } catch {
    return {
      params: placeholderParams(UNREADABLE),
      issues: [{ path: '', code: 'custom', message: 'params could not be read' }],
      unexpected: undefined,
    };
  }
}

/** Reads one member; a throwing getter or trap gives the marker instead. */
function readMember(source: Record<string, unknown>, key: string): unknown {
  try {
    return source[key];
  } catch {
    return UNREADABLE;
  }
}

/**
 * A plain copy of params (and of a plain `details`, the only level zod reads
 * member by member). Cold path: only params the fast check refused get here.
 */
function readableCopy(input: unknown): unknown {
  // Arrays are refused by zod as they are; copying would turn them into objects.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  // for-in, like the fast check and zod, sees inherited enumerable members too.
  // A throwing `ownKeys` trap propagates: validateSlow then writes the "unreadable" entry.
  const keys: string[] = [];
  for (const key in input) keys.push(key);
  const source = input as Record<string, unknown>;
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of keys) {
    let value = readMember(source, key);
    if (key === 'details' && typeof value === 'object' && value !== null) {
      // `details: req`: a marker, never a copy of its members (issue #12).
      const io = ioObjectMarker(value);
      value = io === undefined ? readableDetails(value) : { value: io };
    }
    copy[key] = value;
  }
  return copy;
}

function readableDetails(details: object): unknown {
  try {
    if (Array.isArray(details)) return details;
    const proto: unknown = Object.getPrototypeOf(details);
    if (proto !== Object.prototype && proto !== null && !hasAccessors(details)) return details;
    const source = details as Record<string, unknown>;
    const copy: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(details)) copy[key] = readMember(source, key);
    return copy;
  } catch {
    return UNREADABLE;
  }
}

function hasAccessors(object: object): boolean {
  const descriptors = Object.getOwnPropertyDescriptors(object);
  // Node 24's V8 gives every Error an own `stack` accessor; counting it would copy an Error
  // into a plain object without `name` and `message` (SPEC §4.6, issue #15).
  const isError = object instanceof Error;
  for (const key of Object.keys(descriptors)) {
    if (isError && key === 'stack') continue;
    if (descriptors[key]?.get !== undefined) return true;
  }
  return false;
}

/** Params for input that cannot be repaired field by field (unreadable, or not an object): the line keeps it under `details`. */
function placeholderParams(invalid: unknown): AuditParams {
  return {
    action: '[missing]',
    resource: '[missing]',
    status: '[missing]',
    details: { invalid_params: invalid },
  } as unknown as AuditParams;
}

function repair(input: unknown): RepairedParams {
  const result = auditParamsSchema.safeParse(input);
  if (result.success) return { params: input as AuditParams, issues: [], unexpected: undefined };
  const issues: AuditValidationIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      params: placeholderParams(input),
      issues,
      unexpected: undefined,
    };
  }
  const source = input as Record<string, unknown>;
  // Null prototypes: a `__proto__` key in the input stays an ordinary member.
  const repaired: Record<string, unknown> = Object.create(null);
  let unexpected: Record<string, unknown> | undefined;
  for (const key of Object.keys(source)) {
    if (!PARAM_KEYS.has(key)) {
      (unexpected ??= Object.create(null) as Record<string, unknown>)[key] = source[key];
      continue;
    }
    repaired[key] = source[key];
  }
  const badFields = new Set<string>();
  const badDetailKeys = new Set<string>();
  for (const issue of result.error.issues) {
    const [field, sub] = issue.path;
    if (typeof field !== 'string') continue;
    if (field === 'details' && typeof sub === 'string') badDetailKeys.add(sub);
    else badFields.add(field);
  }
  for (const field of ['action', 'resource', 'status'] as const) {
    if (repaired[field] === undefined) badFields.add(field);
  }
  for (const field of badFields) {
    if (field === 'details') {
      const original = repaired.details;
      repaired.details = { invalid_details: original };
      continue;
    }
    if (field === 'ip_address' || field === 'traceId') {
      // Never written raw (SPEC §5.2, §5.3): an invalid trace id falls back to the
      // context's or a fresh one; an invalid ip is left out. The issue records why.
      delete repaired[field];
      continue;
    }
    if (!(field in FIELD_MAX)) continue;
    if (
      repaired[field] === undefined &&
      field !== 'action' &&
      field !== 'resource' &&
      field !== 'status'
    ) {
      continue;
    }
    repaired[field] = safeStringForm(repaired[field], FIELD_MAX[field]);
  }
  if (badDetailKeys.size > 0 && typeof repaired.details === 'object' && repaired.details !== null) {
    const details = { ...(repaired.details as Record<string, unknown>) };
    for (const key of badDetailKeys) details[key] = safeStringForm(details[key]);
    repaired.details = details;
  }
  return { params: repaired as unknown as AuditParams, issues, unexpected };
}

/** Child bindings after the typed-details check: what is written, and what was wrong. */
export interface CheckedBindings {
  readonly bindings: Record<string, unknown>;
  readonly issues: readonly AuditValidationIssue[];
}

/**
 * Checks child bindings against the typed reserved keys of `details`
 * (`statusCode` int, `duration_ms` ≥ 0, `error`, `reason`, `mfa_used`
 * boolean; SPEC §3): bindings are written inside `details`, so the same rules
 * hold (issue #13). Invalid values get their safe string form, as invalid
 * detail keys do; each issue's path starts with `bindings.`. Cold path: once
 * per `child()`.
 *
 * @example
 * ```ts
 * validateBindings({ statusCode: 'two hundred' }).issues[0]?.path; // 'bindings.statusCode'
 * ```
 */
export function validateBindings(bindings: Record<string, unknown>): CheckedBindings {
  let repaired: Record<string, unknown> | undefined;
  const issues: AuditValidationIssue[] = [];
  // Only the reserved keys are read: the rest of the bindings may hold
  // anything (a Proxy, a throwing getter) and is written by the serialiser's rules.
  for (const key of Object.keys(TYPED_DETAIL_SCHEMAS)) {
    if (!Object.hasOwn(bindings, key)) continue;
    const value = readMember(bindings, key);
    let found: readonly { path: PropertyKey[]; code: string; message: string }[];
    try {
      const result = (TYPED_DETAIL_SCHEMAS[key] as z.ZodType).safeParse(value);
      if (result.success) continue;
      found = result.error.issues;
    } catch {
      // A Proxy whose traps throw while zod inspects it.
      found = [{ path: [], code: 'custom', message: 'value could not be read' }];
    }
    for (const issue of found) {
      issues.push({
        path: ['bindings', key, ...issue.path.map(String)].join('.'),
        code: issue.code,
        message: issue.message,
      });
    }
    repaired ??= { ...bindings };
    repaired[key] = safeStringForm(value);
  }
  return { bindings: repaired ?? bindings, issues };
}

/** The typed reserved keys of `details`, from its schema (SPEC §3). */
const TYPED_DETAIL_SCHEMAS: Readonly<Record<string, z.ZodType>> = auditDetailsSchema.unwrap().shape;
