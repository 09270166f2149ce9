// The survey's service worker (sw.ts) registered for a page's scope: the citizen's pages under
// /s/, an official's under /o/. One worker script, one registration a scope.

/**
 * Caches the page and its assets in the service worker on the first visit, so that a reload or
 * a reopened tab without a connection still shows the page, whose answers, kept on the phone,
 * are sent later.
 */
export function registerServiceWorker(scope: '/s/' | '/o/'): void {
  if (!('serviceWorker' in navigator)) return;
  const workers = navigator.serviceWorker;
  const firstVisit = !workers.controller;
  workers
    .register('/sw.js', { scope })
    .then(() => workers.ready)
    .then((registration) => {
      if (!firstVisit) return;
      const assets = Array.from(
        document.querySelectorAll('script[src], link[rel=stylesheet], link[rel=modulepreload]'),
        (el) =>
          new URL(el.getAttribute('src') ?? el.getAttribute('href') ?? '', location.href).href,
      );
      // Once each: Cache.addAll refuses a list with the same address twice (script + preload).
      registration.active?.postMessage([...new Set([location.href, ...assets])]);
    })
    .catch(() => {
      // Without a service worker the page still works; only an offline reload would fail.
    });
}
