// Bounded reading of one very long line (issue #13): a Firehose S3 object
// written without delimiters is one line of concatenated records (up to the
// 128 MiB buffer), and a hostile input can be one line of any length. Past
// MAX_VERIFY_LINE_CHARS the line is no longer kept whole: it is scanned as it
// arrives, each complete JSON value in it is handed on, and a single value or
// stretch of junk longer than the cap is counted, not kept.
import { MAX_VERIFY_LINE_CHARS } from '@auditline/core/internal/verify';

/** What a long line is split into. */
export interface LongLineSinks {
  /** A complete JSON value (`{…}` or `[…]`), exact source text. */
  value(text: string): void;
  /** Text between values, trimmed and not empty. */
  junk(text: string): void;
  /** A value or junk stretch longer than the cap: its length in characters. */
  oversized(chars: number): void;
}

/**
 * Splits one line, fed in pieces, into the JSON values and junk it holds,
 * keeping at most {@link MAX_VERIFY_LINE_CHARS} characters of any one piece.
 * Strings are honoured, so `}{` inside a string does not split (as in
 * `splitJsonValues`, which gives the same pieces for a line held whole).
 *
 * @example
 * ```ts
 * const splitter = new LongLineSplitter({ value: console.log, junk: console.log, oversized: console.log });
 * splitter.feed('{"a":1}{"b":');
 * splitter.feed('2}');
 * splitter.end(); // value('{"a":1}'), value('{"b":2}')
 * ```
 */
export class LongLineSplitter {
  readonly #sinks: LongLineSinks;
  /** Kept text of the current piece (a value or junk). */
  #parts: string[] = [];
  #keptChars = 0;
  /** Characters of the current piece when it outgrew the cap (then nothing is kept). */
  #overflowChars = 0;
  #inValue = false;
  #depth = 0;
  #inString = false;
  #escaped = false;

  constructor(sinks: LongLineSinks) {
    this.#sinks = sinks;
  }

  /** The next piece of the line (no newline in it). */
  feed(text: string): void {
    let start = 0;
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (!this.#inValue) {
        // Junk or whitespace until the next value: found by search, not char by char,
        // so a gigabyte of junk costs two indexOf per piece.
        const brace = text.indexOf('{', i);
        const bracket = text.indexOf('[', i);
        const next = brace === -1 ? bracket : bracket === -1 ? brace : Math.min(brace, bracket);
        if (next === -1) break;
        this.#keep(text, start, next);
        this.#finishJunk();
        start = next;
        i = next + 1;
        this.#inValue = true;
        this.#depth = 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === 92 /* \ */) this.#escaped = true;
        else if (c === 34 /* " */) this.#inString = false;
      } else if (c === 34) {
        this.#inString = true;
      } else if (c === 123 || c === 91) {
        this.#depth++;
      } else if (c === 125 || c === 93) {
        if (--this.#depth === 0) {
          this.#keep(text, start, i + 1);
          this.#finishValue();
          start = i + 1;
          this.#inValue = false;
        }
      }
      i++;
    }
    this.#keep(text, start, n);
  }

  /** The line ended: an unclosed value is junk, as `splitJsonValues` treats it. */
  end(): void {
    if (this.#inValue) {
      this.#inValue = false;
      this.#depth = 0;
      this.#inString = false;
      this.#escaped = false;
    }
    this.#finishJunk();
  }

  #keep(text: string, from: number, to: number): void {
    if (to <= from) return;
    if (this.#overflowChars > 0) {
      this.#overflowChars += to - from;
      return;
    }
    if (this.#keptChars + (to - from) > MAX_VERIFY_LINE_CHARS) {
      this.#overflowChars = this.#keptChars + (to - from);
      this.#parts = [];
      this.#keptChars = 0;
      return;
    }
    this.#parts.push(from === 0 && to === text.length ? text : text.slice(from, to));
    this.#keptChars += to - from;
  }

  #take(): string | number {
    const overflow = this.#overflowChars;
    const text = overflow > 0 ? overflow : this.#parts.join('');
    this.#parts = [];
    this.#keptChars = 0;
    this.#overflowChars = 0;
    return text;
  }

  #finishValue(): void {
    const piece = this.#take();
    if (typeof piece === 'number') this.#sinks.oversized(piece);
    else this.#sinks.value(piece);
  }

  #finishJunk(): void {
    const piece = this.#take();
    if (typeof piece === 'number') {
      this.#sinks.oversized(piece);
      return;
    }
    const trimmed = piece.trim();
    if (trimmed !== '') this.#sinks.junk(trimmed);
  }
}
