// Turns the text of one input into audit-line candidates for `auditline verify` (issue #7).
// Accepted: NDJSON; `aws logs filter-log-events` / `get-log-events` JSON output
// (`{"events":[{"message":…}]}`, pretty-printed by the CLI); CloudWatch Logs
// subscription payloads (`{"logEvents":[…]}`) as Firehose stores them without
// decompression; and Firehose S3 objects after message extraction, which are the
// messages concatenated with no delimiter unless the stream appends one
// (Firehose "Data Delivery Format": "By default, Firehose concatenates data
// without any delimiters").

import { AUDIT_LINE_PREFIX, MAX_VERIFY_LINE_CHARS } from '@auditline/core/internal/verify';
import { LongLineSplitter } from './long-line-splitter.js';
import { VerifyInputError } from './verify-errors.js';

/** Two JSON objects back to back, with or without whitespace: concatenated records. */
const CONCATENATED_AT = /\}\s*\{/y;

/**
 * Whether `text` holds `}`, optional whitespace (`\s`), then `{`. Same answer
 * as `/\}\s*\{/.test(text)`, which cost 0.45 µs per audit line (5% of a
 * verify profile, issue #6): `indexOf('}')` skips to each brace, and only a
 * brace followed by a possible `\s` character runs the regex, anchored there.
 *
 * @example
 * ```ts
 * hasConcatenation('{"a":1} {"b":2}'); // true
 * hasConcatenation('{"a":"}{"}'); // true: a cheap pre-check, strings are honoured later
 * ```
 */
export function hasConcatenation(text: string): boolean {
  for (let at = text.indexOf('}'); at !== -1; at = text.indexOf('}', at + 1)) {
    const next = text.charCodeAt(at + 1);
    if (next === 123 /* { */) return true;
    // Every `\s` character is <= U+0020, U+00A0, or >= U+1680.
    if (next <= 32 || next === 0xa0 || next >= 0x1680) {
      CONCATENATED_AT.lastIndex = at;
      if (CONCATENATED_AT.test(text)) return true;
    }
  }
  return false;
}

/** How every line core writes begins (its declared layout, issue #14): never a wrapper. */
const AUDIT_LINE_START = AUDIT_LINE_PREFIX;

/** How much of an input is looked at before deciding between line and document mode. */
export const DETECT_LIMIT_CHARS = 1024 * 1024;

/**
 * Largest document read in document mode (a pretty-printed `aws logs
 * filter-log-events` output, parsed whole): 32 Mi characters. Past it the
 * input is refused (exit 2) rather than read into unbounded memory (issue
 * #13); NDJSON has no such limit (`jq -c '.events[].message'` converts).
 */
export const MAX_DOCUMENT_CHARS = 32 * 1024 * 1024;

/**
 * Receives every record found, in input order. `ascii`, when given, holds the
 * record's characters from `start`, one byte each (an ASCII chunk as read,
 * issue #15); it is valid only during the call.
 */
export type RecordSink = (record: string, ascii?: Buffer, start?: number) => void;

/** Receives the length of each record too long to keep (see `MAX_VERIFY_LINE_CHARS`). */
export type OversizedSink = (chars: number) => void;

/** Incremental splitter: feed decoded text chunks, get records. */
export interface RecordSplitter {
  /**
   * The next piece of text. `ascii`, when given, is the chunk `text` was
   * decoded from, ASCII only, so `text.charCodeAt(i) === ascii[i]`: records
   * that lie whole inside it are handed on with their bytes.
   */
  write(text: string, ascii?: Buffer): void;
  end(): void;
}

/**
 * Splits text holding JSON values back to back (`{…}{…}`, `{…}\n{…}`, `[…]`)
 * into the exact source text of each value. Text between values is returned as
 * `junk`. Strings are honoured, so `}{` inside a string does not split.
 *
 * @example
 * ```ts
 * splitJsonValues('{"a":1}{"b":"}{"}').values; // ['{"a":1}', '{"b":"}{"}']
 * ```
 */
export function splitJsonValues(text: string): { values: string[]; junk: string[] } {
  const values: string[] = [];
  const junk: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    if (c !== 123 /* { */ && c !== 91 /* [ */) {
      while (i < n) {
        c = text.charCodeAt(i);
        if (c === 123 || c === 91 || c === 10) break;
        i++;
      }
      junk.push(text.slice(start, i));
      continue;
    }
    let depth = 0;
    let inString = false;
    let closed = false;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (inString) {
        if (c === 92 /* \ */) i++;
        else if (c === 34 /* " */) inString = false;
      } else if (c === 34) {
        inString = true;
      } else if (c === 123 || c === 91) {
        depth++;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        depth--;
        if (depth === 0) {
          i++;
          closed = true;
          break;
        }
      }
    }
    (closed ? values : junk).push(text.slice(start, i));
  }
  return { values, junk };
}

