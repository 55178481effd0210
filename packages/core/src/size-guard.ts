import { createHash } from 'node:crypto';
import { quoteJson, stringifyJson } from './json-string.js';

/** Replacement for a trimmed value; keeps the key so readers see what was cut. */
function trimmedMarker(bytes: number): string {
  return JSON.stringify(`[TRUNCATED ${bytes} bytes]`);
}

/** What the guard decided for one over-size entry. */
export interface TrimmedDetails {
  /** New `details` JSON that fits. */
  readonly details: string;
  /** `,"truncated":true,"original_bytes":N,"original_sha256":"…"` */
  readonly markers: string;
  /** `original_bytes`: UTF-8 length of the untrimmed line. */
  readonly originalBytes: number;
  /** `original_sha256`: hex SHA-256 of the untrimmed line. */
  readonly originalSha256: string;
}

/** Length of the markers member list, with the widest numbers, so the budget always holds. */
const MARKERS_BUDGET =
  ',"truncated":true,"original_bytes":999999999,"original_sha256":""'.length + 64;

/**
 * Trims `details` so the line fits in `maxBytes` (SPEC §4.5). Deterministic:
 * the largest values are replaced first (ties by key order), then whole keys
 * are dropped largest-first. Required fields live outside `details` and are
 * never cut. `originalLine` is the untrimmed line, hashed for `original_sha256`.
 *
 * @example
 * ```ts
 * const t = trimDetails('{"blob":"…"}', 900, 16384, untrimmedLine);
 * ```
 */
export function trimDetails(
  detailsJson: string,
  otherBytes: number,
  maxBytes: number,
  originalLine: string,
): TrimmedDetails {
  const originalBytes = Buffer.byteLength(originalLine);
  const originalSha256 = createHash('sha256').update(originalLine).digest('hex');
  const markers = `,"truncated":true,"original_bytes":${originalBytes},"original_sha256":"${originalSha256}"`;
  const budget = maxBytes - otherBytes - MARKERS_BUDGET;
  const parsed = JSON.parse(detailsJson) as Record<string, unknown> | null;
  // `null` details cannot shrink; an over-size line then comes from the fields before them.
  if (parsed === null) return { details: 'null', markers, originalBytes, originalSha256 };
  if (budget <= 2) return { details: '{}', markers, originalBytes, originalSha256 };
  const members = Object.keys(parsed).map((key, order) => {
    // Parsing turned `\u2028` escapes back into raw characters: escape them again.
    const keyJson = quoteJson(key);
    const valueJson = stringifyJson(parsed[key]);
    return {
      order,
      keyJson,
      valueJson,
      bytes: Buffer.byteLength(keyJson) + Buffer.byteLength(valueJson) + 2,
    };
  });
  let total = 2 + members.reduce((sum, m) => sum + m.bytes, 0);
  const bySize = [...members].sort((a, b) => b.bytes - a.bytes || a.order - b.order);
  for (const member of bySize) {
    if (total <= budget) break;
    const marker = trimmedMarker(Buffer.byteLength(member.valueJson));
    if (marker.length >= Buffer.byteLength(member.valueJson)) continue;
    const bytes = Buffer.byteLength(member.keyJson) + marker.length + 2;
    total += bytes - member.bytes;
    member.valueJson = marker;
    member.bytes = bytes;
  }
  const kept = new Set(members);
  for (const member of [...members].sort((a, b) => b.bytes - a.bytes || b.order - a.order)) {
    if (total <= budget) break;
    kept.delete(member);
    total -= member.bytes;
  }
  const body = members
    .filter((m) => kept.has(m))
    .map((m) => `${m.keyJson}:${m.valueJson}`)
    .join(',');
  return { details: `{${body}}`, markers, originalBytes, originalSha256 };
}
