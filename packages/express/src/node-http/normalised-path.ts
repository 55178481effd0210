const ENCODED_SLASH = /%2f/i;

/**
 * The path a file server or router acts on, from a request target (SPEC §5.4):
 * the query and fragment cut, percent-encoding decoded, duplicate slashes
 * collapsed and dot segments resolved (RFC 3986 §5.2.4). Undefined when the
 * target cannot be decoded (`%zz`, a lone `%`): such a request is audited,
 * never excluded.
 *
 * `decodeSlashes` says how `%2f` is read. `send` (behind `express.static`)
 * decodes it into a separator before resolving dot segments; Express's router
 * keeps it inside the segment. The exclusion check takes both readings and
 * skips a request only when both are excluded.
 *
 * `/health/../secret.txt`, `/health/%2e%2e/secret.txt` and
 * `//health/./../secret.txt` all give `/secret.txt`; `/health/..%2fsecret.txt`
 * gives `/secret.txt` with `decodeSlashes`, `/health/..%2Fsecret.txt` without.
 */
export function normalisedPath(target: string, decodeSlashes: boolean): string | undefined {
  let end = target.length;
  const q = target.indexOf('?');
  if (q !== -1) end = q;
  const hash = target.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  let path = end === target.length ? target : target.slice(0, end);
  // An absolute-form target (`GET http://host/health`): the router sees its path.
  if (!path.startsWith('/')) {
    const scheme = path.indexOf('://');
    if (scheme === -1) return undefined;
    const slash = path.indexOf('/', scheme + 3);
    path = slash === -1 ? '/' : path.slice(slash);
  }
  if (path.includes('%')) {
    try {
      path =
        decodeSlashes || !ENCODED_SLASH.test(path)
          ? decodeURIComponent(path)
          : path.split(ENCODED_SLASH).map(decodeURIComponent).join('%2F');
    } catch {
      return undefined;
    }
  }
  // Fast path: nothing to resolve (the common case on the hot path).
  if (!path.includes('//') && !path.includes('/.')) return path;
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (segment === '..') out.pop();
    else if (segment !== '.' && (segment !== '' || i === segments.length - 1)) out.push(segment);
  }
  // A trailing `.`/`..` names a directory: keep the trailing slash.
  const last = segments[segments.length - 1];
  if ((last === '.' || last === '..') && out[out.length - 1] !== '') out.push('');
  return `/${out.join('/')}`;
}
