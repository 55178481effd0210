import { quoteJson } from './json-string.js';

/** Keys that could pollute a prototype in a consumer that merges the parsed line (SPEC §4.6). Dropped. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Most key names remembered per serialiser; real details use far fewer distinct keys. */
const KEY_CACHE_LIMIT = 2_048;
/** Longer key names are not cached, so the cache holds at most ~128 KiB of key text. */
const KEY_CACHE_MAX_KEY_LENGTH = 64;

/** What is decided once per key name. */
export interface KeyInfo {
  readonly json: string;
  readonly lower: string;
  readonly censored: boolean;
  readonly dropped: boolean;
}

/**
 * What is decided once per key name: its JSON form, its lower case (for path
 * rules) and whether it is censored or dropped. Key names repeat from call
 * to call, so a bounded cache saves the name normalisation, a
 * `JSON.stringify` and a Set lookup per member. Only short keys are cached
 * and the cache stops growing at {@link KEY_CACHE_LIMIT}, so hostile keys
 * cannot grow memory.
 *
 * @example
 * ```ts
 * const keyInfo = createKeyInfoCache(compileRedaction().isSensitiveName);
 * keyInfo('accessToken').censored; // true
 * ```
 */
export function createKeyInfoCache(
  isSensitive: (name: string) => boolean,
): (key: string) => KeyInfo {
  const keyCache = new Map<string, KeyInfo>();
  return (key: string): KeyInfo => {
    let info = keyCache.get(key);
    if (info !== undefined) return info;
    info = {
      json: quoteJson(key),
      lower: key.toLowerCase(),
      censored: isSensitive(key),
      dropped: FORBIDDEN_KEYS.has(key),
    };
    if (key.length <= KEY_CACHE_MAX_KEY_LENGTH && keyCache.size < KEY_CACHE_LIMIT) {
      keyCache.set(key, info);
    }
    return info;
  };
}
