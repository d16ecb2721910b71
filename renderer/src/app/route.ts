// The open view as a URL fragment, so a reload, a bookmark or a shared link lands where the person was:
// `#/browse`, `#/project/<id>/<tab>`. The fragment never reaches a server, so the token-guarded page stays one URL.
import { useCallback, useEffect, useState } from 'react';

export const projectTabs = ['training', 'commits', 'contributors', 'results'] as const;
export type ProjectTab = (typeof projectTabs)[number];

export type Route = { readonly kind: 'browse' } | { readonly kind: 'project'; readonly id: string; readonly tab: ProjectTab };

export const BROWSE: Route = { kind: 'browse' };

/** The route a fragment names; anything unknown is Browse. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(safeDecode);
  if (parts[0] === 'project' && parts[1]) {
    const tab = (projectTabs as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as ProjectTab) : 'training';
    return { kind: 'project', id: parts[1], tab };
  }
  return BROWSE;
}

export function formatRoute(route: Route): string {
  return route.kind === 'browse' ? '#/browse' : `#/project/${encodeURIComponent(route.id)}/${route.tab}`;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}

/** The current route and a way to go elsewhere (a history entry each, so Back works). */
export function useRoute(): [Route, (next: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const go = useCallback((next: Route) => {
    const hash = formatRoute(next);
    if (window.location.hash !== hash) window.location.hash = hash;
    setRoute(next);
  }, []);
  return [route, go];
}
