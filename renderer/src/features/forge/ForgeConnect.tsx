// "Connect to GitHub/GitLab" on the Contributors tab: the project's forge (proposed from its remote URL), a
// token if the user has one, Sync with progress, "as of" and the rate budget left. Nothing is fetched before Connect.
import { useState } from 'react';
import type { EventPayload } from '../../../../shared/contract';
import type { ForgeKind, ForgeStatus } from '../../../../shared/forge';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';

interface Props {
  projectId: string;
  /** Called after a sync, so the contributor report is read again with the forge's people. */
  onSynced: () => void;
}

export function ForgeConnect({ projectId, onSynced }: Props) {
  const status = useQuery('forge:status', { projectId });
  const [editing, setEditing] = useState(false);
  const s = status.data;
  return (
    <section className="forge" aria-labelledby="forge-heading">
      <h3 id="forge-heading">Issues, answers and reviews</h3>
      {status.error && <p role="alert" className="error">{status.error}</p>}
      {s && (!s.connection || editing) ? (
        <ConnectForm
          status={s}
          onConnected={() => {
            setEditing(false);
            status.reload();
          }}
        />
      ) : s ? (
        <SyncControls status={s} onSynced={() => (status.reload(), onSynced())} onChange={() => setEditing(true)} />
      ) : null}
    </section>
  );
}

function ConnectForm({ status, onConnected }: { status: ForgeStatus; onConnected: () => void }) {
  const initial = status.connection ?? status.proposed;
  const [forge, setForge] = useState<ForgeKind>(initial?.forge ?? 'github');
  const [repo, setRepo] = useState(initial?.repo ?? '');
  const [apiUrl, setApiUrl] = useState(initial?.apiUrl ?? '');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="row"
      aria-label="Connect to GitHub or GitLab"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        api
          .invoke('forge:connect', { projectId: status.projectId, forge, repo, ...(apiUrl ? { apiUrl } : {}), ...(token ? { token } : {}) })
          .then(onConnected)
          .catch((err: Error) => setError(err.message));
      }}
    >
      <p className="muted">
        Count issues opened, issues of others answered and reviews from the project's forge. Nothing is fetched until you connect.
      </p>
      <label>
        Forge{' '}
        <select value={forge} onChange={(e) => setForge(e.target.value as ForgeKind)}>
          <option value="github">GitHub</option>
          <option value="gitlab">GitLab</option>
        </select>
      </label>
      <label>
        {forge === 'github' ? 'Owner/repo' : 'Group/project'} <input value={repo} onChange={(e) => setRepo(e.target.value)} placeholder={forge === 'github' ? 'octo/model' : 'group/model'} />
      </label>
      <label>
        API URL <input value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} placeholder={forge === 'github' ? 'https://api.github.com' : 'https://gitlab.com'} />
      </label>
      <label>
        Token (optional) <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
      </label>
      <button type="submit" disabled={!repo.trim()}>
        Connect to {forge === 'github' ? 'GitHub' : 'GitLab'}
      </button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

function SyncControls({ status, onSynced, onChange }: { status: ForgeStatus; onSynced: () => void; onChange: () => void }) {
  const [syncing, setSyncing] = useState(false);
  const [progress, setProgress] = useState<EventPayload<'forge:progress'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(null);
  useEvent('forge:progress', (p) => p.projectId === status.projectId && setProgress(p));
  const c = status.connection!;
  const rate = status.rate;
  return (
    <div>
      <p>
        {c.forge === 'github' ? 'GitHub' : 'GitLab'} <span className="mono">{c.repo}</span>
        {' · '}
        <span data-testid="forge-as-of">as of {status.syncedAt ? new Date(status.syncedAt).toLocaleString() : 'never synced'}</span>
        {rate && rate.remaining !== null && (
          <span className="muted">
            {' · '}rate limit: {rate.remaining.toLocaleString()} of {rate.limit?.toLocaleString() ?? '?'} left
            {rate.resetAt && ` until ${new Date(rate.resetAt).toLocaleTimeString()}`}
          </span>
        )}
        {!status.hasToken && <span className="muted"> · no token: public data only, lower rate limit</span>}
      </p>
      <p className="muted">
        {status.counts.issues} issues, {status.counts.pullRequests} pull requests, {status.counts.comments} comments, {status.counts.reviews} reviews,{' '}
        {status.counts.reviewComments} review comments
      </p>
      <div className="row">
        <button
          type="button"
          disabled={syncing}
          onClick={() => {
            setSyncing(true);
            setError(null);
            api
              .invoke('forge:sync', { projectId: status.projectId })
              .then((r) => (setLast(`${r.requests} requests, ${r.notModified} not modified`), onSynced()))
              .catch((err: Error) => setError(err.message))
              .finally(() => (setSyncing(false), setProgress(null)));
          }}
        >
          {syncing ? 'Syncing…' : 'Sync'}
        </button>
        <button type="button" onClick={onChange} disabled={syncing}>
          Change…
        </button>
        {syncing && progress && (
          <span aria-live="polite">
            {progress.waitingSeconds !== null ? `rate limit: waiting ${progress.waitingSeconds} s` : `${progress.list}: ${progress.fetched.toLocaleString()} items, ${progress.requests} requests`}
          </span>
        )}
        {!syncing && last && <span className="muted">last sync: {last}</span>}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
