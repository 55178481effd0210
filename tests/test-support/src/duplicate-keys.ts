/**
 * Every key repeated within one object of raw JSON text, as `path/key`
 * (`'[]'` stands for an array level), in text order. `JSON.parse` silently
 * keeps the last of two equal keys, so this reads the text itself (SPEC §4.6:
 * no line has a duplicate key at any depth). Keys are compared decoded: `"a"`
 * and `"\u0061"` are the same key. Strings that merely contain `"a":1` are not keys.
 *
 * @example
 * ```ts
 * duplicateKeys('{"a":1,"b":[{"c":1,"\\u0063":2}],"a":3}'); // ['b/[]/c', 'a']
 * ```
 */
export function duplicateKeys(json: string, first = false): string[] {
  const found: string[] = [];
  const stack: Array<Set<string> | null> = []; // a Set per open object, null per array
  const path: string[] = []; // the current key of each open object, '[]' for arrays
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(json.slice(i, j + 1)) as string;
        if (top.has(key)) {
          found.push([...path.slice(0, -1), key].join('/'));
          if (first) return found;
        }
        top.add(key);
        path[path.length - 1] = key;
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      stack.push(c === '{' ? new Set() : null);
      path.push(c === '{' ? '' : '[]');
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      path.pop();
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return found;
}

/**
 * The first duplicate key of raw JSON text, as `path/key`, or undefined
 * (see {@link duplicateKeys}).
 *
 * @example
 * ```ts
 * findDuplicateKey('{"a":1,"b":{"c":[{"d":1,"d":2}]}}'); // 'b/c/[]/d'
 * ```
 */
export function findDuplicateKey(json: string): string | undefined {
  return duplicateKeys(json, true)[0];
}
