import { normalisedPath } from './node-http/normalised-path.js';

/**
 * Builds the exclusion test (SPEC §5.4): a path is excluded when it equals an
 * entry or continues it with `/`, so `/health/deep` is skipped but `/healthy`
 * and `/health-admin` are audited. The test runs on the decoded, normalised
 * path (issue #11): `/health/../secret.txt` is `/secret.txt`, and audited. A
 * target that cannot be decoded is audited.
 */
export function createPathExcluder(paths: readonly string[]): (url: string) => boolean {
  const exact = [...paths];
  const prefixes = exact.map((p) => `${p}/`);
  const count = exact.length;
  if (count === 0) return () => false;
  const matches = (path: string | undefined): boolean => {
    if (path === undefined) return false;
    for (let i = 0; i < count; i++) {
      if (path === exact[i] || path.startsWith(prefixes[i] as string)) return true;
    }
    return false;
  };
  // Skipped only when both readings of `%2f` are excluded: the file server's
  // and the router's (see normalisedPath). Without a `%` the two readings are
  // the same path, so it is worked out once (issue #15).
  return (url) =>
    url.includes('%')
      ? matches(normalisedPath(url, true)) && matches(normalisedPath(url, false))
      : matches(normalisedPath(url, true));
}
