// What the service worker (sw.ts) drops when a new build takes over: the hashed assets of
// earlier builds, which no page of this build loads. Imported by the worker alone, so the
// bundler writes it into sw.js, which stays free of imports.

/**
 * The cached addresses under /assets/ that `current` (the paths of this build's assets) does
 * not list. Without a list (a worker the build did not write it into) nothing is stale.
 */
export function staleAssets(cached: readonly string[], current: unknown): string[] {
  if (!Array.isArray(current)) return [];
  const keep = new Set(current);
  return cached.filter((url) => {
    const path = new URL(url).pathname;
    return path.startsWith('/assets/') && !keep.has(path);
  });
}
