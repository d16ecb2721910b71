// Adds a project by git URL or local folder, with git's own clone progress and a cancel button.
import { useState, type FormEvent } from 'react';
import type { Project } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { CloneProgress } from './CloneProgress';
import { useClone } from './useClone';

export function AddProjectForm({ onAdded }: { onAdded: (p: Project) => void }) {
  const [source, setSource] = useState('');
  const [depth, setDepth] = useState('');
  const [destination, setDestination] = useState('');
  const [inPlace, setInPlace] = useState(false);
  const local = isLocalFolder(source);
  const clone = useClone();
  const info = useQuery('app:info', {});

  async function chooseFolder() {
    const { path } = await api.invoke('app:chooseFolder', { title: 'Clone into which folder?' });
    if (path) setDestination(path);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const project = await clone.clone(
      source,
      local && inPlace
        ? { inPlace: true }
        : {
            ...(Number(depth) > 0 ? { depth: Math.floor(Number(depth)) } : {}),
            ...(destination.trim() ? { destination: destination.trim() } : {}),
          },
    );
    if (project) {
      setSource('');
      onAdded(project);
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
          disabled={clone.busy}
          required
        />
        <button type="submit" disabled={clone.busy || !source.trim()}>
          Add
        </button>
      </div>
      {local && (
        <fieldset className="row local-choice" disabled={clone.busy}>
          <legend className="small">This is a folder on this machine</legend>
          <label>
            <input type="radio" name="local-mode" checked={!inPlace} onChange={() => setInPlace(false)} /> Clone a copy
          </label>
          <label>
            <input type="radio" name="local-mode" checked={inPlace} onChange={() => setInPlace(true)} /> Use this folder in place
          </label>
          {inPlace && <span className="muted small">Nothing is copied, and ModelCommons never writes into it.</span>}
        </fieldset>
      )}
      <details className="clone-options" hidden={local && inPlace}>
        <summary>Options</summary>
        <label>
          Only the latest{' '}
          <input type="number" min={1} inputMode="numeric" value={depth} onChange={(e) => setDepth(e.target.value)} aria-label="Shallow clone depth" className="narrow" />{' '}
          commits (shallow; full history when empty — contributor analytics want it all)
        </label>
        <label>
          Clone into{' '}
          <input value={destination} onChange={(e) => setDestination(e.target.value)} placeholder="a new or empty folder (absolute path)" aria-label="Destination folder" />
        </label>
        {info.data?.canChooseFolder && (
          <button type="button" onClick={() => void chooseFolder()}>
            Choose folder…
          </button>
        )}
        <span className="muted small">Empty: a new folder under {info.data ? info.data.home : 'the data folder'}/projects.</span>
      </details>
      <CloneProgress state={clone} />
      {clone.error && (
        <p role="alert" className="error">
          {clone.error}
        </p>
      )}
    </form>
  );
}

/** An absolute path (or ~/…, C:\…) is a folder here; URLs and user@host:path are remote. */
function isLocalFolder(source: string): boolean {
  const s = source.trim();
  return /^(\/|~(\/|$)|[a-zA-Z]:[\\/])/.test(s);
}
