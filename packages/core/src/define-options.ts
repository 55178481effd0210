import type { ZodError, z } from 'zod';
import type { AuditlineConfigError, ConfigErrorFacts } from './errors.js';

/** Longest value preview a config error shows. */
const MAX_PREVIEW_LENGTH = 80;
/** What a secret option's value is shown as. */
const HIDDEN = '[hidden]';

/**
 * What a refinement may attach to a custom zod issue (`ctx.addIssue({ …, params })`)
 * so the thrown error carries a more precise code or fix than the option's default.
 *
 * @example
 * ```ts
 * // In a refinement: ctx.addIssue({ code: 'custom', message: 'over the limit of 100', params });
 * const params: ConfigIssueParams = { code: 'EMF_LIMIT_EXCEEDED', fix: 'use 100 or fewer' };
 * ```
 */
export interface ConfigIssueParams {
  readonly code?: string;
  readonly fix?: string;
}

/**
 * How one factory's options are defined (issue #14): the schema holds the
 * types, the defaults and the rules; `fixes` says, per top-level option, how
 * to fix a bad value; `secret` options never show their value.
 *
 * @example
 * ```ts
 * const definition: OptionsDefinition<typeof auditLoggerOptionsSchema> = {
 *   where: 'createAuditLogger',
 *   schema: auditLoggerOptionsSchema,
 *   fixes: { format: 'use "json", "pretty" or "emf"' },
 *   error: (facts) => new AuditConfigError(facts.option, facts.message, facts),
 * };
 * ```
 */
export interface OptionsDefinition<S extends z.ZodType> {
  /** The factory, as the message names it: `createAuditLogger`, `emf()`. */
  readonly where: string;
  readonly schema: S;
  /** Fix per top-level option (or `(options)`), used when the issue brings none. */
  readonly fixes: Readonly<Record<string, string>>;
  /** Top-level options whose value is never previewed (keys, tokens). */
  readonly secret?: readonly string[];
  /** Where the full option table is, for options without a fix. */
  readonly docs?: string;
  /**
   * How an option's path is written: `'brackets'` (`metrics[0].unit`) or
   * `'dots'` (`excludePaths.0`), kept per package because `option` values are
   * matched by users and tests. @default 'brackets'
   */
  readonly pathStyle?: 'brackets' | 'dots';
  /** Builds the package's error: each package's subclass only sets its `code`. */
  readonly error: (facts: ConfigErrorFacts) => AuditlineConfigError;
}

/**
 * A short, safe rendering of a value for an error message: JSON when it has
 * one, cut to 80 characters, `[hidden]` for secrets, never the value's own
 * `toString` (which may throw or lie).
 *
 * @example
 * ```ts
 * previewValue({ a: 1 }); // '{"a":1}'
 * previewValue('k'.repeat(40), true); // '[hidden]'
 * ```
 */
export function previewValue(value: unknown, secret = false): string {
  if (secret) return HIDDEN;
  let text: string;
  try {
    text =
      typeof value === 'function'
        ? 'a function'
        : typeof value === 'bigint'
          ? `${value}n`
          : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Array.isArray(value) ? `an array of ${value.length}` : typeof value;
  }
  return text.length > MAX_PREVIEW_LENGTH ? `${text.slice(0, MAX_PREVIEW_LENGTH - 3)}...` : text;
}

function read(source: unknown, path: readonly PropertyKey[]): unknown {
  let node = source;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    try {
      node = (node as Record<PropertyKey, unknown>)[key];
    } catch {
      return undefined;
    }
  }
  return node;
}

