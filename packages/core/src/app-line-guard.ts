import { AUDIT_FIELDS } from './constants.js';
import { quoteJson } from './json-string.js';

/**
 * Where an app line's reserved top-level members go (SPEC §6, issue #13):
 * `{"msg":"…","app_fields":{"audit":true,"_aws":{…}}}`. The key itself is
 * reserved too, so a logged `app_fields` is nested rather than duplicated.
 *
 * @example
 * ```ts
 * log.info({ audit: true }, 'hi'); // {"level":"info",…,"msg":"hi","app_fields":{"audit":true}}
 * ```
 */
export const APP_FIELDS_KEY = 'app_fields';

/**
 * Top-level keys an application line may never carry, whatever it logs
 * (SPEC §6). `audit` is the marker every filter and query keys on, `seq` the
 * member the generated filters and queries also require (issue #13), `_aws`
 * makes CloudWatch extract metrics, and `instance`/`hash`/`prev`/`keyId` are
 * the integrity members verify reads. The audit logger adds the keys its
 * plugins claim (emf: `_aws`, the dimension and metric names such as
 * `Action`, `Status`, `AuditEventCount`, `ActionDuration`).
 *
 * Not reserved, on purpose: `action`, `status`, `user_id` (and the other
 * audit field names). Apps log them as ordinary vocabulary (`status` of a
 * job, the `user_id` of a request), and without `audit` and `seq` no filter,
 * query or metric counts such a line.
 *
 * @example
 * ```ts
 * APP_RESERVED_KEYS.includes('_aws'); // true
 * ```
 */
export const APP_RESERVED_KEYS: readonly string[] = Object.freeze([
  AUDIT_FIELDS.audit,
  AUDIT_FIELDS.seq,
  AUDIT_FIELDS.instance,
  AUDIT_FIELDS.hash,
  AUDIT_FIELDS.prev,
  AUDIT_FIELDS.keyId,
  '_aws',
  APP_FIELDS_KEY,
]);

/** Wraps text that is not a JSON object, so the line is still one valid JSON line. */
const UNPARSED_KEY = 'app_line';

/**
 * Builds the filter every app line passes on its way to the shared
 * destination: parse pino's line, move reserved top-level keys under
 * {@link APP_FIELDS_KEY}, and serialise it again through the audit logger's
 * own serialiser, so app lines get the same redaction, hostile-value rules
 * and caps as `details` (SPEC §6). It works on the finished line, not on
 * pino's options, so no pino setting (`base`, `mixin`, `messageKey`,
 * `formatters`, child bindings, serializers) can write a reserved key.
 *
 * Cost: one `JSON.parse` and one serialisation per app line; app lines are
 * not on the audit hot path, and pino-http's per-request line is at `debug`.
 * Integers beyond 2^53 in app lines lose precision in the round trip.
 */
export function createAppLineGuard(
  serialize: (value: object) => string,
  reservedKeys: Iterable<string>,
): (line: string) => string {
  const reserved: ReadonlySet<string> = new Set([...APP_RESERVED_KEYS, ...reservedKeys]);
  return (line: string): string => {
    const text = line.endsWith('\n') ? line.slice(0, -1) : line;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return `{${quoteJson(UNPARSED_KEY)}:${quoteJson(text)}}\n`;
    }
    const source = parsed as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    let moved: Record<string, unknown> | undefined;
    for (const key of Object.keys(source)) {
      if (!reserved.has(key)) continue;
      if (out === undefined) {
        out = {};
        // `__proto__` is skipped: assigning it would set out's prototype (the serialiser drops it anyway).
        for (const k of Object.keys(source)) {
          if (!reserved.has(k) && k !== '__proto__') out[k] = source[k];
        }
        moved = {};
      }
      (moved as Record<string, unknown>)[key] = source[key];
    }
    if (out !== undefined) out[APP_FIELDS_KEY] = moved;
    return `${serialize(out ?? source)}\n`;
  };
}
