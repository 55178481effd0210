/**
 * Builds the exclusion test (SPEC §5.4): a path is excluded when it equals an
 * entry or continues it with `/`, so `/health/deep` is skipped but `/healthy`
 * and `/health-admin` are audited. The query string is ignored.
 */
export function createPathExcluder(paths: readonly string[]): (url: string) => boolean {
  const exact = [...paths];
  const prefixes = exact.map((p) => `${p}/`);
  const count = exact.length;
  if (count === 0) return () => false;
  return (url) => {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    for (let i = 0; i < count; i++) {
      if (path === exact[i] || path.startsWith(prefixes[i] as string)) return true;
    }
    return false;
  };
}
