import { DEFAULT_REDACT_KEYS } from './constants.js';

/**
 * Terms censored beyond SPEC §6's list: the compounds and spellings the red-team
 * pass of issue #13 found in clear (`jwt`, `secretAccessKey`, `X-Amz-Credential`,
 * `X-Amz-Signature` in presigned URLs, `creditCard`…). Written in the joined,
 * lower-case form every name is compared in.
 */
const BUILT_IN_TERMS: readonly string[] = [
  'pwd',
  'passphrase',
  'jwt',
  'credential',
  'signature',
  'accesskey',
  'secretkey',
  'creditcard',
  'cvc',
];

/**
 * Words that, after the last sensitive term, make the name describe a secret
 * rather than hold one: `tokenCount`, `password_policy_version`,
 * `token_expires_at`, `card_last4`, `signature_version`. Documented in the
 * README (issue #13: "a small documented exception list").
 */
const DESCRIPTOR_WORDS: ReadonlySet<string> = new Set([
  'count',
  'length',
  'len',
  'size',
  'policy',
  'version',
  'type',
  'kind',
  'format',
  'algorithm',
  'alg',
  'expires',
  'expiry',
  'expiration',
  'exp',
  'ttl',
  'age',
  'lifetime',
  'in',
  'at',
  'required',
  'enabled',
  'disabled',
  'used',
  'strength',
  'rotated',
  'changed',
  'updated',
  'created',
  'last',
  'limit',
  'max',
  'min',
  'rule',
  'status',
  'valid',
  'invalid',
  'error',
  'id',
  'name',
  'arn',
  'url',
  'uri',
  'endpoint',
  'consent',
]);

/**
 * Whole names that contain a term but are not secrets: pagination cursors
 * (AWS `NextToken`, Google `pageToken`) and a common analytics flag. Joined,
 * lower-case form.
 */
const EXEMPT_NAMES: ReadonlySet<string> = new Set([
  'nexttoken',
  'pagetoken',
  'nextpagetoken',
  'continuationtoken',
  'paginationtoken',
  'cookieconsent',
]);

/** Percent-escapes, decoded up to three times (`%2574oken` → `%74oken` → `token`). */
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;
/** `accessToken` → `access Token`, `password1` → `password 1`. */
const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])/g;
/** `APIKey` → `API Key`. */
const ACRONYM_BOUNDARY = /([A-Z]+)([A-Z][a-z])/g;
/** `_`, `-`, `.`, `[]`, spaces, `+` and every other non-alphanumeric separate words. */
const SEPARATORS = /[^A-Za-z0-9]+/;
const TRAILING_DIGITS = /[0-9]+$/;
const ALL_DIGITS = /^[0-9]+$/;
/** The decision for this many distinct names is remembered; longer names are not cached. */
const NAME_CACHE_LIMIT = 4_096;
const NAME_CACHE_MAX_LENGTH = 128;
/** Names are judged on their first 256 characters: no key name is longer in practice. */
const MAX_NAME_LENGTH = 256;

