import {
  MAX_DETAIL_CHARS,
  MAX_DETAIL_DEPTH,
  MAX_DETAIL_NODES,
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
/** A container already written elsewhere in this entry (SPEC §4.6: written once, then marked). */
const SHARED = '"[Shared]"';
/** A value past the entry's node or character budget ({@link MAX_DETAIL_NODES}, {@link MAX_DETAIL_CHARS}). */
const OVER_BUDGET = '"[Budget exceeded]"';
/** A string this long or shorter, followed by another item, may be the name of a `[name, value]` pair. */
const MAX_PAIR_NAME_LENGTH = 256;
const REDACTED_JSON = JSON.stringify(REDACTED);
const TRUNCATED_KEYS = '[truncated_keys]';

type PathNodes = readonly RedactPathNode[] | undefined;

/** Most key names remembered per serialiser; real details use far fewer distinct keys. */
const KEY_CACHE_LIMIT = 2_048;
/** Longer key names are not cached, so the cache holds at most ~128 KiB of key text. */
const KEY_CACHE_MAX_KEY_LENGTH = 64;

/**
 * The per-call state of one serialisation. A nested `log()` (a getter that
 * logs) serialises with a frame of its own, so it never corrupts the outer one
 * (issue #13).
 */
interface Frame {
  /** Objects on the current path: seeing one again is a cycle. */
  readonly ancestors: object[];
  /** Containers written so far in this entry: seeing one again is a shared reference. */
  readonly seen: Set<object>;
  nodes: number;
  chars: number;
}

function newFrame(): Frame {
  return { ancestors: [], seen: new Set(), nodes: 0, chars: 0 };
}

function resetFrame(frame: Frame): void {
  if (frame.ancestors.length !== 0) frame.ancestors.length = 0;
  if (frame.seen.size !== 0) frame.seen.clear();
  frame.nodes = 0;
  frame.chars = 0;
}

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
/**
 * Builds the serialiser for one logger. Everything that can be decided once is
 * decided here (SPEC §4.6, STYLE "Hot path").
 *
 * Rules: circular → `"[Circular]"`; a container seen earlier in the same entry
 * → `"[Shared]"`; BigInt → decimal string; Error → `{name,message,code}` (plus
 * `stack` when `errorStack`); Buffer and typed arrays → `"[Buffer N bytes]"`;
 * Map, `Headers`, `URLSearchParams` → object; Set → array; NaN/±Infinity →
 * `null`; a throwing getter or `toJSON` → that field alone is
 * `"[Unserializable]"`; depth beyond 8, more than 256 keys or 1,000 items,
 * more than {@link MAX_DETAIL_NODES} values or {@link MAX_DETAIL_CHARS}
 * characters per entry → markers; `__proto__`, `constructor`, `prototype` keys
 * → dropped; sensitive names at any depth, by meaning → `"[REDACTED]"`, and so
 * is the item after a sensitive name in an array (`rawHeaders`, `[name, value]`
 * pairs); secrets inside strings → censored (issue #13).
 *
 * @example
 * ```ts
 * const s = createDetailsSerializer(compileRedaction(), false);
 * s.object({ accessToken: 'x', n: 10n }, undefined); // '{"accessToken":"[REDACTED]","n":"10"}'
 * ```
 */
export function createDetailsSerializer(
  redaction: CompiledRedaction,
  errorStack: boolean,
): DetailsSerializer {
  const isSensitive = redaction.isSensitiveName;
  const redactText = redaction.redactText;
  const rootPaths: PathNodes = redaction.paths ? [redaction.paths] : undefined;
  /** Reused by every top-level call; a nested call gets a fresh one. */
  const reusable = newFrame();
  let frame = reusable;
  let busy = false;

  /** Runs `fn` with a clean frame, re-entrantly: a nested call keeps the outer frame intact. */
  function withFrame<T>(fn: () => T): T {
    if (!busy) {
      busy = true;
      try {
        return fn();
      } finally {
        resetFrame(reusable);
        busy = false;
      }
    }
    const outer = frame;
    frame = newFrame();
    try {
      return fn();
    } finally {
      frame = outer;
    }
  }

  function str(text: string): string {
    const room = MAX_DETAIL_CHARS - frame.chars;
    if (text.length > room) {
      // Cut before censoring: the tail is never written, so it cannot leak.
      const keep = Math.max(room, 0);
      text = `${text.slice(0, keep)}[${text.length - keep} more chars]`;
    }
    frame.chars += text.length;
    return quoteJson(redactText(text));
  }

  function exhausted(): boolean {
    return frame.nodes >= MAX_DETAIL_NODES || frame.chars >= MAX_DETAIL_CHARS;
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
   * to call, so a bounded cache saves the name normalisation, a
   * `JSON.stringify` and a Set lookup per member. Only short keys are cached
   * and the cache stops growing at {@link KEY_CACHE_LIMIT}, so hostile keys
   * cannot grow memory.
   */
  const keyCache = new Map<string, KeyInfo>();
  function keyInfo(key: string): KeyInfo {
    let info = keyCache.get(key);
    if (info !== undefined) return info;
    info = {
      json: quoteJson(key),
      lower: key.toLowerCase(),
      censored: isSensitive(key),
      dropped: FORBIDDEN_KEYS.has(key),
    };
    if (key.length <= KEY_CACHE_MAX_KEY_LENGTH && keyCache.size < KEY_CACHE_LIMIT) {
      keyCache.set(key, info);
    }
    return info;
  }

  /**
   * Members of an object, or of a Map when `map` is given (its keys already
   * stringified and unique). Bindings are appended for the keys the source lacks.
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
      if (count === MAX_KEYS_PER_OBJECT || exhausted()) {
        out += `${first ? '' : ','}${quoteJson(truncatedKeysName(keys))}:${keys.length - count}`;
        first = false;
        break;
      }
      frame.chars += info.json.length;
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
        if (map === undefined ? Object.hasOwn(source, binding.key) : map.has(binding.key)) continue;
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
    // The item after a sensitive name is its value: Node's flat `rawHeaders`,
    // `Object.entries(headers)`, `[...new Headers()]` (issue #13).
    let afterSensitiveName = false;
    let i = 0;
    for (; i < limit; i++) {
      if (exhausted()) break;
      let item: unknown;
      try {
        item = items[i];
      } catch {
        out += `${i === 0 ? '' : ','}${UNSERIALIZABLE}`;
        afterSensitiveName = false;
        continue;
      }
      let text: string;
      if (afterSensitiveName) {
        text = REDACTED_JSON;
      } else if (item === undefined || typeof item === 'function' || typeof item === 'symbol') {
        text = 'null';
      } else if (paths === undefined) {
        text = value(item, depth + 1, undefined);
      } else {
        // An index is one path segment, matched by `*` (as in pino's `a[*].b`).
        const { next, hit } = childPaths(paths, String(i));
        text = hit ? REDACTED_JSON : value(item, depth + 1, next);
      }
      afterSensitiveName =
        typeof item === 'string' && item.length <= MAX_PAIR_NAME_LENGTH && isSensitive(item);
      out += `${i === 0 ? '' : ','}${text}`;
    }
    if (total > i) out += `${i === 0 ? '' : ','}${JSON.stringify(`[${total - i} more items]`)}`;
    return `${out}]`;
  }

  /**
   * Entries → object (SPEC §4.6: Map → object; issue #13: `Headers` and
   * `URLSearchParams` too). Keys are stringified; repeated keys keep their
   * values as an array, so none is lost. Reads at most the key cap plus one.
   */
  function entriesMembers(
    entries: Iterable<readonly [unknown, unknown]>,
    depth: number,
    paths: PathNodes,
    bindings: readonly BindingMember[] | undefined,
  ): string {
    const values = new Map<string, unknown>();
    const repeated = new Set<string>();
    let read = 0;
    for (const [k, v] of entries) {
      if (++read > MAX_KEYS_PER_OBJECT + 1) break;
      let key: string;
      try {
        key = typeof k === 'string' ? k : String(k);
      } catch {
        key = '[Unserializable]';
      }
      if (!values.has(key)) {
        values.set(key, v);
      } else if (repeated.has(key)) {
        (values.get(key) as unknown[]).push(v);
      } else {
        repeated.add(key);
        values.set(key, [values.get(key), v]);
      }
    }
    return members(values, [...values.keys()], values, depth, paths, bindings);
  }

  function value(input: unknown, depth: number, paths: PathNodes): string {
    if (++frame.nodes > MAX_DETAIL_NODES) return OVER_BUDGET;
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
    return structured(input as object, depth, paths, true, undefined);
  }

  /** Whether `object` was written before in this entry; marks it written otherwise. */
  function alreadyWritten(object: object): boolean {
    if (frame.seen.has(object)) return true;
    frame.seen.add(object);
    return false;
  }

  /**
   * An object of any kind. `allowToJSON` is false for the value a `toJSON`
   * returned: like `JSON.stringify`, `toJSON` is called once per value, so a
   * `toJSON` that returns itself or a fresh object with a `toJSON` cannot
   * recurse. `bindings` are only passed for the root.
   */
  function structured(
    object: object,
    depth: number,
    paths: PathNodes,
    allowToJSON: boolean,
    bindings: readonly BindingMember[] | undefined,
  ): string {
    const ancestors = frame.ancestors;
    if (ancestors.includes(object)) return CIRCULAR;
    if (depth > MAX_DETAIL_DEPTH) return DEPTH_LIMIT;
    ancestors.push(object);
    try {
      const proto: unknown = Object.getPrototypeOf(object);
      // Plain objects are the common case: skip every exotic check for them.
      if (proto !== Object.prototype && proto !== null) {
        if (Array.isArray(object)) {
          if (alreadyWritten(object)) return SHARED;
          return array(object, depth, paths, object.length);
        }
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
        if (object instanceof Map || isEntriesObject(object)) {
          if (alreadyWritten(object)) return SHARED;
          return entriesMembers(
            (object as Map<unknown, unknown>).entries(),
            depth,
            paths,
            bindings,
          );
        }
        if (object instanceof Set) {
          if (alreadyWritten(object)) return SHARED;
          return setItems(object, depth, paths);
        }
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
              return structured(replaced, depth, paths, false, bindings);
            } finally {
              ancestors.push(object);
            }
          }
        }
      }
      if (alreadyWritten(object)) return SHARED;
      return members(object, Object.keys(object), undefined, depth, paths, bindings);
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
   * object (a Buffer's marker, a Set's array, an Error) is kept under `value`,
   * because `details` is an object on the wire (SPEC §3); bindings then join
   * it as siblings. Cold path.
   */
  function exoticRoot(input: object, bindings: readonly BindingMember[] | undefined): string {
    if (input instanceof Error) {
      // Written as `{name,message,code?,stack?}`: bindings join it unless they share a key.
      const text = serializeError(input, 0, rootPaths);
      const own = new Set(Object.keys(errorMembers(input)));
      let extra = '';
      for (const binding of bindings ?? [])
        if (!own.has(binding.key)) extra += `,${binding.member}`;
      return `${text.slice(0, -1)}${extra}}`;
    }
    frame.nodes++;
    const text = structured(input, 0, rootPaths, true, bindings);
    // Objects (members, entries, a toJSON's object) took the bindings in already.
    if (text.charCodeAt(0) === 123 /* { */) return text;
    let out = `{"value":${text}`;
    for (const binding of bindings ?? []) if (binding.key !== 'value') out += `,${binding.member}`;
    return `${out}}`;
  }

  /** The members {@link serializeError} writes, as data. */
  function errorMembers(error: Error): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: String(error.name),
      message: String(error.message),
    };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    if (errorStack && typeof error.stack === 'string') out.stack = error.stack;
    return out;
  }

  /**
   * The members a non-plain root contributes when merged with the logger's own
   * members: what {@link exoticRoot} would write, as data, so nothing has to be
   * read back from text (issue #14: one bindings-merge path).
   */
  function rootMembers(input: object): Record<string, unknown> {
    if (input instanceof Error) return errorMembers(input);
    if (input instanceof Map || isEntriesObject(input)) {
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, v] of (input as Map<unknown, unknown>).entries()) {
        const key = String(k);
        if (!(key in out)) out[key] = v;
      }
      return out;
    }
    const toJSON = (input as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const replaced: unknown = toJSON.call(input);
      if (typeof replaced === 'object' && replaced !== null && !Array.isArray(replaced)) {
        return copyMembers(replaced);
      }
      return { value: replaced };
    }
    if (!isMembersObject(input)) return { value: input };
    return copyMembers(input);
  }

  /**
   * `details` plus the logger's own members (`validation_errors`,
   * `unexpected_fields`), which win over same-named keys. Cold path (invalid
   * params only). Members are copied one by one, a throwing getter becoming
   * "[Unserializable]"; a Map, an Error or a class instance contributes the
   * members it would be written with, so none of its content is lost to a
   * spread (SPEC §4.3: every valid field is kept).
   */
  function withExtra(input: object, extra: Readonly<Record<string, unknown>>): object {
    const proto: unknown = Object.getPrototypeOf(input);
    const merged =
      proto === Object.prototype || proto === null ? copyMembers(input) : rootMembers(input);
    for (const key of Object.keys(extra)) {
      if (extra[key] !== undefined) merged[key] = extra[key];
    }
    return merged;
  }

  return {
    object(
      input: object,
      bindings: readonly BindingMember[] | undefined,
      extra?: Readonly<Record<string, unknown>>,
    ): string {
      return withFrame(() => {
        try {
          const root = extra === undefined ? input : withExtra(input, extra);
          const proto: unknown = Object.getPrototypeOf(root);
          if (proto !== Object.prototype && proto !== null) return exoticRoot(root, bindings);
          // The root is not put in `seen`: only a cycle can reach it again, and
          // `ancestors` catches that. An empty Set skips its clear() (issue #13:
          // 7% of a log() profile).
          frame.ancestors.push(root);
          return members(root, Object.keys(root), undefined, 0, rootPaths, bindings);
        } catch {
          return `{"details":${UNSERIALIZABLE}}`;
        }
      });
    },
    value(input: unknown): string {
      return withFrame(() => {
        try {
          return value(input, 0, undefined);
        } catch {
          return UNSERIALIZABLE;
        }
      });
    },
  };
}

