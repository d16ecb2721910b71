// The clone's place against its upstream: branch, ahead/behind, local changes; check for updates and pull,
// switch branch, check out any commit or tag read-only, fetch the full history of a shallow clone.
import { useState, type FormEvent } from 'react';
import type { Project } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';

type Busy = 'fetch' | 'pull' | 'switch' | 'checkout' | 'deepen' | null;

export function UpdateBar({ project }: { project: Project }) {
  const status = useQuery('projects:gitStatus', { projectId: project.id, fetch: false });
  const branches = useQuery('projects:branches', { projectId: project.id });
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ label: string; run: () => Promise<unknown> } | null>(null);
  const [revision, setRevision] = useState('');
  const s = status.data;

  /** Runs a git action; when it refuses because of local changes, offers to retry discarding them. */
  async function act(kind: Exclude<Busy, null>, run: (discard: boolean) => Promise<string | null>) {
    setBusy(kind);
    setError(null);
    setMessage(null);
    setPending(null);
    try {
      setMessage(await run(false));
      status.reload();
      branches.reload();
    } catch (err) {
      const text = (err as Error).message;
      setError(text);
      if (/local changes/i.test(text)) {
        setPending({
          label: 'Discard the local changes and go on?',
          run: async () => {
            setPending(null);
            await act(kind, () => run(true));
          },
        });
      }
    } finally {
      setBusy(null);
    }
  }

  const pull = () =>
    act('pull', async (discardLocalChanges) => {
      const r = await api.invoke('projects:pull', { projectId: project.id, discardLocalChanges });
      return r.updated ? `Updated: ${r.commits} new commit${r.commits === 1 ? '' : 's'}` : 'Already up to date';
    });
  const check = () => act('fetch', async () => (await api.invoke('projects:gitStatus', { projectId: project.id, fetch: true }), null));
  const deepen = () => act('deepen', async () => (await api.invoke('projects:deepen', { projectId: project.id }), 'Full history fetched'));
  const switchTo = (branch: string) =>
    act('switch', async (discardLocalChanges) => (await api.invoke('projects:switchBranch', { projectId: project.id, branch, discardLocalChanges }), `On ${branch}`));
  const checkout = (e: FormEvent) => {
    e.preventDefault();
    const rev = revision.trim();
    if (!rev) return;
    void act('checkout', async (discardLocalChanges) => {
      const r = await api.invoke('projects:checkout', { projectId: project.id, revision: rev, discardLocalChanges });
      setRevision('');
      return `Checked out ${rev} (${r.head?.slice(0, 8)}) read-only`;
    });
  };

  if (!s) return status.error ? <p className="error">{status.error}</p> : null;
  const b = branches.data;
  const names = b ? [...new Set([...b.local, ...b.remote])].sort() : [];
  return (
    <div className="update-bar" aria-label="Updates">
      <label className="branch">
        <span className="muted">branch</span>{' '}
        <select
          aria-label="Branch"
          value={s.detached ? '' : (s.branch ?? '')}
          onChange={(e) => e.target.value && switchTo(e.target.value)}
          disabled={busy !== null}
        >
          {s.detached && <option value="">detached at {s.head?.slice(0, 8)} (read-only)</option>}
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <span className="mono visually-hidden" data-testid="branch">
        {s.detached ? `detached at ${s.head?.slice(0, 8)}` : s.branch}
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
        <button type="button" className="primary" onClick={pull} disabled={busy !== null}>
          {busy === 'pull' ? 'Updating…' : 'Pull'}
        </button>
      )}
      {s.shallow && (
        <button type="button" onClick={deepen} disabled={busy !== null} title="A shallow clone lacks older history; contributor analytics need all of it">
          {busy === 'deepen' ? 'Fetching history…' : 'Get full history'}
        </button>
      )}
      <form className="row" onSubmit={checkout} aria-label="Check out a commit or tag">
        <input value={revision} onChange={(e) => setRevision(e.target.value)} placeholder="commit or tag" aria-label="Commit or tag" className="short" />
        <button type="submit" disabled={busy !== null || !revision.trim()}>
          Check out
        </button>
      </form>
      {message && <span role="status">{message}</span>}
      {error && <span role="alert" className="error">{error}</span>}
      {pending && (
        <span className="confirm">
          {pending.label}{' '}
          <button type="button" onClick={() => void pending.run()}>
            Discard and go on
          </button>{' '}
          <button type="button" onClick={() => setPending(null)}>
            Keep them
          </button>
        </span>
      )}
    </div>
  );
}
