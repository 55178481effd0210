// The fixed text of an audit line: how it starts, where `seq` sits, and the
// chain's fixed-size tail (SPEC §3, §7). The writer, the chain and the
// verifier's positional reader all take these from here (issue #14), so a
// change of layout cannot leave one of them reading the old one. This file
// imports no zod (nor the member table, which does): `auditline verify` loads
// it, and zod alone was 60 ms of its start-up on Node 20 (issue #15).
import { AUDIT_FIELDS } from '../constants.js';
import { quoteJson } from '../json-string.js';

/**
 * How every audit line starts, up to the timestamp's value: `level` as a label
 * and the `audit` marker first (SPEC §3), in the order of the `prefix` rows of
 * `LINE_MEMBERS`. Public as `AUDIT_LINE_PREFIX` from `@auditline/core/verify`.
 *
 * @example
 * ```ts
 * import { AUDIT_LINE_PREFIX } from '@auditline/core/verify';
 * line.startsWith(AUDIT_LINE_PREFIX); // true for every line the logger writes
 * ```
 */
export const LINE_PREFIX = `{"${AUDIT_FIELDS.level}":"info","${AUDIT_FIELDS.audit}":true,"${AUDIT_FIELDS.timestamp}":"`;

/** The member that ends the static head, right before the `seq` number. */
export const SEQ_MEMBER = `,"${AUDIT_FIELDS.seq}":`;
/** Starts `details`, after the entry and plugin members and before the truncation markers (issue #17). */
export const DETAILS_MEMBER = `,"${AUDIT_FIELDS.details}":`;
/** Starts the first chain member (SPEC §7): `,"keyId":"…"` comes right before the tail. */
export const KEY_ID_MEMBER = `,"${AUDIT_FIELDS.keyId}":`;
/** Starts the `prev` member, the first of the chain's fixed-size tail. */
export const PREV_MEMBER_PREFIX = `,"${AUDIT_FIELDS.prev}":"`;
/** Starts the `hash` member, the last member of a sealed line. */
export const HASH_MEMBER_PREFIX = `,"${AUDIT_FIELDS.hash}":"`;
/** Hex length of a SHA-256 digest (FIPS 180-4: 256 bits): the size of `prev` and `hash`. */
export const HASH_HEX_LENGTH = 64;
/** Offset of the `prev` value inside the tail. */
export const PREV_VALUE_OFFSET = PREV_MEMBER_PREFIX.length;
/** Length of `,"hash":"<64 hex>"}`: what the chain strips before hashing. */
export const SEAL_SUFFIX_LENGTH = HASH_MEMBER_PREFIX.length + HASH_HEX_LENGTH + 2;
/**
 * Length of `,"prev":"<64 hex>","hash":"<64 hex>"}`: the fixed-size ASCII end
 * of every sealed line (SPEC §7), read from the end without parsing.
 */
export const LINK_TAIL_LENGTH =
  PREV_MEMBER_PREFIX.length + HASH_HEX_LENGTH + 1 + SEAL_SUFFIX_LENGTH;

/**
 * The chain's members before the `prev` value: `,"keyId":"<id>","prev":"`.
 *
 * @example
 * ```ts
 * const members = `${linkHead('default')}${prev}"`;
 * ```
 */
export function linkHead(keyId: string): string {
  return `${KEY_ID_MEMBER}${quoteJson(keyId)}${PREV_MEMBER_PREFIX}`;
}

/**
 * UTF-8 bytes the chain adds to a line, its closing `}` excepted (the writer
 * counts that with the newline): the keyId member and the fixed-size tail.
 *
 * @example
 * ```ts
 * const fits = Buffer.byteLength(body) + chainOverheadBytes('default') + 2 <= maxEntryBytes;
 * ```
 */
export function chainOverheadBytes(keyId: string): number {
  return Buffer.byteLength(`${KEY_ID_MEMBER}${quoteJson(keyId)}`) + LINK_TAIL_LENGTH - 1;
}
