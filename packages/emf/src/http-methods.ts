// Which HTTP methods may become a dimension value (issue #13); re-exported by constants.ts.

/**
 * HTTP methods that may appear as a dimension value: RFC 9110 §9 plus PATCH
 * (RFC 5789). Node's parser accepts 34 methods (PROPFIND, MKCALENDAR…), and
 * each distinct value is a billed custom metric: measured, 34 unauthenticated
 * requests added 114 metrics (issue #13). Any other method becomes
 * {@link OTHER_METHOD}.
 *
 * @example
 * ```ts
 * KNOWN_HTTP_METHODS.includes('GET'); // true
 * ```
 */
export const KNOWN_HTTP_METHODS = Object.freeze([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
] as const);

/**
 * The one dimension value every other HTTP method collapses to (issue #13).
 * The same text as `@auditline/express`'s `OTHER_METHOD_ACTION` (its action
 * for `M-SEARCH`), so the Action dimension has a single catch-all; emf does
 * not depend on express, and a test in infra holds the two equal.
 *
 * @example
 * ```ts
 * // A PROPFIND request's automatic entry has action 'PROPFIND': its Action dimension is 'HTTP_OTHER'.
 * ```
 */
export const OTHER_METHOD = 'HTTP_OTHER';
