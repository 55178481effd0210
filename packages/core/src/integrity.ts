import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { GENESIS_HASH } from './constants.js';

/**
 * HMAC-SHA256 bound to one key. The key is imported once as a `KeyObject`;
 * per line only `createHmac` runs. (Copying pre-keyed hash states with
 * `Hash.copy()` was tried and measured slower than a fresh `createHmac`.)
 */
export interface PreparedHmac {
  /** Hex HMAC over the concatenation of `parts`. */
  hex(...parts: string[]): string;
}

/**
 * Prepares HMAC-SHA256 for one key.
 *
 * @example
 * ```ts
 * prepareHmac('k'.repeat(32)).hex('prev', '{"audit":true}');
 * ```
 */
export function prepareHmac(key: string | Uint8Array): PreparedHmac {
  const keyObject: KeyObject = createSecretKey(
    typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key),
  );
  return {
    hex(...parts: string[]): string {
      const h = createHmac('sha256', keyObject);
      for (const part of parts) h.update(part, 'utf8');
      return h.digest('hex');
    },
  };
}

/** The members the chain appends, and where the hash goes. */
const HASH_MEMBER_PREFIX = ',"hash":"';
/** Length of `,"hash":"<64 hex>"}`: what {@link canonicalOf} strips from a sealed line. */
const SEAL_SUFFIX_LENGTH = HASH_MEMBER_PREFIX.length + 64 + 2;
/**
 * Whether `text` from `start` holds 64 lowercase hex digits. A char loop: the
 * end-anchored regex it replaces scanned every position of the line (5% of a
 * `verify` profile), and even a regex on the 64-char slice cost 3.8%.
 */
function isHex64(text: string, start: number): boolean {
  for (let i = start; i < start + 64; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * The integrity chain of one logger instance (SPEC §7):
 * `hash = HMAC-SHA256(key, prev + canonical)`, where `canonical` is the exact
 * line as written, without its final `,"hash":"…"` member and without the newline.
 *
 * @example
 * ```ts
 * const chain: IntegrityChain = createIntegrityChain(key, 'k1');
 * const line = chain.seal(`{"audit":true${chain.linkMembers()}`); // ends with ,"hash":"…"}
 * ```
 */
export interface IntegrityChain {
  /** The members to append before sealing: `,"keyId":"…","prev":"…"`. */
  linkMembers(): string;
  /** Seals `body` (a line missing its closing `}`): returns the full line without newline. */
  seal(body: string): string;
}

/**
 * Creates the chain state for one logger instance.
 *
 * @example
 * ```ts
 * const chain = createIntegrityChain(key, 'k1');
 * const line = chain.seal('{"audit":true' + chain.linkMembers());
 * ```
 */
export function createIntegrityChain(key: string | Uint8Array, keyId: string): IntegrityChain {
  const hmac = prepareHmac(key);
  const keyIdMember = `,"keyId":${JSON.stringify(keyId)},"prev":"`;
  let prev = GENESIS_HASH;
  return {
    linkMembers(): string {
      return `${keyIdMember}${prev}"`;
    },
    seal(body: string): string {
      const canonical = `${body}}`;
      const hash = hmac.hex(prev, canonical);
      prev = hash;
      return `${body}${HASH_MEMBER_PREFIX}${hash}"}`;
    },
  };
}

/**
 * Splits a sealed line into the canonical bytes that were hashed and the hash.
 * Works on the raw text, never on a re-serialisation, so odd characters (lone
 * surrogates, U+2028, NUL) cannot change what is verified.
 *
 * @example
 * ```ts
 * const sealed = canonicalOf(line); // { canonical, hash } | undefined
 * ```
 */
export function canonicalOf(line: string): { canonical: string; hash: string } | undefined {
  const trimmed = line.endsWith('\n') ? line.slice(0, -1) : line;
  const cut = trimmed.length - SEAL_SUFFIX_LENGTH;
  if (cut < 0 || !trimmed.startsWith(HASH_MEMBER_PREFIX, cut) || !trimmed.endsWith('"}')) {
    return undefined;
  }
  const hashStart = cut + HASH_MEMBER_PREFIX.length;
  if (!isHex64(trimmed, hashStart)) return undefined;
  return {
    canonical: `${trimmed.slice(0, cut)}}`,
    hash: trimmed.slice(hashStart, trimmed.length - 2),
  };
}
