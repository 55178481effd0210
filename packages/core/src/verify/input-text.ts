/** Longest piece of input text quoted in a finding's message. */
export const MAX_QUOTED_INPUT_CHARS = 80;

/**
 * What a terminal may act on or that hides text: C0 controls (ESC, CR, BS…),
 * DEL, C1 controls (CSI is U+009B), the line and paragraph separators, and
 * the bidirectional marks, embeddings, overrides and isolates (the "Trojan
 * Source" characters, CVE-2021-42574). Plus the backslash, so an escape in the
 * output always means an escaped character.
 */
const UNSAFE_FOR_TERMINAL =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\\]/g;

function escapeOne(char: string): string {
  if (char === '\\') return '\\\\';
  return `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every character a terminal could act on written as a `\uXXXX`
 * escape (and `\` as `\\`), so text taken from the input (a forged
 * `instance` or `service`) cannot move the cursor, hide the verdict (ESC[8m)
 * or start a new line that looks like one (issue #13).
 *
 * @example
 * ```ts
 * escapeControlCharacters('a\u001b[8mb'); // 'a\\u001b[8mb'
 * ```
 */
export function escapeControlCharacters(text: string): string {
  UNSAFE_FOR_TERMINAL.lastIndex = 0;
  return UNSAFE_FOR_TERMINAL.test(text) ? text.replace(UNSAFE_FOR_TERMINAL, escapeOne) : text;
}

/**
 * Input text as a finding's message quotes it: escaped with
 * {@link escapeControlCharacters} and cut to {@link MAX_QUOTED_INPUT_CHARS}.
 * The report's data fields keep the exact value.
 *
 * @example
 * ```ts
 * inputText('x'.repeat(200)).length; // 81
 * ```
 */
export function inputText(text: string): string {
  const escaped = escapeControlCharacters(text);
  return escaped.length <= MAX_QUOTED_INPUT_CHARS
    ? escaped
    : `${escaped.slice(0, MAX_QUOTED_INPUT_CHARS)}…`;
}
