// pg, loaded without Node's fetch. As it loads, pg asks whether it runs on Cloudflare Workers:
// by `navigator.userAgent`, which Node has from version 21 on; on Node 20, which has no
// navigator, by making a fetch Response, whose first use loads undici, Node's fetch: 30-40 ms of
// CPU time at each start of a `sipas` command, which loads pg whatever the engine (db/connect.ts),
// for an answer that is always no. Told it is Node for as long as pg loads; modules import pg
// as usual after, from the module cache.

/** Loads pg into the module cache, on Node 20 without loading undici. */
export async function loadPg(): Promise<void> {
  if ('navigator' in globalThis) {
    await import('pg');
    return;
  }
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node}` },
    configurable: true,
  });
  try {
    await import('pg');
  } finally {
    Reflect.deleteProperty(globalThis, 'navigator');
  }
}
