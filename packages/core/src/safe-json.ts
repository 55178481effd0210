import {
  MAX_DETAIL_DEPTH,
  MAX_ITEMS_PER_ARRAY,
  MAX_KEYS_PER_OBJECT,
  REDACTED,
} from './constants.js';
import { quoteJson } from './json-string.js';
import type { CompiledRedaction, RedactPathNode } from './redaction.js';

/** Keys that could pollute a prototype in a consumer that merges the parsed line (SPEC §4.6). Dropped. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const UNSERIALIZABLE = '"[Unserializable]"';
const CIRCULAR = '"[Circular]"';
const DEPTH_LIMIT = '"[Depth limit]"';
const REDACTED_JSON = JSON.stringify(REDACTED);
const TRUNCATED_KEYS = '[truncated_keys]';

type PathNodes = readonly RedactPathNode[] | undefined;

/** Most key names remembered per serialiser; real details use far fewer distinct keys. */
const KEY_CACHE_LIMIT = 2_048;
/** Longer key names are not cached, so the cache holds at most ~128 KiB of key text. */
const KEY_CACHE_MAX_KEY_LENGTH = 64;

interface KeyInfo {
  readonly json: string;
  readonly lower: string;
  readonly censored: boolean;
  readonly dropped: boolean;
}

/** Serialises untrusted `details` to JSON in one pass, censoring as it goes. */
export interface DetailsSerializer {
  /**
   * The JSON text of `value` (an object). `bindings` are pre-serialised
   * `"key":value` members of a child logger, appended only for keys `value`
   * does not have, so no key is ever written twice (SPEC §4.6).
   */
  object(
    value: object,
    bindings: readonly BindingMember[] | undefined,
    extra?: Readonly<Record<string, unknown>>,
  ): string;
  /** Any value, as JSON text; used for safe string forms of invalid fields. */
  value(value: unknown): string;
}

/** A child binding prepared once: its key and its serialised `"key":value` member. */
export interface BindingMember {
  readonly key: string;
  readonly member: string;
}

/**
 * Builds the serialiser for one logger. Everything that can be decided once is
 * decided here (SPEC §4.6, STYLE "Hot path").
 *
 * Rules: circular → `"[Circular]"`; BigInt → decimal string; Error →
 * `{name,message,code}` (plus `stack` when `errorStack`); Buffer and typed arrays →
 * `"[Buffer N bytes]"`; Map → object; Set → array; NaN/±Infinity → `null`; a
 * throwing getter or `toJSON` → that field alone is `"[Unserializable]"`; depth
 * beyond 8, more than 256 keys or 1,000 items → markers; `__proto__`,
 * `constructor`, `prototype` keys → dropped; sensitive keys at any depth, any
 * case → `"[REDACTED]"`; sensitive query parameters inside strings → censored.
 *
 * @example
 * ```ts
 * const s = createDetailsSerializer(compileRedaction(), false);
 * s.object({ password: 'x', n: 10n }, undefined); // '{"password":"[REDACTED]","n":"10"}'
 * ```
 */
