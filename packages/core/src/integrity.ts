import { hash } from 'node:crypto';
import { GENESIS_HASH } from './constants.js';
import {
  HASH_HEX_LENGTH,
  HASH_MEMBER_PREFIX,
  LINK_TAIL_LENGTH,
  linkHead,
  PREV_MEMBER_PREFIX,
  SEAL_SUFFIX_LENGTH,
} from './line/framing.js';

/** SHA-256 block size: the HMAC key pad length (RFC 2104 §2, B = 64 for SHA-256). */
const SHA256_BLOCK_BYTES = 64;
/** Views of the scratch kept for reuse, one per message length; past this, new ones are not kept. */
const MAX_CACHED_VIEWS = 1024;
/** Initial scratch size; it grows to the longest message seen. */
const INITIAL_SCRATCH_BYTES = 64 * 1024;

/**
 * HMAC-SHA256 as RFC 2104 spells it, from two `crypto.hash()` one-shots over a
 * reused buffer: `H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ message))`. Per 800-byte line
 * this cost 1.7 µs against 2.9 µs for `createHmac(KeyObject)` (issue #6): no
 * Hmac object is built, and each string is encoded once, straight into the
 * buffer. (`hash(…, 'buffer')` was slower than hex output written back into
 * the outer block, 1.9 vs 1.0 µs, and Latin-1 output is faster still;
 * `Hash.copy()` of pre-keyed states was slower than `createHmac`.) The
 * logger's chain and the verifier share it, so both compute the same bytes
 * the same way.
 */
export interface HmacScratch {
  /**
   * The inner block, with `K ⊕ ipad` in its first 64 bytes and room for at
   * least `messageBytes` bytes of message after them. Valid until the next call.
   */
  block(messageBytes: number): Buffer;
  /** Hex HMAC of the `messageBytes` bytes after the pad in {@link HmacScratch.block}. */
  hex(messageBytes: number): string;
}

/** Offset of the message in {@link HmacScratch.block}. */
export const HMAC_MESSAGE_OFFSET = SHA256_BLOCK_BYTES;

/**
 * Prepares the scratch for one key.
 *
 * @example
 * ```ts
 * const mac = createHmacScratch(key);
 * const n = mac.block(16).write('message', HMAC_MESSAGE_OFFSET, 'utf8');
 * mac.hex(n); // = createHmac('sha256', key).update('message').digest('hex')
 * ```
 */