/** `metrics[0].unit` (or `metrics.0.unit`) from zod's `['metrics', 0, 'unit']`. */
function pathText(path: readonly PropertyKey[], style: 'brackets' | 'dots' = 'brackets'): string {
  let text = '';
  for (const key of path) {
    if (style === 'brackets' && typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/**
 * Turns the first zod issue into the package's config error: the option's
 * path, a preview of the value it got, the rule it broke and the fix.
 *
 * @example
 * ```ts
 * const input = { format: 'xml' };
 * const parsed = auditLoggerOptionsSchema.safeParse(input);
 * if (!parsed.success) {
 *   const error = configErrorFromZod(
 *     { where: 'createAuditLogger', schema: auditLoggerOptionsSchema, fixes: {}, error: (f) => new AuditConfigError(f.option, f.message, f) },
 *     parsed.error,
 *     input,
 *   );
 *   error.option; // 'format'
 * }
 * ```
 */
export function configErrorFromZod<S extends z.ZodType>(
  definition: OptionsDefinition<S>,
  error: ZodError,
  input: unknown,
): AuditlineConfigError {
  const issue = error.issues[0];
  const secret = new Set(definition.secret ?? []);
  const docs = definition.docs ?? 'see the option table in the README';
  if (issue?.code === 'unrecognized_keys') {
    const base = pathText(issue.path, definition.pathStyle);
    const keys = issue.keys.map((k) => (base === '' ? k : `${base}.${k}`)).join(', ');
    const known = knownKeys(definition.schema, issue.path);
    return definition.error({
      option: keys,
      valuePreview: undefined,
      fix: known ? `use one of ${known}` : docs,
      message: `${definition.where}: unknown option(s) ${keys}: not an option of ${definition.where}.${known ? ` Known options: ${known}.` : ''}`,
      cause: error,
    });
  }
  const path = issue?.path ?? [];
  const option = pathText(path, definition.pathStyle) || '(options)';
  const top = path.length === 0 ? '(options)' : String(path[0]);
  const params = (issue as { params?: ConfigIssueParams } | undefined)?.params;
  const valuePreview = previewValue(path.length === 0 ? input : read(input, path), secret.has(top));
  const fix = params?.fix ?? definition.fixes[top] ?? docs;
  return definition.error({
    option,
    valuePreview,
    fix,
    code: params?.code,
    message: `${definition.where}: invalid option "${option}" (got ${valuePreview}): ${issue?.message ?? 'invalid'}. Fix: ${fix}.`,
    cause: error,
  });
}

function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let node: unknown = schema;
  for (const key of path) {
    node = (node as { shape?: Record<PropertyKey, unknown> }).shape?.[key];
    node = unwrap(node);
  }
  const shape = (unwrap(node) as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape).join(', ') : undefined;
}

function unwrap(node: unknown): unknown {
  let current = node as { unwrap?: () => unknown; def?: { innerType?: unknown } } | undefined;
  for (let i = 0; i < 8 && current; i++) {
    const inner = current.def?.innerType;
    if (inner === undefined) break;
    current = inner as typeof current;
  }
  return current;
}

/**
 * The one way auditline packages define options (issue #14, STYLE "Options
 * and errors"): validate once at construction with the zod schema, apply its
 * defaults, freeze the result, and turn any failure into the package's
 * {@link AuditlineConfigError} subclass naming the option, a value preview and
 * the fix. The resolved type is the schema's `z.output`, so it cannot drift
 * from the rules. NO SEMVER PROMISE: published through `@auditline/core/internal`.
 *
 * @example
 * ```ts
 * const resolveOptions = defineOptions({
 *   where: 'createAuditLogger',
 *   schema: auditLoggerOptionsSchema,
 *   fixes: { format: 'use "json", "pretty" or "emf"' },
 *   error: (facts) => new AuditConfigError(facts.option, facts.message, facts),
 * });
 * resolveOptions({ format: 'json' }).format; // 'json'
 * ```
 */
export function defineOptions<S extends z.ZodType>(
  definition: OptionsDefinition<S>,
): (input: unknown) => Readonly<z.output<S>> {
  return (input: unknown) => {
    const parsed = definition.schema.safeParse(input);
    if (!parsed.success) throw configErrorFromZod(definition, parsed.error, input);
    const data = parsed.data;
    return (typeof data === 'object' && data !== null ? Object.freeze(data) : data) as Readonly<
      z.output<S>
    >;
  };
}
