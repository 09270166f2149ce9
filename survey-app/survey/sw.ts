// The survey's service worker (/sw.js, registered for /s/ and for an official's /o/). It keeps
// the page and its assets so that a page opened online can be reloaded or reopened without a
// connection, finish, and send later. Pages come from the network first (a revoked token must show at once), from the cache
// when the network fails; hashed assets never change, so they come from the cache first.
// Self-contained on purpose: the built file has no imports (sw-assets.ts is written into it),
// so it runs as a classic worker everywhere. Each build writes its asset list into sw.js, so a
// new release is a new worker to the browser, and activating it drops the earlier assets.
import { staleAssets } from './sw-assets.ts';

interface WorkerEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerFetchEvent extends WorkerEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerMessageEvent extends WorkerEvent {
  readonly data: unknown;
}
interface WorkerScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  /** This build's asset paths, set by the line the build puts first in sw.js. */
  readonly SIPAS_BUILD_ASSETS?: unknown;
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: WorkerEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: WorkerFetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: WorkerMessageEvent) => void): void;
}
declare const self: WorkerScope;

const CACHE = 'sipas-survey-1';

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));

async function dropStaleAssets(): Promise<void> {
  const cache = await caches.open(CACHE);
  const urls = (await cache.keys()).map((request) => request.url);
  await Promise.all(staleAssets(urls, self.SIPAS_BUILD_ASSETS).map((url) => cache.delete(url)));
}

self.addEventListener('activate', (event) =>
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(dropStaleAssets)
      .then(() => self.clients.claim()),
  ),
);

const sameOrigin = (url: string) =>
  new URL(url, self.location.href).origin === self.location.origin;

/** On its first visit the page lists itself and its assets: they loaded before this worker ran. */
self.addEventListener('message', (event) => {
  const urls = event.data;
  if (
    Array.isArray(urls) &&
    urls.every((u): u is string => typeof u === 'string' && sameOrigin(u))
  ) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(urls)));
  }
});

/** A page from the network, kept for later; the kept copy when the network fails or errs. */
async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = () => cache.match(request, { ignoreSearch: true, ignoreVary: true });
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await cached();
    if (kept) return kept;
    throw error;
  }
  // Only the survey itself is kept. A 404, 410 or 429 page is shown but not kept: a 410 for a
  // replaced QR code must not take the place of the survey that a citizen who began under it
  // reloads offline to finish (its answer is still accepted). A 5xx is a bad moment: the kept page.
  if (response.ok) {
    await cache.put(request, response.clone());
    return response;
  }
  return response.status < 500 ? response : ((await cached()) ?? response);
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !sameOrigin(request.url)) return;
  const path = new URL(request.url).pathname;
  if (request.mode === 'navigate' && (path.startsWith('/s/') || path.startsWith('/o/'))) {
    event.respondWith(networkFirst(request));
  } else if (path.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  }
});

export {};
