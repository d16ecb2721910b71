// The app's frame: Browse and the projects on this machine on the left; the open view on the right.
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useEvent, useQuery } from '../api/hooks';
import { CatalogBrowser } from '../features/catalog/CatalogBrowser';
import { MachinePanel } from '../features/machine/MachinePanel';
import { AddProjectForm } from '../features/projects/AddProjectForm';
import { ProjectList } from '../features/projects/ProjectList';
import { ProjectView } from '../features/projects/ProjectView';
import { servePageTrainer } from '../trainer/page-trainer';

type View = { kind: 'browse' } | { kind: 'project'; id: string };

export function App() {
  const projects = useQuery('projects:list', {});
  const [view, setView] = useState<View>({ kind: 'browse' });
  useEvent('projects:changed', () => projects.reload());
  const list = projects.data ?? [];
  const selected = view.kind === 'project' ? (list.find((p) => p.id === view.id) ?? null) : null;
  const open = (id: string) => setView({ kind: 'project', id });
  // Under `serve` this page is where WebGPU/WebGL runs train; the desktop app has a hidden window for that.
  useEffect(() => (api.host === 'http' ? servePageTrainer(api) : undefined), []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>ModelCommons</h1>
        <span className="muted">train community models here, and see who built them</span>
      </header>
      <div className="layout">
        <aside className="sidebar" aria-label="Projects">
          <button
            type="button"
            className={view.kind === 'browse' ? 'nav selected' : 'nav'}
            aria-current={view.kind === 'browse'}
            onClick={() => setView({ kind: 'browse' })}
          >
            Browse catalog
          </button>
          <AddProjectForm onAdded={(p) => (projects.reload(), open(p.id))} />
          {projects.error && <p role="alert" className="error">{projects.error}</p>}
          <ProjectList projects={list} selectedId={selected?.id ?? null} onSelect={open} />
          <MachinePanel />
        </aside>
        <main className="content">
          {view.kind === 'browse' && <CatalogBrowser projects={list} onOpen={open} onCloned={(p) => (projects.reload(), open(p.id))} />}
          {view.kind === 'project' && selected && <ProjectView key={selected.id} project={selected} />}
          {view.kind === 'project' && !selected && <p className="muted">Loading…</p>}
        </main>
      </div>
    </div>
  );
}
