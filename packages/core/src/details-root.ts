// What a non-plain `details` root (a Map, an Error, a class instance, Headers…)
// contributes when merged with the logger's own members: written from data,
// never by reading the serialiser's output back (issue #14: one merge path).

/** The members {@link serializeError} writes, as data. */
export function errorMembers(error: Error, errorStack: boolean): Record<string, unknown> {
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
 * members: what the serialiser writes for it, as data, so nothing has to be
 * read back from text (issue #14: one bindings-merge path).
 */
function rootMembers(input: object, errorStack: boolean): Record<string, unknown> {
  if (input instanceof Error) return errorMembers(input, errorStack);
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
export function withExtra(
  input: object,
  extra: Readonly<Record<string, unknown>>,
  errorStack: boolean,
): object {
  const proto: unknown = Object.getPrototypeOf(input);
  const merged =
    proto === Object.prototype || proto === null
      ? copyMembers(input)
      : rootMembers(input, errorStack);
  for (const key of Object.keys(extra)) {
    if (extra[key] !== undefined) merged[key] = extra[key];
  }
  return merged;
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
export function isEntriesObject(object: object): boolean {
  return (
    object instanceof URLSearchParams ||
    (typeof Headers === 'function' && object instanceof Headers)
  );
}

/**
 * A class instance (not an array, Buffer, Error, Set or boxed primitive, and
 * with no `toJSON`): written member by member like a plain object.
 */
export function isMembersObject(object: object): boolean {
  return (
    !Array.isArray(object) &&
    !ArrayBuffer.isView(object) &&
    !(object instanceof ArrayBuffer) &&
    !(object instanceof Error) &&
    !(object instanceof Set) &&
    !isBoxedPrimitive(object) &&
    typeof (object as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/** `new String()`, `new Number()`, `new Boolean()`, `Object(1n)`: written as the value they box. */
export function isBoxedPrimitive(object: object): object is { valueOf(): unknown } {
  return (
    object instanceof String ||
    object instanceof Number ||
    object instanceof Boolean ||
    object instanceof BigInt
  );
}

/** A Set's first `cap` items: a huge Set is not copied whole before the item cap cuts it. */
export function firstItems(set: Set<unknown>, cap: number): unknown[] {
  const items: unknown[] = [];
  for (const item of set) {
    if (items.length === cap) break;
    items.push(item);
  }
  return items;
}
