// One project: its summary and tabs for training, commits and contributors.
import { useState, type KeyboardEvent } from 'react';
import type { Project } from '../../../../shared/contract';
import { ImpactView } from '../contributors/ImpactView';
import { TrainingPanel } from '../training/TrainingPanel';
import { CommitList } from './CommitList';
import { UpdateBar } from './UpdateBar';

const tabs = ['Training', 'Commits', 'Contributors'] as const;
type Tab = (typeof tabs)[number];

export function ProjectView({ project }: { project: Project }) {
  const [tab, setTab] = useState<Tab>('Training');
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.indexOf(tab);
    const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : null;
    if (next) {
      setTab(next);
      document.getElementById(`tab-${next}`)?.focus();
    }
  };

  return (
    <article className="project-view" aria-labelledby="project-title">
      <header>
        <h2 id="project-title">{project.name}</h2>
        <p className="muted mono" title="Where the working copy lives">
          {project.path}
        </p>
        {project.source !== project.path && <p className="muted mono">from {project.source}</p>}
      </header>
      {project.status === 'failed' && (
        <p role="alert" className="error">
          {project.error ?? 'The clone failed.'} Add it again to retry.
        </p>
      )}
      {project.status === 'cloning' && <p className="muted">Cloning…</p>}
      {project.status === 'ready' && project.error && <p className="warn">{project.error}</p>}
      {project.status === 'ready' && (
        <>
          <UpdateBar project={project} />
          <div role="tablist" aria-label="Project sections" className="tabs" onKeyDown={onKey}>
            {tabs.map((t) => (
              <button
                key={t}
                id={`tab-${t}`}
                role="tab"
                aria-selected={tab === t}
                aria-controls={`panel-${t}`}
                tabIndex={tab === t ? 0 : -1}
                onClick={() => setTab(t)}
              >
                {t}
              </button>
            ))}
          </div>
          <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="panel">
            {tab === 'Training' && <TrainingPanel project={project} />}
            {tab === 'Commits' && <CommitList projectId={project.id} />}
            {tab === 'Contributors' && <ImpactView projectId={project.id} />}
          </section>
        </>
      )}
    </article>
  );
}