export function createDetailsSerializer(
  redaction: CompiledRedaction,
  errorStack: boolean,
): DetailsSerializer {
  const sensitive = redaction.keys;
  const rootPaths: PathNodes = redaction.paths ? [redaction.paths] : undefined;
  const ancestors: object[] = [];

  function str(text: string): string {
    return quoteJson(redaction.redactQuery(text));
  }

  function childPaths(nodes: PathNodes, lowerKey: string): { next: PathNodes; hit: boolean } {
    if (!nodes) return NO_PATH;
    let next: RedactPathNode[] | undefined;
    let hit = false;
    for (const node of nodes) {
      const exact = node.children.get(lowerKey);
      const wildcard = node.children.get('*');
      if (exact) {
        if (exact.terminal) hit = true;
        (next ??= []).push(exact);
      }
      if (wildcard) {
        if (wildcard.terminal) hit = true;
        (next ??= []).push(wildcard);
      }
    }
    return { next, hit };
  }

  function serializeError(error: Error, depth: number, paths: PathNodes): string {
    let out = `{"name":${str(String(error.name))},"message":${str(String(error.message))}`;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number')
      out += `,"code":${value(code, depth, paths)}`;
    if (errorStack && typeof error.stack === 'string') out += `,"stack":${str(error.stack)}`;
    return `${out}}`;
  }

  /**
   * What is decided once per key name: its JSON form, its lower case (for path
   * rules) and whether it is censored or dropped. Key names repeat from call
   * to call, so a bounded cache saves a `toLowerCase`, a `JSON.stringify` and
   * two Set lookups per member. Only short keys are cached and the cache stops
   * growing at {@link KEY_CACHE_LIMIT}, so hostile keys cannot grow memory.
   */
  const keyCache = new Map<string, KeyInfo>();
  function keyInfo(key: string): KeyInfo {
    let info = keyCache.get(key);
    if (info !== undefined) return info;
    const lower = key.toLowerCase();
    info = {
      json: quoteJson(key),
      lower,
      censored: sensitive.has(lower),
      dropped: FORBIDDEN_KEYS.has(key),
    };
    if (key.length <= KEY_CACHE_MAX_KEY_LENGTH && keyCache.size < KEY_CACHE_LIMIT) {
      keyCache.set(key, info);
    }
    return info;
  }

  /**
   * Members of an object, or of a Map when `map` is given (its keys already
   * stringified and unique).
   */
  function members(
    source: object,
    keys: readonly string[],
    map: Map<string, unknown> | undefined,
    depth: number,
    paths: PathNodes,
    bindings: readonly BindingMember[] | undefined,
  ): string {
    let out = '{';
    let first = true;
    let count = 0;
    for (const key of keys) {
      const info = keyInfo(key);
      if (info.dropped) continue;
      if (count === MAX_KEYS_PER_OBJECT) {
        out += `${first ? '' : ','}${quoteJson(truncatedKeysName(keys))}:${keys.length - count}`;
        break;
      }
      let raw: unknown;
      try {
        raw = map === undefined ? (source as Record<string, unknown>)[key] : map.get(key);
      } catch {
        out += `${first ? '' : ','}${info.json}:${UNSERIALIZABLE}`;
        first = false;
        count++;
        continue;
      }
      if (raw === undefined || typeof raw === 'function' || typeof raw === 'symbol') continue;
      let text: string;
      if (info.censored) {
        text = REDACTED_JSON;
      } else if (paths === undefined) {
        text = value(raw, depth + 1, undefined);
      } else {
        const { next, hit } = childPaths(paths, info.lower);
        text = hit ? REDACTED_JSON : value(raw, depth + 1, next);
      }
      out += `${first ? '' : ','}${info.json}:${text}`;
      first = false;
      count++;
    }
    if (bindings) {
      for (const binding of bindings) {
        if (Object.hasOwn(source, binding.key)) continue;
        out += `${first ? '' : ','}${binding.member}`;
        first = false;
      }
    }
    return `${out}}`;
  }

  function array(
    items: ArrayLike<unknown>,
    depth: number,
    paths: PathNodes,
    total: number,
  ): string {
    const limit = Math.min(items.length, MAX_ITEMS_PER_ARRAY);
    let out = '[';
    for (let i = 0; i < limit; i++) {
      let item: unknown;
      try {
        item = items[i];
      } catch {
        out += `${i === 0 ? '' : ','}${UNSERIALIZABLE}`;
        continue;
      }
      let text: string;
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') {
        text = 'null';
      } else if (paths === undefined) {
        text = value(item, depth + 1, undefined);
      } else {
        // An index is one path segment, matched by `*` (as in pino's `a[*].b`).
        const { next, hit } = childPaths(paths, String(i));
        text = hit ? REDACTED_JSON : value(item, depth + 1, next);
      }
      out += `${i === 0 ? '' : ','}${text}`;
    }
    if (total > limit)
      out += `${limit === 0 ? '' : ','}${JSON.stringify(`[${total - limit} more items]`)}`;
    return `${out}]`;
  }

  /** Map → object (SPEC §4.6). Keys are stringified; the first of two keys with the same string wins. */
  function mapMembers(
    map: Map<unknown, unknown>,
    depth: number,
    paths: PathNodes,
    bindings: readonly BindingMember[] | undefined,
  ): string {
    const values = new Map<string, unknown>();
    for (const [k, v] of map) {
      let key: string;
      try {
        key = typeof k === 'string' ? k : String(k);
      } catch {
        key = '[Unserializable]';
      }
      if (!values.has(key)) values.set(key, v);
    }
    // `members` checks bindings with Object.hasOwn on its source: give it the keys as an object.
    const own: Record<string, true> = Object.create(null);
    for (const key of values.keys()) own[key] = true;
    return members(own, [...values.keys()], values, depth, paths, bindings);
  }

  function value(input: unknown, depth: number, paths: PathNodes): string {
    switch (typeof input) {
      case 'string':
        return str(input);
      case 'number':
        // NaN and ±Infinity are not JSON; null is what JSON.stringify writes too (SPEC §4.6).
        return Number.isFinite(input) ? String(input) : 'null';
      case 'boolean':
        return input ? 'true' : 'false';
      case 'bigint':
        return `"${String(input)}"`;
      case 'undefined':
      case 'function':
      case 'symbol':
        return 'null';
    }
    if (input === null) return 'null';
    return structured(input as object, depth, paths, true);
  }

  /**
   * An object of any kind. `allowToJSON` is false for the value a `toJSON`
   * returned: like `JSON.stringify`, `toJSON` is called once per value, so a
   * `toJSON` that returns itself or a fresh object with a `toJSON` cannot recurse.
   */
  function structured(
    object: object,
    depth: number,
    paths: PathNodes,
    allowToJSON: boolean,
  ): string {
    if (ancestors.includes(object)) return CIRCULAR;
    if (depth > MAX_DETAIL_DEPTH) return DEPTH_LIMIT;
    ancestors.push(object);
    try {
      const proto: unknown = Object.getPrototypeOf(object);
      // Plain objects are the common case: skip every exotic check for them.
      if (proto !== Object.prototype && proto !== null) {
        if (Array.isArray(object)) return array(object, depth, paths, object.length);
        // Quoted, not templated into quotes: `length` and `constructor` can be own
        // properties with any value, and a raw `"` or newline would break the line.
        if (Buffer.isBuffer(object)) return quoteJson(`[Buffer ${object.length} bytes]`);
        if (ArrayBuffer.isView(object)) {
          return quoteJson(
            `[${object.constructor?.name ?? 'TypedArray'} ${object.byteLength} bytes]`,
          );
        }
        if (object instanceof ArrayBuffer) {
          return quoteJson(`[ArrayBuffer ${object.byteLength} bytes]`);
        }
        if (object instanceof Error) return serializeError(object, depth, paths);
        if (object instanceof Map) return mapMembers(object, depth, paths, undefined);
        if (object instanceof Set) return setItems(object, depth, paths);
        if (
          object instanceof String ||
          object instanceof Number ||
          object instanceof Boolean ||
          object instanceof BigInt
        ) {
          // Boxed primitives: JSON.stringify unboxes them too.
          return value(object.valueOf(), depth, paths);
        }
      }
      if (allowToJSON) {
        const toJSON = (object as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === 'function') {
          const replaced: unknown = toJSON.call(object);
          if (typeof replaced !== 'object' || replaced === null)
            return value(replaced, depth, paths);
          if (replaced !== object) {
            ancestors.pop();
            try {
              return structured(replaced, depth, paths, false);
            } finally {
              ancestors.push(object);
            }
          }
        }
      }
      return members(object, Object.keys(object), undefined, depth, paths, undefined);
    } catch {
      return UNSERIALIZABLE;
    } finally {
      ancestors.pop();
    }
  }

  /** Set → array, reading at most the item cap (a huge Set is not copied whole). */
  function setItems(set: Set<unknown>, depth: number, paths: PathNodes): string {
    const items: unknown[] = [];
    for (const item of set) {
      if (items.length === MAX_ITEMS_PER_ARRAY) break;
      items.push(item);
    }
    return array(items, depth, paths, set.size);
  }

  /**
   * `details` that is an object but not a plain one (a Map, an Error, a Buffer,
   * a class instance…): zod accepts it, so it is written through the same rules
   * as every nested value. A root that serialises to something other than an
   * object (a Buffer's marker, a Set's array) is kept under `value`, because
   * `details` is an object on the wire (SPEC §3). Cold path.
   */
  function exoticRoot(input: object, bindings: readonly BindingMember[] | undefined): string {
    if (input instanceof Map) {
      ancestors.push(input);
      return mapMembers(input, 0, rootPaths, bindings);
    }
    let text = value(input, 0, rootPaths);
    if (text.charCodeAt(0) !== 123 /* { */) text = `{"value":${text}}`;
    if (!bindings) return text;
    const present = JSON.parse(text) as Record<string, unknown>;
    let out = text.slice(0, -1);
    let first = text === '{}';
    for (const binding of bindings) {
      if (Object.hasOwn(present, binding.key)) continue;
      out += `${first ? '' : ','}${binding.member}`;
      first = false;
    }
    return `${out}}`;
  }

  /**
   * `details` plus the logger's own members (`validation_errors`,
   * `unexpected_fields`), which win over same-named keys. Cold path (invalid
   * params only). Plain details are copied member by member, a throwing getter
   * becoming "[Unserializable]"; any other object (a Map, an Error, a class
   * instance) is first written by the usual rules and read back, so none of its
   * content is lost to a spread (SPEC §4.3: every valid field is kept).
   */
  function withExtra(input: object, extra: Readonly<Record<string, unknown>>): object {
    const merged: Record<string, unknown> = Object.create(null);
    const proto: unknown = Object.getPrototypeOf(input);
    if (proto === Object.prototype || proto === null) {
      const record = input as Record<string, unknown>;
      for (const key of Object.keys(input)) {
        try {
          merged[key] = record[key];
        } catch {
          merged[key] = '[Unserializable]';
        }
      }
    } else {
      Object.assign(merged, JSON.parse(exoticRoot(input, undefined)) as object);
      ancestors.length = 0;
    }
    for (const key of Object.keys(extra)) {
      if (extra[key] !== undefined) merged[key] = extra[key];
    }
    return merged;
  }

  return {
    object(
      value: object,
      bindings: readonly BindingMember[] | undefined,
      extra?: Readonly<Record<string, unknown>>,
    ): string {
      // Pushes are popped in `finally` blocks, so the stack is normally empty or
      // holds the root; resizing the array every call showed up in profiles.
      if (ancestors.length !== 0) ancestors.length = 0;
      try {
        const input = extra === undefined ? value : withExtra(value, extra);
        const proto: unknown = Object.getPrototypeOf(input);
        if (proto !== Object.prototype && proto !== null) return exoticRoot(input, bindings);
        ancestors.push(input);
        return members(input, Object.keys(input), undefined, 0, rootPaths, bindings);
      } catch {
        return `{"details":${UNSERIALIZABLE}}`;
      } finally {
        if (ancestors.length === 1) ancestors.pop();
        else if (ancestors.length !== 0) ancestors.length = 0;
      }
    },
    value(input: unknown): string {
      ancestors.length = 0;
      try {
        return value(input, 0, undefined);
      } finally {
        ancestors.length = 0;
      }
    },
  };
}

/**
 * The key of the "more keys were cut" marker: `[truncated_keys]`, unless the
 * object has a key of that name, so the marker can never duplicate a key
 * (SPEC §4.6). Only runs for objects over the key cap.
 */
function truncatedKeysName(keys: readonly string[]): string {
  const taken = new Set(keys);
  let name = TRUNCATED_KEYS;
  while (taken.has(name)) name = `[${name}]`;
  return name;
}

const NO_PATH = Object.freeze({ next: undefined, hit: false }) as { next: PathNodes; hit: boolean };
