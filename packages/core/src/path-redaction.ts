import { REDACTED } from './constants.js';
import type { NameMatcher } from './sensitive-names.js';

/** One segment of a `redactPaths` pattern. */
type PatternSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'censor' }
  | { readonly kind: 'any' };

interface PathPattern {
  readonly anchored: boolean;
  readonly segments: readonly PatternSegment[];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Parses the `redactPaths` option once, at construction. A pattern is a path
 * template: `*` is a segment to censor, `:name` a segment to keep whatever it
 * is, anything else a literal segment (compared case-insensitively after
 * percent-decoding). A pattern starting with `/` matches from the start of the
 * path; one without matches at any segment (`reset/*` also covers
 * `/api/v1/reset/<token>`). Segments after the pattern are kept.
 */
function parsePattern(pattern: string): PathPattern {
  const anchored = pattern.startsWith('/');
  const segments: PatternSegment[] = pattern
    .split('/')
    .filter((s, i) => !(i === 0 && anchored && s === ''))
    .map((s) =>
      s === '*'
        ? { kind: 'censor' }
        : s.startsWith(':')
          ? { kind: 'any' }
          : { kind: 'literal', text: decodeSegment(s).toLowerCase() },
    );
  return { anchored, segments };
}

function matchesAt(pattern: PathPattern, decoded: readonly string[], at: number): boolean {
  if (at + pattern.segments.length > decoded.length) return false;
  for (let i = 0; i < pattern.segments.length; i++) {
    const segment = pattern.segments[i] as PatternSegment;
    if (segment.kind === 'literal' && segment.text !== decoded[at + i]) return false;
    // A segment to censor must hold something; `/reset/` is not a token.
    if (segment.kind !== 'literal' && decoded[at + i] === '') return false;
  }
  return true;
}

/** Splits a URL into its path and the rest (`?query#fragment`). */
function splitUrl(url: string): { path: string; rest: string } {
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  const cut = q === -1 ? h : h === -1 ? q : Math.min(q, h);
  return cut === -1 ? { path: url, rest: '' } : { path: url.slice(0, cut), rest: url.slice(cut) };
}

/**
 * Compiles `redactPaths` patterns into a function over URLs (issue #13:
 * tokens in path segments such as `/reset/<token>`).
 *
 * @example
 * ```ts
 * const censor = compilePathCensor(['/reset/*', 'invites/:org/*']);
 * censor('/reset/abc123?x=1'); // '/reset/[REDACTED]?x=1'
 * censor('/api/invites/acme/tok'); // '/api/invites/acme/[REDACTED]'
 * ```
 */
export function compilePathCensor(
  patterns: readonly string[],
): ((url: string) => string) | undefined {
  if (patterns.length === 0) return undefined;
  const compiled = patterns.map(parsePattern);
  return (url: string): string => {
    const { path, rest } = splitUrl(url);
    const segments = path.split('/');
    const decoded = segments.map((s) => decodeSegment(s).toLowerCase());
    let changed = false;
    for (const pattern of compiled) {
      const last = pattern.anchored ? 1 : decoded.length - pattern.segments.length;
      // Anchored patterns start after the empty segment before the leading `/`.
      for (let at = pattern.anchored ? 1 : 0; at <= last; at++) {
        if (!matchesAt(pattern, decoded, at)) continue;
        pattern.segments.forEach((segment, i) => {
          if (segment.kind === 'censor' && segments[at + i] !== REDACTED) {
            segments[at + i] = REDACTED;
            decoded[at + i] = REDACTED.toLowerCase();
            changed = true;
          }
        });
      }
    }
    return changed ? segments.join('/') + rest : url;
  };
}

/**
 * Censors the path segments that hold the value of a sensitive route
 * parameter (`/reset/:token`): the Express adapter passes `req.params`. A
 * segment is censored when its decoded form contains the value, so several
 * parameters in one segment (`/:from-:token`) are covered too.
 *
 * @example
 * ```ts
 * redactRouteParams(compileNameMatcher([], []), '/reset/abc123?x=1', { token: 'abc123' });
 * // '/reset/[REDACTED]?x=1'
 * ```
 */
export function redactRouteParams(
  names: NameMatcher,
  url: string,
  params: Readonly<Record<string, unknown>> | undefined,
): string {
  if (params === undefined || params === null || typeof params !== 'object') return url;
  const secrets: string[] = [];
  for (const name of Object.keys(params)) {
    let value: unknown;
    try {
      value = params[name];
    } catch {
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    if (!names.isSensitive(name)) continue;
    for (const v of values) if (typeof v === 'string' && v !== '') secrets.push(v);
  }
  if (secrets.length === 0) return url;
  const { path, rest } = splitUrl(url);
  const segments = path.split('/');
  let changed = false;
  for (let i = 0; i < segments.length; i++) {
    const raw = segments[i] as string;
    const decoded = decodeSegment(raw);
    if (secrets.some((s) => decoded.includes(s) || raw.includes(s))) {
      segments[i] = REDACTED;
      changed = true;
    }
  }
  return changed ? segments.join('/') + rest : url;
}
