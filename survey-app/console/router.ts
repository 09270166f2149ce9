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
  | { page: 'assessments'; framework: string; period: string }
  | { page: 'assessment-queue' }
  | { page: 'assessment'; framework: string; period: string; unit: string }
  | { page: 'plans'; framework: string; period: string; unit: string }
  | { page: 'plan'; framework: string; period: string; unit: string }
  | { page: 'plan-roll-up'; framework: string; period: string; unit: string }
  | ({ page: 'plan-sheet'; framework: string; period: string; unit: string } & SheetOptions)
  | { page: 'officials' }
  | { page: 'official'; code: string }
  | { page: 'audit' }
  | { page: 'accounts' }
  | { page: 'password' }
  | { page: 'setup' }
  | { page: 'missing' };

/** What the results sheet is drafted with besides the unit: the draft's optional parts. */
export interface SheetOptions {
  peers: string;
  campaign: string;
  top: string;
}

const BASE = '/console';

export function parseRoute(pathname: string, search = ''): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'assessments') return assessmentRoute(parts.slice(1), search);
  if (parts[0] === 'plans') return planRoute(parts.slice(1), search);
  const [first, code, sub, ...extra] = parts;
  if (extra.length > 0) return { page: 'missing' };
  if (first === undefined) return { page: 'home' };
  if (first === 'officials' && sub === undefined) {
    return code === undefined ? { page: 'officials' } : { page: 'official', code };
  }
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

/** The PAR self-assessment's pages: the overview (its query in the URL), the queue, one unit's. */
function assessmentRoute(parts: string[], search: string): Route {
  const [framework, period, unit, ...extra] = parts;
  if (framework === undefined) {
    const query = new URLSearchParams(search);
    return {
      page: 'assessments',
      framework: query.get('framework') ?? '',
      period: query.get('period') ?? '',
    };
  }
  if (framework === 'queue' && period === undefined) return { page: 'assessment-queue' };
  if (period === undefined || unit === undefined || extra.length > 0) return { page: 'missing' };
  return { page: 'assessment', framework, period, unit };
}

/**
 * The remediation plans' pages: the chooser (its query in the URL), one unit's plan, the roll-up
 * of a unit's children and the unit's results sheet (its draft's options in the URL).
 */
function planRoute(parts: string[], search: string): Route {
  const query = new URLSearchParams(search);
  const [framework, period, unit, sub, ...extra] = parts;
  if (framework === undefined) {
    return {
      page: 'plans',
      framework: query.get('framework') ?? '',
      period: query.get('period') ?? '',
      unit: query.get('unit') ?? '',
    };
  }
  if (period === undefined || unit === undefined || extra.length > 0) return { page: 'missing' };
  const target = { framework, period, unit };
  if (sub === undefined) return { page: 'plan', ...target };
  if (sub === 'roll-up') return { page: 'plan-roll-up', ...target };
  if (sub !== 'sheet') return { page: 'missing' };
  return {
    page: 'plan-sheet',
    ...target,
    peers: query.get('peers') ?? '',
    campaign: query.get('campaign') ?? '',
    top: query.get('top') ?? '',
  };
}

/** A path and the query of the fields given, those left empty left out. */
function withQuery(path: string, fields: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(fields).filter(([, value]) => value !== ''));
  const search = query.toString();
  return `${path}${search ? `?${search}` : ''}`;
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
    case 'officials':
    case 'audit':
      return `${BASE}/${route.page}`;
    case 'official':
      return `${BASE}/officials/${encodeURIComponent(route.code)}`;
    case 'assessments':
      return withQuery(`${BASE}/assessments`, {
        framework: route.framework,
        period: route.period,
      });
    case 'plans':
      return withQuery(`${BASE}/plans`, {
        framework: route.framework,
        period: route.period,
        unit: route.unit,
      });
    case 'plan':
    case 'plan-roll-up':
    case 'plan-sheet': {
      const path = `${BASE}/plans/${[route.framework, route.period, route.unit].map(encodeURIComponent).join('/')}`;
      if (route.page === 'plan') return path;
      if (route.page === 'plan-roll-up') return `${path}/roll-up`;
      return withQuery(`${path}/sheet`, {
        peers: route.peers,
        campaign: route.campaign,
        top: route.top,
      });
    }
    case 'assessment-queue':
      return `${BASE}/assessments/queue`;
    case 'assessment':
      return `${BASE}/assessments/${[route.framework, route.period, route.unit].map(encodeURIComponent).join('/')}`;
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
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname, location.search));
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
