import { REDACTED } from './constants.js';
import { NEEDS_ESCAPE } from './json-string.js';
import type { NameMatcher } from './sensitive-names.js';

/**
 * Cheap gate before any scan: every rule below needs one of these. Most
 * strings in `details` (ids, statuses, user agents) have none of them.
 */
export const MAY_HOLD_SECRET = /[=:]|bearer|basic|eyJ/i;
/**
 * The text censor's gate and the quoter's in one scan: a string matching
 * neither is written as it is. Most strings in `details` (ids, statuses) match
 * neither, and one regex test per value instead of two saved ~0.1 µs per
 * `log()` of the bench entry on Node 24 (issue #15). Built from both sources,
 * so it cannot drift from either.
 */
export const NEEDS_CENSOR_OR_ESCAPE = new RegExp(
  `${NEEDS_ESCAPE.source}|${MAY_HOLD_SECRET.source}`,
  'i',
);
/**
 * `Bearer <token>` and `Basic <base64>` anywhere in text (RFC 6750 §2.1, RFC 7617 §2).
 */
const AUTH_SCHEME = /\b(bearer|basic)(\s+)([A-Za-z0-9\-._~+/]+=*)/gi;
/** A Basic credential is base64 of `user:password`. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A token of letters only shorter than this after `Bearer` is taken for prose ("Bearer tokens are…"). */
const MIN_LETTERS_ONLY_TOKEN = 16;
const LETTERS_ONLY = /^[A-Za-z]+$/;
/** URL user-info (RFC 3986 §3.2.1): `postgres://app:pw@db/x`; greedy, so a raw `@` in the password is covered. */
const URL_USER_INFO = /\b([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)([^\s/?#"'<>]*)@/g;
/** JWT/JWS/JWE compact serialisation: the header is base64url of `{"…`, so it starts `eyJ` (RFC 7519 §3). */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){0,3}/g;
/**
 * The longest name looked at behind a `=` or `:` in text, and the longest array item
 * taken as the name of a `[name, value]` pair (safe-json.ts): one bound for both.
 */
export const MAX_PAIR_NAME_LENGTH = 256;

function isNameChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 95 || // _
    code === 45 || // -
    code === 46 || // .
    code === 37 || // %
    code === 43 || // +
    code === 91 || // [
    code === 93 // ]
  );
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** Where an unquoted value after `=` ends: the query and cookie separators, or whitespace. */
function isValueEnd(code: number): boolean {
  return (
    code === 38 ||
    code === 35 ||
    code === 59 ||
    code === 32 ||
    code === 9 ||
    code === 10 ||
    code === 13
  );
}

/** End (exclusive) of a `{…}`/`[…]` value, skipping quoted strings; the text's end if unbalanced. */
function bracketEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92 /* \ */) i++;
      }
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** A censored value and where the original ended. */
interface Replacement {
  readonly text: string;
  readonly end: number;
}

/**
 * The value after a separator at `from`, censored. Quoted values keep their
 * quotes, so JSON inside a string stays JSON; `{…}`/`[…]` values are censored
 * whole; after `:` (a header dump) an unquoted value runs to the end of the line.
 */
function censorValue(text: string, from: number, separator: number, quoted: boolean): Replacement {
  const c = text.charCodeAt(from);
  if (c === 92 /* \ */ && text.charCodeAt(from + 1) === 34) {
    const close = text.indexOf('\\"', from + 2);
    return { text: `\\"${REDACTED}\\"`, end: close === -1 ? text.length : close + 2 };
  }
  if (c === 34 || c === 39 /* ' */) {
    let i = from + 1;
    for (; i < text.length && text.charCodeAt(i) !== c; i++) {
      if (text.charCodeAt(i) === 92) i++;
    }
    const quote = text.charAt(from);
    return { text: `${quote}${REDACTED}${quote}`, end: Math.min(i + 1, text.length) };
  }
  if (c === 123 || c === 91) {
    return { text: quoted ? `"${REDACTED}"` : REDACTED, end: bracketEnd(text, from) };
  }
  let i = from;
  if (separator === 58 /* : */) {
    while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  } else {
    while (i < text.length && !isValueEnd(text.charCodeAt(i))) i++;
  }
  return { text: i === from ? '' : REDACTED, end: i };
}

