// The clone's place against its upstream: branch, ahead/behind, local changes; check for updates and pull.
import { useState } from 'react';
import type { Project } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';

export function UpdateBar({ project }: { project: Project }) {
  const status = useQuery('projects:gitStatus', { projectId: project.id, fetch: false });
  const [busy, setBusy] = useState<'fetch' | 'pull' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const s = status.data;

  async function check() {
    setBusy('fetch');
    setError(null);
    setMessage(null);
    try {
      await api.invoke('projects:gitStatus', { projectId: project.id, fetch: true });
      status.reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }

  async function pull(discardLocalChanges: boolean) {
    setBusy('pull');
    setError(null);
    setConfirmDiscard(false);
    try {
      const r = await api.invoke('projects:pull', { projectId: project.id, discardLocalChanges });
      setMessage(r.updated ? `Updated: ${r.commits} new commit${r.commits === 1 ? '' : 's'}` : 'Already up to date');
      status.reload();
    } catch (err) {
      const text = (err as Error).message;
      setError(text);
      if (/local changes/i.test(text)) setConfirmDiscard(true);
    } finally {
      setBusy(null);
    }
  }

  if (!s) return status.error ? <p className="error">{status.error}</p> : null;
  return (
    <div className="update-bar" aria-label="Updates">
      <span className="mono" data-testid="branch">
        {s.detached ? `detached at ${s.head?.slice(0, 8)} (read-only)` : s.branch}
      </span>
      {s.upstream && (
        <span data-testid="behind-ahead">
          {s.behind === 0 && s.ahead === 0 ? 'up to date' : [s.behind ? `${s.behind} behind` : '', s.ahead ? `${s.ahead} ahead` : ''].filter(Boolean).join(', ')}
        </span>
      )}
      {!s.clean && (
        <span className="warn">
          local changes: {s.modified} modified, {s.untracked} untracked
        </span>
      )}
      <button type="button" onClick={check} disabled={busy !== null}>
        {busy === 'fetch' ? 'Checking…' : 'Check for updates'}
      </button>
      {s.behind > 0 && (
        <button type="button" className="primary" onClick={() => pull(false)} disabled={busy !== null}>
          {busy === 'pull' ? 'Updating…' : 'Pull'}
        </button>
      )}
      {message && <span role="status">{message}</span>}
      {error && <span role="alert" className="error">{error}</span>}
      {confirmDiscard && (
        <span className="confirm">
          Discard the local changes and update?{' '}
          <button type="button" onClick={() => pull(true)}>
            Discard and update
          </button>{' '}
          <button type="button" onClick={() => setConfirmDiscard(false)}>
            Keep them
          </button>
        </span>
      )}
    </div>
  );
}
