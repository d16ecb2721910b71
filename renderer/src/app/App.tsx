// The app's frame: Browse and the projects on this machine on the left; the open view on the right. The open view
// lives in the URL fragment (route.ts), so a reload or a link lands on the same project and tab.
import { useEffect, useRef } from 'react';
import type { Project } from '../../../shared/contract';
import { api } from '../api/client';
import { useEvent, useQuery } from '../api/hooks';
import { CatalogBrowser } from '../features/catalog/CatalogBrowser';
import { MachinePanel } from '../features/machine/MachinePanel';
import { AddProjectForm } from '../features/projects/AddProjectForm';
import { ProjectList } from '../features/projects/ProjectList';
import { ProjectView } from '../features/projects/ProjectView';
import { servePageTrainer } from '../trainer/page-trainer';
import { BROWSE, useRoute } from './route';

export function App() {
  const projects = useQuery('projects:list', {});
  const [route, go] = useRoute();
  const main = useRef<HTMLElement>(null);
  useEvent('projects:changed', () => projects.reload());
  const list = projects.data ?? [];
  const selected = route.kind === 'project' ? (list.find((p) => p.id === route.id) ?? null) : null;
  const open = (id: string) => go({ kind: 'project', id, tab: 'training' });
  // A retried clone is a new record: when the open project's record goes, follow the one with the same source.
  const lastSelected = useRef<Project | null>(null);
  if (selected) lastSelected.current = selected;
  const followId = route.kind === 'project' && !selected && projects.data ? list.find((p) => p.source === lastSelected.current?.source)?.id : undefined;
  useEffect(() => {
    if (followId && route.kind === 'project') go({ ...route, id: followId });
  }, [followId]);
  // Under `serve` this page is where WebGPU/WebGL runs train; the desktop app has a hidden window for that.
  useEffect(() => (api.host === 'http' ? servePageTrainer(api) : undefined), []);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main-content"
        onClick={(e) => {
          e.preventDefault(); // the fragment is the route: move focus, not the URL
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="app-header">
        <h1>ModelCommons</h1>
        <span className="muted">train community models here, and see who built them</span>
      </header>
      <div className="layout">
        <nav className="sidebar" aria-label="Projects">
          <button type="button" className={route.kind === 'browse' ? 'nav selected' : 'nav'} aria-current={route.kind === 'browse'} onClick={() => go(BROWSE)}>
            Browse catalog
          </button>
          <AddProjectForm onAdded={(p) => (projects.reload(), open(p.id))} />
          {projects.error && (
            <p role="alert" className="error">
              {projects.error}
            </p>
          )}
          <ProjectList projects={list} selectedId={selected?.id ?? null} onSelect={open} />
          <MachinePanel />
        </nav>
        <main className="content" id="main-content" tabIndex={-1} ref={main}>
          {route.kind === 'browse' && <CatalogBrowser projects={list} onOpen={open} onCloned={(p) => (projects.reload(), open(p.id))} />}
          {route.kind === 'project' && selected && (
            <ProjectView key={selected.id} project={selected} tab={route.tab} onTab={(tab) => go({ ...route, tab })} onRemoved={() => (projects.reload(), go(BROWSE))} />
          )}
          {route.kind === 'project' && !selected && (projects.data === undefined || projects.loading) && <p className="muted">Loading…</p>}
          {route.kind === 'project' && !selected && projects.data !== undefined && !projects.loading && (
            <div className="empty" role="status">
              <p>This project is not on this machine any more.</p>
              <button type="button" onClick={() => go(BROWSE)}>
                Browse the catalog
              </button>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
