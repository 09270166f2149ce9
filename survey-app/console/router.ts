// The console's pages as paths under /console, kept in the browser's history so that the
// back button, bookmarks and a reload all work. The server answers every /console/* path
// with the same page.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'home' }
  | { page: 'organisation' }
  | { page: 'unit-history'; code: string }
  | { page: 'reorganisation' }
  | { page: 'campaigns' }
  | { page: 'campaign'; code: string }
  | { page: 'edit'; code: string }
  | { page: 'entry'; code: string }
  | { page: 'import'; code: string }
  | { page: 'scores'; code: string }
  | { page: 'quarantine'; code: string }
  | { page: 'scorecard' }
  | { page: 'peers' }
  | { page: 'frameworks' }
  | { page: 'audit' }
  | { page: 'accounts' }
  | { page: 'password' }
  | { page: 'setup' }
  | { page: 'missing' };

const BASE = '/console';

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, code, sub, ...extra] = parts;
  if (extra.length > 0) return { page: 'missing' };
  if (first === undefined) return { page: 'home' };
  if (first === 'organisation' && code === undefined) return { page: 'organisation' };
  if (first === 'units' && code !== undefined && sub === 'history') {
    return { page: 'unit-history', code };
  }
  for (const page of [
    'reorganisation',
    'scorecard',
    'frameworks',
    'peers',
    'audit',
    'accounts',
    'password',
    'setup',
  ] as const) {
    if (first === page && code === undefined) return { page };
  }
  if (first !== 'campaigns') return { page: 'missing' };
  if (code === undefined) return { page: 'campaigns' };
  if (sub === undefined) return { page: 'campaign', code };
  if (
    sub === 'edit' ||
    sub === 'entry' ||
    sub === 'import' ||
    sub === 'scores' ||
    sub === 'quarantine'
  ) {
    return { page: sub, code };
  }
  return { page: 'missing' };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'home':
    case 'missing':
      return BASE;
    case 'organisation':
    case 'reorganisation':
    case 'scorecard':
    case 'peers':
    case 'frameworks':
    case 'accounts':
    case 'password':
    case 'setup':
    case 'campaigns':
    case 'audit':
      return `${BASE}/${route.page}`;
    case 'unit-history':
      return `${BASE}/units/${encodeURIComponent(route.code)}/history`;
    case 'campaign':
      return `${BASE}/campaigns/${encodeURIComponent(route.code)}`;
    default:
      return `${BASE}/campaigns/${encodeURIComponent(route.code)}/${route.page}`;
  }
}

const listeners = new Set<() => void>();

export function navigate(href: string): void {
  if (href !== location.pathname + location.search) history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** A click that the console handles itself, rather than a new tab or a download. */
export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
