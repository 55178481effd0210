import type { AuditEntry } from '@auditline/core';
import { escapeLineSeparators } from '@auditline/core/internal';
import { KNOWN_HTTP_METHODS, OTHER_METHOD } from './constants.js';
import { sanitizeDimensionValue } from './dimension-value.js';
import type { ResolvedDimension } from './options.js';

/** Longest dimension value whose quoted form is cached; longer ones are rare and would bloat the cache. */
const MAX_CACHED_VALUE_LENGTH = 128;
/** Distinct values cached per dimension. Action and Status have a handful; allowed high-cardinality fields stop caching here. */
const MAX_CACHED_VALUES = 1024;

type Reader = (entry: Readonly<AuditEntry>) => unknown;

const KNOWN_METHODS: ReadonlySet<string> = new Set(KNOWN_HTTP_METHODS);

/**
 * An automatic entry's action is its HTTP method when the method has no
 * built-in action (SPEC §5.1: "other verbs as they are"), so a client picks it
 * from the 34 methods Node parses. Such an action, and a `method` dimension,
 * collapse to {@link OTHER_METHOD} unless the verb is a known one (issue #13:
 * 34 requests made 114 billed metrics).
 */
function boundedAction(e: Readonly<AuditEntry>): string {
  const action = e.action;
  return action === e.method && !KNOWN_METHODS.has(action) ? OTHER_METHOD : action;
}

function boundedMethod(e: Readonly<AuditEntry>): unknown {
  const method: unknown = e.method;
  // Missing or blank stays as it is: the sanitiser writes "(none)" (SPEC §8.4).
  if (typeof method !== 'string' || method.trim() === '') return method;
  return KNOWN_METHODS.has(method) ? method : OTHER_METHOD;
}

/** A reader per source field, chosen once, so the hot path does no dynamic lookups on options. */
function readerOf(source: string): Reader {
  switch (source) {
    case 'action':
      return boundedAction;
    case 'method':
      return boundedMethod;
    case 'status':
      return (e) => e.status;
    default:
      return (e) => (e as unknown as Record<string, unknown>)[source];
  }
}

/** A dimension value as written: sanitised (SPEC §8.4), and JSON-quoted for the line. */
export interface DimensionValue {
  readonly value: string;
  readonly text: string;
}

/** One dimension member of every line: its prepared key, its reader and its value cache. */
export interface DimensionWriter {
  /** `,"Action":` */
  readonly key: string;
  /** `Action` */
  readonly name: string;
  readonly read: Reader;
  /** raw value → its sanitised value, and that value quoted */
  readonly cache: Map<string, DimensionValue>;
}

/**
 * Prepares the writer of one dimension member.
 *
 * @example
 * ```ts
 * const writer = dimensionWriter({ name: 'Action', source: 'action' });
 * dimensionValue(writer, writer.read(entry)).text; // '"UPDATE"'
 * ```
 */
export function dimensionWriter(dimension: ResolvedDimension): DimensionWriter {
  return {
    // Dimension names are printable ASCII (option-rules.ts); escaped anyway: core writes this fragment unscanned (plugin.ts).
    key: escapeLineSeparators(`,${JSON.stringify(dimension.name)}:`),
    name: dimension.name,
    read: readerOf(dimension.source),
    cache: new Map(),
  };
}

function dimensionValueOf(value: unknown): DimensionValue {
  const sanitized = sanitizeDimensionValue(value);
  // JSON-quote the string only; sanitising guarantees printable ASCII (SPEC §8.4).
  return { value: sanitized, text: JSON.stringify(sanitized) };
}

/**
 * The value a dimension member gets for `value`, sanitised once per distinct
 * value (SPEC §8.4) and cached per dimension within bounds.
 *
 * @example
 * ```ts
 * dimensionValue(writer, 'café'); // { value: 'caf?', text: '"caf?"' }
 * ```
 */
export function dimensionValue(writer: DimensionWriter, value: unknown): DimensionValue {
  if (typeof value !== 'string') return dimensionValueOf(value);
  const hit = writer.cache.get(value);
  if (hit !== undefined) return hit;
  const found = dimensionValueOf(value);
  if (value.length <= MAX_CACHED_VALUE_LENGTH && writer.cache.size < MAX_CACHED_VALUES) {
    writer.cache.set(value, found);
  }
  return found;
}
