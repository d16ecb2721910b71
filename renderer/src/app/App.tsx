// The app's frame: the project list on the left, the open project on the right.
import { useState } from 'react';
import { useEvent, useQuery } from '../api/hooks';
import { AddProjectForm } from '../features/projects/AddProjectForm';
import { ProjectList } from '../features/projects/ProjectList';
import { ProjectView } from '../features/projects/ProjectView';

export function App() {
  const projects = useQuery('projects:list', {});
  const [selectedId, setSelectedId] = useState<string | null>(null);
  useEvent('projects:changed', () => projects.reload());
  const selected = projects.data?.find((p) => p.id === selectedId) ?? null;

  return (
    <div className="app">
      <header className="app-header">
        <h1>ModelCommons</h1>
        <span className="muted">train community models here, and see who built them</span>
      </header>
      <div className="layout">
        <aside className="sidebar" aria-label="Projects">
          <AddProjectForm onAdded={(p) => (projects.reload(), setSelectedId(p.id))} />
          {projects.error && <p role="alert" className="error">{projects.error}</p>}
          <ProjectList projects={projects.data ?? []} selectedId={selectedId} onSelect={setSelectedId} />
        </aside>
        <main className="content">
          {selected ? (
            <ProjectView key={selected.id} project={selected} />
          ) : (
            <div className="empty">
              <h2>No project open</h2>
              <p>Add a project by its git URL or a local folder, then pick it from the list.</p>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