/**
 * Censors the value of every `name=value` and `name: value` pair whose name is
 * sensitive, in query strings, cookies, header dumps, JSON or JS-literal text
 * inside a string, and Error messages (SPEC §6). One left-to-right pass: each
 * `=` or `:` looks back at most {@link MAX_PAIR_NAME_LENGTH} characters, so a
 * hostile string costs linear time.
 */
function censorPairs(text: string, names: NameMatcher): string {
  let out = '';
  let kept = 0;
  let from = 0;
  let nextEquals = text.indexOf('=');
  let nextColon = text.indexOf(':');
  while (nextEquals !== -1 || nextColon !== -1) {
    const at =
      nextColon === -1 || (nextEquals !== -1 && nextEquals < nextColon) ? nextEquals : nextColon;
    const separator = text.charCodeAt(at);
    if (separator === 61) nextEquals = text.indexOf('=', at + 1);
    else nextColon = text.indexOf(':', at + 1);
    if (at < from) continue;
    let end = at;
    while (end > kept && isBlank(text.charCodeAt(end - 1))) end--;
    let quoted = false;
    const q = text.charCodeAt(end - 1);
    if (end > kept && (q === 34 || q === 39)) {
      quoted = q === 34;
      end--;
      if (end > kept && text.charCodeAt(end - 1) === 92) end--;
    }
    let start = end;
    while (
      start > kept &&
      end - start < MAX_PAIR_NAME_LENGTH &&
      isNameChar(text.charCodeAt(start - 1))
    ) {
      start--;
    }
    if (start === end || !names.isSensitive(text.slice(start, end))) continue;
    let value = at + 1;
    while (value < text.length && isBlank(text.charCodeAt(value))) value++;
    const censored = censorValue(text, value, separator, quoted);
    if (censored.end > value) {
      out += text.slice(kept, value) + censored.text;
      kept = censored.end;
      from = censored.end;
    }
  }
  return kept === 0 ? text : out + text.slice(kept);
}

function censorAuthScheme(
  match: string,
  scheme: string,
  space: string,
  credential: string,
): string {
  if (scheme.toLowerCase() === 'basic') {
    if (!BASE64.test(credential)) return match;
    // Only a base64 `user:password` is a credential: "Basic plan" stays.
    if (!Buffer.from(credential, 'base64').toString('latin1').includes(':')) return match;
  } else if (LETTERS_ONLY.test(credential) && credential.length < MIN_LETTERS_ONLY_TOKEN) {
    return match;
  }
  return `${scheme}${space}${REDACTED}`;
}

function censorUserInfo(_match: string, scheme: string, userInfo: string): string {
  const colon = userInfo.indexOf(':');
  // A user name alone can be a token too (`https://<token>@github.com/…`).
  return colon === -1
    ? `${scheme}${REDACTED}@`
    : `${scheme}${userInfo.slice(0, colon)}:${REDACTED}@`;
}

/**
 * Censors secrets that text carries without a key of their own (SPEC §6):
 * sensitive `name=value` / `name: value` pairs, `Bearer`/`Basic` credentials,
 * URL user-info and JWT-shaped strings.
 *
 * @example
 * ```ts
 * const censor = compileTextCensor(compileNameMatcher([], []));
 * censor('GET /cb?code=1&access%5Ftoken=abc'); // 'GET /cb?code=1&access%5Ftoken=[REDACTED]'
 * censor('postgres://app:pw@db/x'); // 'postgres://app:[REDACTED]@db/x'
 * ```
 */
export function compileTextCensor(names: NameMatcher): (text: string) => string {
  return (text: string): string => {
    if (!MAY_HOLD_SECRET.test(text)) return text;
    let out = censorPairs(text, names);
    if (out.includes('://')) out = out.replace(URL_USER_INFO, censorUserInfo);
    out = out.replace(AUTH_SCHEME, censorAuthScheme);
    if (out.includes('eyJ')) out = out.replace(JWT_SHAPED, REDACTED);
    return out;
  };
}
