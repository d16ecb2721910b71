// Adds a project by git URL or local folder, with git's own clone progress and a cancel button.
import { useState, type FormEvent } from 'react';
import type { EventPayload, Project } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';
import { ProgressBar } from '../../app/ProgressBar';

export function AddProjectForm({ onAdded }: { onAdded: (p: Project) => void }) {
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cloningId, setCloningId] = useState<string | null>(null);
  const [progress, setProgress] = useState<EventPayload<'clone:progress'> | null>(null);

  useEvent('projects:changed', (p) => {
    if (busy && p.status === 'cloning') setCloningId(p.id);
  });
  useEvent('clone:progress', (p) => {
    if (p.projectId === cloningId) setProgress(p);
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProgress(null);
    try {
      const project = await api.invoke('projects:add', { source });
      setSource('');
      onAdded(project);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
      setCloningId(null);
    }
  }

  return (
    <form className="add-project" onSubmit={submit} aria-label="Add a project">
      <label htmlFor="project-source">Add a project</label>
      <div className="row">
        <input
          id="project-source"
          value={source}
          onChange={(e) => setSource(e.target.value)}
          placeholder="Git URL or local folder"
          disabled={busy}
          required
        />
        <button type="submit" disabled={busy || !source.trim()}>
          Add
        </button>
      </div>
      {busy && (
        <div className="clone-progress">
          <ProgressBar
            label={progress ? `${progress.stage} ${progress.percent}%` : 'Starting clone…'}
            value={progress ? progress.percent / 100 : null}
          />
          <button
            type="button"
            onClick={() => cloningId && api.invoke('projects:cancelClone', { projectId: cloningId })}
            disabled={!cloningId}
          >
            Cancel clone
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
