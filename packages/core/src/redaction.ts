import { compilePathCensor, redactRouteParams } from './path-redaction.js';
import { compileNameMatcher, type NameMatcher } from './sensitive-names.js';
import { compileTextCensor } from './text-redaction.js';

/** A compiled path rule node: children by lower-cased segment, `*` matches one segment. */
export interface RedactPathNode {
  readonly children: Map<string, RedactPathNode>;
  terminal: boolean;
}

/**
 * What {@link compileRedaction} takes besides the extra names: the user's
 * allow-list and URL path patterns (the `redactAllow` and `redactPaths` options).
 *
 * @example
 * ```ts
 * const settings: RedactionSettings = { allow: ['csrfToken'], paths: ['/reset/*'] };
 * compileRedaction(['iban'], settings);
 * ```
 */
export interface RedactionSettings {
  /** Names never censored, compared in their normalised form (`csrf-token` = `csrfToken`). */
  readonly allow?: readonly string[];
  /** URL path patterns whose `*` segments are censored (`/reset/*`). */
  readonly paths?: readonly string[];
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
 * redaction.isSensitiveName('customerIban'); // true
 * redaction.redactText('/cb?code=1&accessToken=x'); // '/cb?code=1&accessToken=[REDACTED]'
 * ```
 */
export interface CompiledRedaction {
  /** Root of dotted-path rules relative to `details`, or `undefined` when there are none. */
  readonly paths: RedactPathNode | undefined;
  /** Whether a key, query, header or parameter name holds a secret, by meaning (issue #13). */
  isSensitiveName(name: string): boolean;
  /** Censors pairs, credentials, URL user-info and JWTs inside any text. */
  redactText(text: string): string;
  /** {@link CompiledRedaction.redactText} plus the `redactPaths` patterns: for `path` and `resource`. */
  redactUrl(url: string): string;
  /** Censors the path segments holding sensitive route parameters (`/reset/:token`). */
  redactRouteParams(url: string, params: Readonly<Record<string, unknown>> | undefined): string;
}

/**
 * Compiles the default sensitive names plus the user's additions. An entry
 * without a dot is a name, matched by meaning at any depth (`iban` also
 * catches `customerIBAN`); an entry with dots is a path under `details`
 * (`payment.card.*`), `*` matching one segment.
 *
 * @example
 * ```ts
 * const r = compileRedaction(['iban', 'customer.*.email'], { paths: ['/reset/*'] });
 * r.redactUrl('/reset/abc?token=x&page=2'); // '/reset/[REDACTED]?token=[REDACTED]&page=2'
 * ```
 */
export function compileRedaction(
  extra: readonly string[] = [],
  settings: RedactionSettings = {},
): CompiledRedaction {
  const names: string[] = [];
  let paths: RedactPathNode | undefined;
  for (const rule of extra) {
    const lowered = rule.toLowerCase();
    if (!lowered.includes('.')) {
      names.push(rule);
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
  const matcher: NameMatcher = compileNameMatcher(names, settings.allow ?? []);
  const redactText = compileTextCensor(matcher);
  const censorPath = compilePathCensor(settings.paths ?? []);
  return Object.freeze({
    paths,
    isSensitiveName: matcher.isSensitive,
    redactText,
    redactUrl: censorPath === undefined ? redactText : (url: string) => redactText(censorPath(url)),
    redactRouteParams: (url: string, params: Readonly<Record<string, unknown>> | undefined) =>
      redactRouteParams(matcher, url, params),
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