interface Wrapper {
  events?: unknown;
  logEvents?: unknown;
  audit?: unknown;
}

function eventsOf(parsed: unknown): readonly unknown[] | undefined {
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const wrapper = parsed as Wrapper;
  if (wrapper.audit === true) return undefined;
  if (Array.isArray(wrapper.events)) return wrapper.events;
  if (Array.isArray(wrapper.logEvents)) return wrapper.logEvents;
  return undefined;
}

/**
 * Creates a splitter that emits one record per audit-line candidate. It
 * decides once, from the first non-blank line, between line mode (NDJSON,
 * concatenated objects: streamed) and document mode (a pretty-printed AWS CLI
 * output: buffered, then parsed).
 *
 * @example
 * ```ts
 * const splitter = createRecordSplitter((record) => verifier.push(record));
 * splitter.write(text);
 * splitter.end();
 * ```
 */
export function createRecordSplitter(
  emit: RecordSink,
  oversized: OversizedSink = () => {},
): RecordSplitter {
  let mode: 'detect' | 'lines' | 'document' = 'detect';
  /** Pieces of the current unfinished line (lines) or of everything (detect, document). */
  const parts: string[] = [];
  let buffered = 0;
  /** The current line once it outgrew MAX_VERIFY_LINE_CHARS: scanned as it arrives, not kept. */
  let longLine: LongLineSplitter | undefined;

  const message = (text: string): void => {
    // A CloudWatch message is one line as the container wrote it; split anyway
    // in case a multi-line pattern glued several together.
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      segment(text.slice(start, nl));
      start = nl + 1;
    }
    segment(start === 0 ? text : text.slice(start));
  };

  const value = (text: string, ascii?: Buffer, start?: number): void => {
    // An audit line always starts with its `level` member (core writes it first):
    // it is never a wrapper, so skip the wrapper searches (8.6% of a verify profile).
    // `substring ===`, not `startsWith`: 33 vs 90 ns on a line sliced from its
    // chunk (Node 20, issue #15).
    if (text.substring(0, AUDIT_LINE_START.length) === AUDIT_LINE_START) {
      emit(text, ascii, start);
      return;
    }
    // `indexOf('[')` first: a one-character search is far cheaper than the key
    // searches (measured 0.1 vs 1.8 µs per 500-byte line), and every wrapper holds an array.
    if (
      text.charCodeAt(0) === 91 ||
      (text.indexOf('[') !== -1 && (text.includes('"events"') || text.includes('"logEvents"')))
    ) {
      let events: readonly unknown[] | undefined;
      try {
        events = eventsOf(JSON.parse(text));
      } catch {
        events = undefined;
      }
      if (events !== undefined) {
        for (const event of events) {
          if (typeof event === 'string') message(event);
          else if (
            typeof event === 'object' &&
            event !== null &&
            typeof (event as { message?: unknown }).message === 'string'
          ) {
            message((event as { message: string }).message);
          } else emit(JSON.stringify(event) ?? String(event));
        }
        return;
      }
    }
    emit(text);
  };

  /** One line; `ascii` holds its characters from `start`, one byte each, when known. */
  const segment = (line: string, ascii?: Buffer, start?: number): void => {
    const text = line.trim();
    if (text === '') return;
    if (text.charCodeAt(0) === 123 && hasConcatenation(text)) {
      const { values, junk } = splitJsonValues(text);
      if (values.length > 1 || junk.length > 0) {
        for (const v of values) value(v);
        for (const j of junk) if (j.trim() !== '') emit(j.trim());
        return;
      }
    }
    // The bytes go on only with the untrimmed line, whose offsets they match.
    if (text.length === line.length) value(text, ascii, start);
    else value(text);
  };

  const document = (text: string): void => {
    const { values, junk } = splitJsonValues(text);
    for (const v of values) value(v);
    for (const j of junk) message(j);
  };

  const decide = (firstLine: string): 'lines' | 'document' => {
    const head = firstLine.trim();
    mode = head === '{' || head.startsWith('[') ? 'document' : 'lines';
    return mode;
  };

  const longLineSinks = {
    value: (text: string) => value(text),
    junk: (text: string) => emit(text),
    oversized,
  };

  const lines = (text: string, ascii?: Buffer): void => {
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      const piece = text.slice(start, nl);
      if (longLine !== undefined) {
        longLine.feed(piece);
        longLine.end();
        longLine = undefined;
      } else if (parts.length > 0) {
        parts.push(piece);
        segment(parts.join(''));
        parts.length = 0;
        buffered = 0;
      } else {
        // Whole inside this chunk: its bytes are ascii[start, nl).
        segment(piece, ascii, start);
      }
      start = nl + 1;
    }
    if (start >= text.length) return;
    const rest = start === 0 ? text : text.slice(start);
    if (longLine !== undefined) {
      longLine.feed(rest);
      return;
    }
    parts.push(rest);
    buffered += rest.length;
    if (buffered > MAX_VERIFY_LINE_CHARS) {
      // Bounded memory (issue #13): past the cap the line is scanned, not kept.
      longLine = new LongLineSplitter(longLineSinks);
      const held = parts.join('');
      parts.length = 0;
      buffered = 0;
      longLine.feed(held);
    }
  };

  const refuseDocument = (): never => {
    throw new VerifyInputError(
      `a JSON document over ${MAX_DOCUMENT_CHARS.toLocaleString('en-US')} characters is not read whole (bounded memory). Fix: convert it to NDJSON first, e.g. jq -c '.events[].message' export.json`,
    );
  };

  return {
    write(text: string, ascii?: Buffer): void {
      if (text === '') return;
      if (mode === 'lines') {
        lines(text, ascii);
        return;
      }
      parts.push(text);
      buffered += text.length;
      if (mode === 'document') {
        if (buffered > MAX_DOCUMENT_CHARS) refuseDocument();
        return;
      }
      const all = parts.join('');
      const first = all.search(/\S/);
      if (first === -1) {
        parts.length = 0;
        buffered = 0;
        return;
      }
      const nl = all.indexOf('\n', first);
      if (nl === -1 && buffered < DETECT_LIMIT_CHARS) {
        parts.length = 1;
        parts[0] = all;
        return;
      }
      const decided = decide(nl === -1 ? all.slice(first) : all.slice(first, nl));
      parts.length = 0;
      buffered = 0;
      if (decided === 'lines') lines(all);
      else {
        parts.push(all);
        buffered = all.length;
      }
    },
    end(): void {
      const all = parts.join('');
      parts.length = 0;
      if (mode === 'detect') {
        const first = all.search(/\S/);
        if (first === -1) return;
        const nl = all.indexOf('\n', first);
        decide(nl === -1 ? all.slice(first) : all.slice(first, nl));
      }
      if (mode === 'document') document(all);
      else if (longLine !== undefined) {
        longLine.feed(all);
        longLine.end();
        longLine = undefined;
      } else segment(all);
    },
  };
}
