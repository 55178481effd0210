/** Strings longer than this go straight to `JSON.stringify`, whose native scan wins on long input. */
const SCAN_LIMIT = 100;

/** JSON allows raw U+2028/U+2029, but JavaScript consumers and some log tools treat them as line breaks (SPEC §4.6). */
const LINE_SEPARATOR = /[\u2028\u2029]/;
const LINE_SEPARATORS_ALL = /[\u2028\u2029]/g;
const escapeSeparator = (c: string): string => (c === '\u2028' ? '\\u2028' : '\\u2029');

/**
 * Escapes raw U+2028/U+2029 in JSON text, which `JSON.stringify` leaves as they are.
 *
 * Every string that reaches a line goes through here or {@link quoteJson}, so
 * the logger need not scan each whole line again: that scan, which also
 * flattened the concatenated line, was 11% of a `log()` profile (issue 6).
 *
 * @example
 * ```ts
 * escapeLineSeparators('"a\u2028b"'); // '"a\\u2028b"'
 * ```
 */
export function escapeLineSeparators(json: string): string {
  return LINE_SEPARATOR.test(json) ? json.replace(LINE_SEPARATORS_ALL, escapeSeparator) : json;
}

/**
 * `JSON.stringify` for data that may hold user text, with line separators escaped.
 *
 * @example
 * ```ts
 * stringifyJson({ note: 'a\u2029b' }); // '{"note":"a\\u2029b"}'
 * ```
 */
export function stringifyJson(value: unknown): string {
  return escapeLineSeparators(JSON.stringify(value));
}

/**
 * JSON-quotes a string. Short strings of plain printable ASCII (the common
 * case: actions, ids, paths) are wrapped directly; anything else goes to
 * `JSON.stringify`, which escapes control characters, quotes, backslashes and
 * lone surrogates, and then U+2028/U+2029 are escaped too. In a profile of
 * `log()`, `JSON.stringify` on short strings was 12% of the time; pino's
 * `asString` makes the same trade.
 */
export function quoteJson(text: string): string {
  const length = text.length;
  if (length > SCAN_LIMIT) return escapeLineSeparators(JSON.stringify(text));
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) {
      return escapeLineSeparators(JSON.stringify(text));
    }
  }
  return `"${text}"`;
}
