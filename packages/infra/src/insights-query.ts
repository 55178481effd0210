import { AUDIT_FIELDS, DETAIL_FIELDS } from '@auditline/core';

/**
 * A reference to a log field inside an Insights query: a top-level key or `details.<key>`.
 *
 * @example
 * ```ts
 * const ref: FieldRef = { field: 'details.duration_ms' }; // written bare in the query, listed in `fields`
 * ```
 */
export interface FieldRef {
  readonly field: string;
}

/**
 * A Logs Insights query plus every audit field it names, so tests can check each one exists.
 *
 * @example
 * ```ts
 * const { query, fields }: InsightsQuery = DASHBOARD_LOG_WIDGETS.recentEvents.query;
 * fields.includes('user_id'); // true
 * ```
 */
export interface InsightsQuery {
  /** The query text, as saved in `AWS::Logs::QueryDefinition` or a dashboard log widget. */
  readonly query: string;
  /** Audit fields the query reads (`user_id`, `details.duration_ms`, …), in order of first use. */
  readonly fields: readonly string[];
}

/**
 * `details` keys that `@auditline/express` writes beyond core's reserved ones:
 * `attempted_action` on 401/403 lines (SPEC §5.5). infra does not depend on express
 * at run time, so the names live here; the query-fields test proves the middleware
 * really writes them.
 *
 * @example
 * ```ts
 * const field = `details.${MIDDLEWARE_DETAIL_FIELDS.attemptedAction}`; // 'details.attempted_action' in Logs Insights
 * ```
 */
export const MIDDLEWARE_DETAIL_FIELDS = Object.freeze({
  attemptedAction: 'attempted_action',
} as const);

type FieldKey = keyof typeof AUDIT_FIELDS;
type DetailKey = keyof typeof DETAIL_FIELDS | keyof typeof MIDDLEWARE_DETAIL_FIELDS;

/**
 * A field reference for a top-level audit field, named through core's `AUDIT_FIELDS`.
 *
 * @example
 * ```ts
 * field('userId'); // { field: 'user_id' }
 * ```
 */
export function field(key: FieldKey): FieldRef {
  return { field: AUDIT_FIELDS[key] };
}

/**
 * A field reference for a reserved `details` key, named through core's `DETAIL_FIELDS`.
 * Logs Insights flattens nested JSON with dots.
 *
 * @example
 * ```ts
 * detail('durationMs'); // { field: 'details.duration_ms' }
 * ```
 */
export function detail(key: DetailKey): FieldRef {
  const name =
    key in DETAIL_FIELDS
      ? DETAIL_FIELDS[key as keyof typeof DETAIL_FIELDS]
      : MIDDLEWARE_DETAIL_FIELDS[key as keyof typeof MIDDLEWARE_DETAIL_FIELDS];
  return { field: `${AUDIT_FIELDS.details}.${name}` };
}

type Part = FieldRef | InsightsQuery | string | number;

function isFieldRef(part: Part): part is FieldRef {
  return typeof part === 'object' && 'field' in part;
}

/**
 * Tagged template for Insights queries. A {@link FieldRef} is written as a bare
 * field name and recorded in `fields`; another {@link InsightsQuery} is written
 * inline as a fragment, its fields recorded too; a string is written as a quoted
 * string literal (an action or status value); a number is written as is. Literal
 * text in the template must hold no field names, so nothing can drift from core.
 *
 * @example
 * ```ts
 * const q = insights`filter ${field('action')} = ${AUDIT_ACTIONS.DELETE}`;
 * q.query;  // 'filter action = "DELETE"'
 * q.fields; // ['action']
 * ```
 */
export function insights(strings: TemplateStringsArray, ...parts: Part[]): InsightsQuery {
  let query = strings[0] ?? '';
  const fields: string[] = [];
  parts.forEach((part, i) => {
    if (isFieldRef(part)) {
      query += part.field;
      if (!fields.includes(part.field)) fields.push(part.field);
    } else if (typeof part === 'object') {
      query += part.query;
      for (const f of part.fields) if (!fields.includes(f)) fields.push(f);
    } else if (typeof part === 'string') {
      query += JSON.stringify(part);
    } else {
      query += String(part);
    }
    query += strings[i + 1] ?? '';
  });
  return Object.freeze({ query, fields: Object.freeze(fields) });
}