function decodePercent(text: string): string {
  let out = text;
  for (let round = 0; round < 3 && out.includes('%'); round++) {
    const next = out.replace(PERCENT_ESCAPE, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    if (next === out) break;
    out = next;
  }
  return out;
}

function wordsOf(text: string): string[] {
  const words = text.toLowerCase().split(SEPARATORS);
  return words.filter((w) => w !== '');
}

/** The joined, lower-case, alphanumeric form a rule or an allow-list entry is compared in. */
export function joinedName(name: string): string {
  return wordsOf(decodePercent(name)).join('');
}

/**
 * Decides, by meaning rather than spelling, whether a name (a key, a query
 * parameter, a header, a route parameter) holds a secret (SPEC §6, issue #13).
 *
 * @example
 * ```ts
 * const names = compileNameMatcher([], []);
 * names.isSensitive('accessToken'); // true
 * names.isSensitive('tokenCount'); // false
 * ```
 */
export interface NameMatcher {
  isSensitive(name: string): boolean;
}

/**
 * Compiles the matcher once per logger: SPEC §6's names, the built-in terms
 * and the user's `redact` names become joined terms; `allow` names are never
 * censored. A name is split twice, at separators only (`pAsSwOrD` stays one
 * word) and also at camelCase boundaries (`newPassword`); it is sensitive when
 * either split ends in a term, a word ending in a term (`xapikey`), or a term
 * followed by anything but {@link DESCRIPTOR_WORDS} (`passwordHash`).
 *
 * @example
 * ```ts
 * const names = compileNameMatcher(['iban'], ['csrfToken']);
 * names.isSensitive('customer_IBAN'); // true
 * names.isSensitive('csrf-token'); // false
 * ```
 */
export function compileNameMatcher(
  extraTerms: readonly string[],
  allow: readonly string[],
): NameMatcher {
  const terms = new Set<string>();
  let maxTermWords = 1;
  for (const source of [...DEFAULT_REDACT_KEYS, ...BUILT_IN_TERMS, ...extraTerms]) {
    const words = wordsOf(decodePercent(source));
    if (words.length === 0) continue;
    terms.add(words.join(''));
    maxTermWords = Math.max(maxTermWords, words.length);
  }
  const termList = [...terms];
  const allowed = new Set<string>(EXEMPT_NAMES);
  for (const name of allow) allowed.add(joinedName(name));

  /** Whether a term ends exactly at word `i`: within the word (`mytoken`) or over whole words (`api`,`key`). */
  function termEndsAt(words: readonly string[], i: number): boolean {
    const word = (words[i] as string).replace(TRAILING_DIGITS, '');
    if (word === '') return false;
    // Plurals: `tokens`, `credentials`, `apiKeys`.
    const forms = word.length > 3 && word.endsWith('s') ? [word, word.slice(0, -1)] : [word];
    for (const form of forms) {
      for (const term of termList) if (form.endsWith(term)) return true;
      let joined = form;
      for (let k = 1; k < maxTermWords && i - k >= 0; k++) {
        joined = (words[i - k] as string) + joined;
        if (terms.has(joined)) return true;
      }
    }
    return false;
  }

  /**
   * Sensitive when a term is followed by nothing, by digits (`password2`), or
   * by any word that does not describe it (`password_hash`, `token_value`);
   * not when only descriptors follow it (`tokenCount`, `token_expires_at`).
   */
  function sensitiveWords(words: readonly string[]): boolean {
    let describes = false;
    for (let i = words.length - 1; i >= 0; i--) {
      if (termEndsAt(words, i)) return !describes;
      const word = words[i] as string;
      if (ALL_DIGITS.test(word)) continue;
      if (DESCRIPTOR_WORDS.has(word)) {
        describes = true;
        continue;
      }
      for (let j = i - 1; j >= 0; j--) if (termEndsAt(words, j)) return true;
      return false;
    }
    return false;
  }

  function decide(name: string): boolean {
    const decoded = decodePercent(
      name.length > MAX_NAME_LENGTH ? name.slice(-MAX_NAME_LENGTH) : name,
    );
    const plain = wordsOf(decoded);
    if (plain.length === 0) return false;
    if (allowed.has(plain.join(''))) return false;
    if (sensitiveWords(plain)) return true;
    const split = wordsOf(
      decoded.replace(ACRONYM_BOUNDARY, '$1 $2').replace(CAMEL_BOUNDARY, '$1 $2'),
    );
    return split.length !== plain.length && sensitiveWords(split);
  }

  const cache = new Map<string, boolean>();
  return Object.freeze({
    isSensitive(name: string): boolean {
      const known = cache.get(name);
      if (known !== undefined) return known;
      const verdict = decide(name);
      if (name.length <= NAME_CACHE_MAX_LENGTH && cache.size < NAME_CACHE_LIMIT) {
        cache.set(name, verdict);
      }
      return verdict;
    },
  });
}