/** Own enumerable members into a null-prototype copy; a throwing getter gives the marker. */
function copyMembers(input: object): Record<string, unknown> {
  const merged: Record<string, unknown> = Object.create(null);
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    try {
      merged[key] = record[key];
    } catch {
      merged[key] = '[Unserializable]';
    }
  }
  return merged;
}

/** `Headers` and `URLSearchParams`: entries, not own keys, hold their content (issue #13). */
function isEntriesObject(object: object): boolean {
  return (
    object instanceof URLSearchParams ||
    (typeof Headers === 'function' && object instanceof Headers)
  );
}

/**
 * A class instance (not an array, Buffer, Error, Set or boxed primitive, and
 * with no `toJSON`): written member by member like a plain object.
 */
function isMembersObject(object: object): boolean {
  return (
    !Array.isArray(object) &&
    !ArrayBuffer.isView(object) &&
    !(object instanceof ArrayBuffer) &&
    !(object instanceof Error) &&
    !(object instanceof Set) &&
    !(object instanceof String) &&
    !(object instanceof Number) &&
    !(object instanceof Boolean) &&
    !(object instanceof BigInt) &&
    typeof (object as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/**
 * The key of the "more keys were cut" marker: `[truncated_keys]`, unless the
 * object has a key of that name, so the marker can never duplicate a key
 * (SPEC §4.6). Only runs for objects over the key cap or the budget.
 */
function truncatedKeysName(keys: readonly string[]): string {
  const taken = new Set(keys);
  let name = TRUNCATED_KEYS;
  while (taken.has(name)) name = `[${name}]`;
  return name;
}

const NO_PATH = Object.freeze({ next: undefined, hit: false }) as { next: PathNodes; hit: boolean };
