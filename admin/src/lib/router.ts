/** Client-side routes below /admin/ (the server answers every such path with index.html). */
import { createStore } from '../stores/store.ts';

const BASE = '/admin/';

export type Route =
  | { name: 'inbox'; conversationId: string | null }
  | { name: 'templates' }
  | { name: 'reports' }
  | { name: 'settings' }
  | { name: 'checklist' }
  | { name: 'phones' }
  | { name: 'not-found' };

export function parseRoute(pathname: string): Route {
  const rel = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/admin\/?/, '');
  const parts = rel.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'inbox', conversationId: null };
  if (parts[0] === 'conversations' && parts.length === 2) return { name: 'inbox', conversationId: decodeURIComponent(parts[1]!) };
  if (
    parts.length === 1 &&
    (parts[0] === 'templates' || parts[0] === 'reports' || parts[0] === 'settings' || parts[0] === 'checklist' || parts[0] === 'phones')
  ) {
    return { name: parts[0] };
  }
  return { name: 'not-found' };
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'inbox':
      return route.conversationId ? `${BASE}conversations/${encodeURIComponent(route.conversationId)}` : BASE;
    case 'not-found':
      return BASE;
    default:
      return `${BASE}${route.name}`;
  }
}

export const currentRoute = createStore<Route>(parseRoute(typeof location === 'undefined' ? BASE : location.pathname));

export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  const path = routePath(route);
  if (path !== location.pathname) {
    if (opts.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
  }
  currentRoute.set(route);
}

export function listenToHistory(): () => void {
  const on = () => currentRoute.set(parseRoute(location.pathname));
  window.addEventListener('popstate', on);
  return () => window.removeEventListener('popstate', on);
}
