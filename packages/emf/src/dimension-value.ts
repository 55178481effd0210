import {
  DIMENSION_REPLACEMENT_CHAR,
  EMPTY_DIMENSION_VALUE,
  MAX_DIMENSION_VALUE_LENGTH,
} from './constants.js';

/** A value CloudWatch accepts as is: 1–1024 printable ASCII with a non-space (CloudWatch API `Dimension.Value`). */
const VALID_VALUE = new RegExp(`^[\\x20-\\x7e]{1,${MAX_DIMENSION_VALUE_LENGTH}}$`);
const HAS_NON_SPACE = /[^ ]/;
/** `u` so that an astral character (an emoji) becomes one replacement, not two. */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/gu;

/**
 * Whether CloudWatch accepts `value` as a dimension value.
 *
 * @example
 * ```ts
 * isValidDimensionValue('LOGIN'); // true
 * isValidDimensionValue('café'); // false
 * ```
 */
export function isValidDimensionValue(value: unknown): value is string {
  return typeof value === 'string' && VALID_VALUE.test(value) && HAS_NON_SPACE.test(value);
}

/**
 * Turns any value into a dimension value CloudWatch accepts (SPEC §8.4):
 * non-ASCII and control characters become `?`, the result is cut to 1024
 * characters, numbers become text, and anything else (missing, empty, blank,
 * an object) becomes `(none)`. A value is
 * never dropped: a directive naming a missing member invalidates the whole
 * document, all metrics included.
 *
 * @example
 * ```ts
 * sanitizeDimensionValue('café'); // 'caf?'
 * sanitizeDimensionValue(''); // '(none)'
 * ```
 */
export function sanitizeDimensionValue(value: unknown): string {
  if (isValidDimensionValue(value)) return value;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    text = String(value);
  } else return EMPTY_DIMENSION_VALUE;
  text = text.replace(NOT_PRINTABLE_ASCII, DIMENSION_REPLACEMENT_CHAR);
  if (text.length > MAX_DIMENSION_VALUE_LENGTH) text = text.slice(0, MAX_DIMENSION_VALUE_LENGTH);
  return HAS_NON_SPACE.test(text) ? text : EMPTY_DIMENSION_VALUE;
}
