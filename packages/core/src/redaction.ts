import { DEFAULT_REDACT_KEYS, REDACTED } from './constants.js';

/** A compiled path rule node: children by lower-cased segment, `*` matches one segment. */
export interface RedactPathNode {
  readonly children: Map<string, RedactPathNode>;
  terminal: boolean;
}

/**
 * Redaction rules compiled once at construction (SPEC §6): no regex is built per
 * call. pino's `redact` cannot express these rules (its wildcard matches exactly
 * one level, it is case-sensitive and skips arrays of arrays — measured on pino
 * 10.4), so the audit path uses this single pass instead.
 *
 * @example
 * ```ts
 * const redaction: CompiledRedaction = compileRedaction(['iban']);
 * redaction.keys.has('iban'); // true
 * redaction.redactQuery('/cb?code=1&access_token=x'); // '/cb?code=1&access_token=[REDACTED]'
 * ```
 */
export interface CompiledRedaction {
  /** Lower-cased key names censored at any depth. */
  readonly keys: ReadonlySet<string>;
  /** Root of dotted-path rules relative to `details`, or `undefined` when there are none. */
  readonly paths: RedactPathNode | undefined;
  /** Censors the values of sensitive query parameters in a URL, path or free text. */
  redactQuery(text: string): string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles the default sensitive keys plus the user's additions. An entry
 * without a dot is a key name matched case-insensitively at any depth; an
 * entry with dots is a path under `details` (`payment.card.*`), `*` matching
 * one segment.
 *
 * @example
 * ```ts
 * const r = compileRedaction(['iban', 'customer.*.email']);
 * r.redactQuery('/login?token=abc&page=2'); // '/login?token=[REDACTED]&page=2'
 * ```
 */
export function compileRedaction(extra: readonly string[] = []): CompiledRedaction {
  const keys = new Set<string>(DEFAULT_REDACT_KEYS);
  let paths: RedactPathNode | undefined;
  for (const rule of extra) {
    const lowered = rule.toLowerCase();
    if (!lowered.includes('.')) {
      keys.add(lowered);
      continue;
    }
    paths ??= { children: new Map(), terminal: false };
    let node = paths;
    for (const segment of lowered.split('.')) {
      let next = node.children.get(segment);
      if (!next) {
        next = { children: new Map(), terminal: false };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.terminal = true;
  }
  const names = [...keys].map(escapeRegExp).join('|');
  // A parameter starts after `?`, `&`, `;` (legacy query and cookie separator),
  // `#` (OAuth implicit flow puts `access_token` in the fragment), whitespace,
  // or `[` (`user[password]=…`, PHP/Rails nested params). Its value runs to the
  // next separator; quotes do not end it, so `token=a"b` cannot leak `b`.
  const queryPattern = new RegExp(`([?&;#\\s[]|^)((?:${names})\\]?=)[^&#;\\s]*`, 'gi');
  return Object.freeze({
    keys,
    paths,
    redactQuery(text: string): string {
      if (!text.includes('=')) return text;
      queryPattern.lastIndex = 0;
      return text.replace(queryPattern, `$1$2${REDACTED}`);
    },
  });
}

/**
 * Removes the query string and fragment, for `stripQueryStrings: true`.
 *
 * @example
 * ```ts
 * stripQuery('/orders?token=abc#x'); // '/orders'
 * ```
 */
export function stripQuery(text: string): string {
  const q = text.indexOf('?');
  const h = text.indexOf('#');
  const cut = q === -1 ? h : h === -1 ? q : Math.min(q, h);
  return cut === -1 ? text : text.slice(0, cut);
}
