// One project: its summary and tabs for training, commits, contributors and results & credit (the tab is part of the route).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Project } from '../../../../shared/contract';
import { api } from '../../api/client';
import { projectTabs, type ProjectTab } from '../../app/route';
import { ImpactView } from '../contributors/ImpactView';
import { ResultsView } from '../results/ResultsView';
import { ConfirmButton } from '../housekeeping/ConfirmButton';
import { DiskUseLine } from '../housekeeping/DiskUseLine';
import { TrainingPanel } from '../training/TrainingPanel';
import { CommitList } from './CommitList';
import { UpdateBar } from './UpdateBar';

const tabLabels: Record<ProjectTab, string> = { training: 'Training', commits: 'Commits', contributors: 'Contributors', results: 'Results & credit' };

interface Props {
  project: Project;
  tab: ProjectTab;
  onTab: (tab: ProjectTab) => void;
  /** After the project was removed (the view then shows something else). */
  onRemoved?: () => void;
}

export function ProjectView({ project, tab, onTab, onRemoved }: Props) {
  const title = useRef<HTMLHeadingElement>(null);
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<string | null>(null);
  // Opening a project after Clone or Add puts focus on its title, not on <body>; arrowing through the project list
  // keeps focus in the list.
  useEffect(() => {
    if (!document.activeElement?.closest('.project-list')) title.current?.focus();
  }, [project.id]);

  const onKey = (e: KeyboardEvent) => {
    const i = projectTabs.indexOf(tab);
    const next = e.key === 'ArrowRight' ? projectTabs[(i + 1) % projectTabs.length] : e.key === 'ArrowLeft' ? projectTabs[(i + projectTabs.length - 1) % projectTabs.length] : null;
    if (next) {
      onTab(next);
      document.getElementById(`tab-${next}`)?.focus();
    }
  };

  async function retry() {
    setRetrying(true);
    setRetryError(null);
    try {
      // The core starts a failed clone over as a new record; the app follows it by its source.
      await api.invoke('projects:add', { source: project.source });
    } catch (err) {
      setRetryError((err as Error).message);
    } finally {
      setRetrying(false);
    }
  }

  // The folder goes only when the app made it (the core decides): the question says which.
  const removeButton = (
    <ConfirmButton
      label="Remove project"
      question={project.kind === 'local' ? 'Remove it and its runs? Your folder stays.' : 'Remove it, its runs and its clone folder?'}
      onConfirm={async () => {
        await api.invoke('projects:remove', { projectId: project.id });
        onRemoved?.();
      }}
    />
  );

  return (
    <article className="project-view" aria-labelledby="project-title">
      <header>
        <h2 id="project-title" tabIndex={-1} ref={title}>
          {project.name}
        </h2>
        <p className="muted mono" title="Where the working copy lives">
          {project.path}
        </p>
        {project.source !== project.path && <p className="muted mono">from {project.source}</p>}
        {project.status !== 'cloning' && <DiskUseLine projectId={project.id} />}
        {project.status === 'ready' && removeButton}
      </header>
      {project.status === 'failed' && (
        <div className="row failed-clone">
          <p role="alert" className="error">
            {retryError ?? project.error ?? 'The clone failed.'}
          </p>
          <button type="button" onClick={() => void retry()} disabled={retrying}>
            {retrying ? 'Retrying…' : 'Retry clone'}
          </button>
          {removeButton}
        </div>
      )}
      {project.status === 'cloning' && <p className="muted">Cloning…</p>}
      {project.status === 'ready' && project.error && <p className="warn">{project.error}</p>}
      {project.status === 'ready' && (
        <>
          {project.kind === 'local' ? (
            <p className="muted small">Your own folder, used in place: ModelCommons reads it and never changes it (update it with git there).</p>
          ) : (
            <UpdateBar project={project} />
          )}
          <div role="tablist" aria-label="Project sections" className="tabs" onKeyDown={onKey}>
            {projectTabs.map((t) => (
              <button
                key={t}
                id={`tab-${t}`}
                role="tab"
                aria-selected={tab === t}
                aria-controls={`panel-${t}`}
                tabIndex={tab === t ? 0 : -1}
                onClick={() => onTab(t)}
              >
                {tabLabels[t]}
              </button>
            ))}
          </div>
          <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="panel">
            {tab === 'training' && <TrainingPanel project={project} />}
            {tab === 'commits' && <CommitList projectId={project.id} />}
            {tab === 'contributors' && <ImpactView projectId={project.id} />}
            {tab === 'results' && <ResultsView key={project.id} projectId={project.id} />}
          </section>
        </>
      )}
    </article>
  );
}
