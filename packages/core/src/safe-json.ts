import {
  MAX_DETAIL_CHARS,
  MAX_DETAIL_DEPTH,
  MAX_DETAIL_NODES,
  MAX_ITEMS_PER_ARRAY,
  MAX_KEYS_PER_OBJECT,
} from './constants.js';
import { createFrames } from './details-frame.js';
import { leadingKeysFirst } from './details-key-order.js';
import { createKeyInfoCache } from './details-keys.js';
import {
  CIRCULAR,
  DEPTH_LIMIT,
  OVER_BUDGET,
  REDACTED_JSON,
  SHARED,
  truncatedKeysName,
  UNSERIALIZABLE,
} from './details-markers.js';
import { childPaths, type PathNodes } from './details-paths.js';
import {
  errorMembers,
  firstItems,
  isBoxedPrimitive,
  isEntriesObject,
  withExtra,
} from './details-root.js';
import type { BindingMember, DetailsSerializer } from './details-types.js';
import { ioObjectMarker, ioRootMarker } from './io-object-marker.js';
import { quoteJson } from './json-string.js';
import type { CompiledRedaction } from './redaction.js';
import { MAX_PAIR_NAME_LENGTH, NEEDS_CENSOR_OR_ESCAPE } from './text-redaction.js';

export type { BindingMember, DetailsSerializer } from './details-types.js';

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
  const { isSensitiveName: isSensitive, redactText } = redaction;
  const rootPaths: PathNodes = redaction.paths ? [redaction.paths] : undefined;
  const frames = createFrames();

  function str(text: string): string {
    const room = MAX_DETAIL_CHARS - frames.current.chars;
    if (text.length > room) {
      // Cut before censoring: the tail is never written, so it cannot leak.
      const keep = Math.max(room, 0);
      text = `${text.slice(0, keep)}[${text.length - keep} more chars]`;
    }
    frames.current.chars += text.length;
    return NEEDS_CENSOR_OR_ESCAPE.test(text) ? quoteJson(redactText(text)) : `"${text}"`;
  }

  function exhausted(): boolean {
    return frames.current.nodes >= MAX_DETAIL_NODES || frames.current.chars >= MAX_DETAIL_CHARS;
  }

  function serializeError(error: Error, depth: number, paths: PathNodes): string {
    let out = `{"name":${str(String(error.name))},"message":${str(String(error.message))}`;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number')
      out += `,"code":${value(code, depth, paths)}`;
    if (errorStack && typeof error.stack === 'string') out += `,"stack":${str(error.stack)}`;
    return `${out}}`;
  }

  const keyInfo = createKeyInfoCache(isSensitive);

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
      frames.current.chars += info.json.length;
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
    if (++frames.current.nodes > MAX_DETAIL_NODES) return OVER_BUDGET;
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
    if (frames.current.seen.has(object)) return true;
    frames.current.seen.add(object);
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
    const ancestors = frames.current.ancestors;
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
        const io = ioObjectMarker(object); // a request/response/socket: a marker (issue #12)
        if (io !== undefined) return str(io);
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
          return array(firstItems(object, MAX_ITEMS_PER_ARRAY), depth, paths, object.size);
        }
        // Boxed primitives: JSON.stringify unboxes them too.
        if (isBoxedPrimitive(object)) return value(object.valueOf(), depth, paths);
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
      const own = new Set(Object.keys(errorMembers(input, errorStack)));
      let extra = '';
      for (const binding of bindings ?? [])
        if (!own.has(binding.key)) extra += `,${binding.member}`;
      return `${text.slice(0, -1)}${extra}}`;
    }
    frames.current.nodes++;
    const text = structured(input, 0, rootPaths, true, bindings);
    // Objects (members, entries, a toJSON's object) took the bindings in already.
    if (text.charCodeAt(0) === 123 /* { */) return text;
    let out = `{"value":${text}`;
    for (const binding of bindings ?? []) if (binding.key !== 'value') out += `,${binding.member}`;
    return `${out}}`;
  }

  return {
    object(
      input: object,
      bindings: readonly BindingMember[] | undefined,
      extra?: Readonly<Record<string, unknown>>,
    ): string {
      const outer = frames.enter();
      try {
        const source = ioRootMarker(input) ?? input; // `details: req` (issue #12)
        const root = extra === undefined ? source : withExtra(source, extra, errorStack);
        const proto: unknown = Object.getPrototypeOf(root);
        if (proto !== Object.prototype && proto !== null) return exoticRoot(root, bindings);
        // The root is not put in `seen`: only a cycle can reach it again, and
        // `ancestors` catches that. An empty Set skips its clear() (issue #13:
        // 7% of a log() profile).
        frames.current.ancestors.push(root);
        const keys = leadingKeysFirst(Object.keys(root));
        return members(root, keys, undefined, 0, rootPaths, bindings);
      } catch {
        return `{"details":${UNSERIALIZABLE}}`;
      } finally {
        frames.leave(outer);
      }
    },
    value(input: unknown): string {
      const outer = frames.enter();
      try {
        return value(input, 0, undefined);
      } catch {
        return UNSERIALIZABLE;
      } finally {
        frames.leave(outer);
      }
    },
  };
}