export function createHmacScratch(key: string | Uint8Array): HmacScratch {
  let keyBytes: Buffer = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (keyBytes.length > SHA256_BLOCK_BYTES) keyBytes = hash('sha256', keyBytes, 'buffer');
  let inner = Buffer.alloc(INITIAL_SCRATCH_BYTES);
  const outer = Buffer.alloc(SHA256_BLOCK_BYTES + 32);
  // Views of `inner` by message length, reused: lines of one log have few
  // lengths, and a view per call was an allocation per line (issue #15;
  // 500 -> 490 ms CPU on Node 20, 480 -> 470 on Node 24 for verify --key of
  // 200,002 lines, 9 alternating runs). At most MAX_CACHED_VIEWS are kept.
  const views = new Map<number, Buffer>();
  for (let i = 0; i < SHA256_BLOCK_BYTES; i++) {
    const k = keyBytes[i] ?? 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  return {
    block(messageBytes: number): Buffer {
      const need = SHA256_BLOCK_BYTES + messageBytes;
      if (need > inner.length) {
        const grown = Buffer.alloc(Math.max(need, inner.length * 2));
        inner.copy(grown, 0, 0, SHA256_BLOCK_BYTES);
        inner = grown;
        views.clear();
      }
      return inner;
    },
    hex(messageBytes: number): string {
      // The inner digest as a Latin-1 string ('binary': one char per byte),
      // written back as Latin-1: the same 32 bytes as hex would give, for
      // 1.07 against 1.17 µs per 965-byte message on Node 20, 0.99 against
      // 1.03 on Node 24 (CPU, in-process, alternating; issue #15).
      const length = SHA256_BLOCK_BYTES + messageBytes;
      let view = views.get(length);
      if (view === undefined) {
        view = inner.subarray(0, length);
        if (views.size < MAX_CACHED_VIEWS) views.set(length, view);
      }
      const innerBytes = hash('sha256', view, 'binary');
      outer.write(innerBytes, SHA256_BLOCK_BYTES, 'latin1');
      return hash('sha256', outer, 'hex');
    },
  };
}

/**
 * HMAC-SHA256 bound to one key, over strings.
 */
export interface PreparedHmac {
  /** Hex HMAC over the UTF-8 bytes of the concatenation of `parts`. */
  hex(...parts: string[]): string;
}

/**
 * Prepares HMAC-SHA256 for one key (on {@link createHmacScratch}).
 *
 * @example
 * ```ts
 * prepareHmac('k'.repeat(32)).hex('prev', '{"audit":true}');
 * ```
 */
export function prepareHmac(key: string | Uint8Array): PreparedHmac {
  const scratch = createHmacScratch(key);
  return {
    hex(...parts: string[]): string {
      let chars = 0;
      for (const part of parts) chars += part.length;
      // A UTF-16 unit is at most 3 UTF-8 bytes.
      const block = scratch.block(chars * 3);
      let at = HMAC_MESSAGE_OFFSET;
      for (const part of parts) at += block.write(part, at, 'utf8');
      return scratch.hex(at - HMAC_MESSAGE_OFFSET);
    },
  };
}

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
  const scratch = createHmacScratch(key);
  const keyIdMember = linkHead(keyId);
  const bodyOffset = HMAC_MESSAGE_OFFSET + HASH_HEX_LENGTH;
  let prev = GENESIS_HASH;
  return {
    linkMembers(): string {
      return `${keyIdMember}${prev}"`;
    },
    seal(body: string): string {
      // Message = prev ‖ body ‖ "}". Writing `body` also flattens it in place,
      // so the line built from it below is one cheap copy, not a second walk.
      const block = scratch.block(HASH_HEX_LENGTH + body.length * 3 + 1);
      block.write(prev, HMAC_MESSAGE_OFFSET, 'latin1');
      const end = bodyOffset + block.write(body, bodyOffset, 'utf8');
      block[end] = 0x7d; // }
      const hash = scratch.hex(end + 1 - HMAC_MESSAGE_OFFSET);
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

/**
 * Where the `,"prev":"…","hash":"…"}` tail of a sealed line starts, or -1 when
 * `line` (without newline) does not end with that shape: both values 64
 * characters without a backslash, so each is its own JSON value. A
 * verify-side helper: the tail is fixed-size, so it is read from the end
 * without parsing the line (issue #6). That the hash is hex is proven by
 * {@link SealCheck.verify} matching it; a hex loop over both values cost
 * 0.7 µs per line, as much as the rest of the checks together.
 *
 * @example
 * ```ts
 * const tail = linkTailStart(line); // line.slice(0, tail) ends with the keyId member
 * ```
 */
export function linkTailStart(line: string): number {
  const tail = line.length - LINK_TAIL_LENGTH;
  const cut = line.length - SEAL_SUFFIX_LENGTH;
  if (
    tail < 0 ||
    line.charCodeAt(line.length - 1) !== 125 /* } */ ||
    line.charCodeAt(line.length - 2) !== 34 /* " */ ||
    line.charCodeAt(cut - 1) !== 34 ||
    line.substring(cut, cut + HASH_MEMBER_PREFIX.length) !== HASH_MEMBER_PREFIX ||
    line.substring(tail, tail + PREV_MEMBER_PREFIX.length) !== PREV_MEMBER_PREFIX ||
    line.indexOf('\\', tail) !== -1
  ) {
    return -1;
  }
  return tail;
}

/**
 * Checks sealed lines against one key, for the verifier (SPEC §7).
 *
 * @example
 * ```ts
 * const check = createSealCheck(key);
 * if (linkTailStart(line) >= 0) check.verify(line); // the hash, or undefined
 * ```
 */
export interface SealCheck {
  /**
   * The line's `hash` (a fresh string, not a slice of `line`) when its HMAC
   * matches, else `undefined`. `line` must pass {@link linkTailStart}. With
   * `ascii`, `line` is ASCII and `ascii[start, start + line.length)` are its
   * bytes, as read (the verifier's reader, issue #15): they are copied in
   * instead of encoding `line` again, which is the same bytes.
   */
  verify(line: string, ascii?: Buffer, start?: number): string | undefined;
}

/**
 * The verifier's side of {@link createIntegrityChain}: each line is encoded
 * once, and its own bytes already hold `prev` and the canonical text, since
 * the tail after them is fixed-size ASCII; `prev` is copied in front of it.
 *
 * @example
 * ```ts
 * const check = createSealCheck('k'.repeat(32));
 * const hash = check.verify(line); // undefined when the line was altered
 * ```
 */
export function createSealCheck(key: string | Uint8Array): SealCheck {
  const scratch = createHmacScratch(key);
  const lineOffset = HMAC_MESSAGE_OFFSET + HASH_HEX_LENGTH;
  return {
    verify(line: string, ascii?: Buffer, start = 0): string | undefined {
      const block = scratch.block(HASH_HEX_LENGTH + line.length * (ascii === undefined ? 3 : 1));
      let written: number;
      if (ascii === undefined) {
        written = block.write(line, lineOffset, 'utf8');
        // Byte offsets from the end equal char offsets only if the tail is ASCII:
        // always so for an ASCII line; otherwise count (rare: non-ASCII user text).
        if (
          written !== line.length &&
          Buffer.byteLength(line.slice(-LINK_TAIL_LENGTH)) !== LINK_TAIL_LENGTH
        ) {
          return undefined;
        }
      } else {
        written = ascii.copy(block, lineOffset, start, start + line.length);
        if (written !== line.length) return undefined;
      }
      const cut = lineOffset + written - SEAL_SUFFIX_LENGTH;
      const prevStart = cut - 1 - HASH_HEX_LENGTH;
      // copyWithin, not Buffer#copy: 17 vs 51 ns for these 64 bytes on Node 20
      // (Buffer#copy builds a view of the source first; issue #15).
      block.copyWithin(HMAC_MESSAGE_OFFSET, prevStart, prevStart + HASH_HEX_LENGTH);
      block[cut] = 0x7d; // }
      const mac = scratch.hex(cut + 1 - HMAC_MESSAGE_OFFSET);
      // `substring ===`, not `startsWith`: 0.07 vs 0.25 µs here (V8 12, sliced one-byte strings).
      return line.substring(line.length - 2 - HASH_HEX_LENGTH, line.length - 2) === mac
        ? mac
        : undefined;
    },
  };
}
