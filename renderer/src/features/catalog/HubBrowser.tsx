// The Hugging Face Hub as a browse source: off until the user turns it on (nothing goes online before), then the
// Hub's models for the search text and a library, shown "as of" when they were read; when the Hub cannot be
// reached, the listing stored for that search, with the reason in one line. A token is optional, kept in memory.
import { useState, type FormEvent } from 'react';
import { HUB_LIBRARIES, HUB_SOURCE_NAME, type HubModel, type HubSettings } from '../../../../shared/catalog';
import type { Project } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { HubCard } from './HubCard';

interface Props {
  /** The search text typed above the catalogs' cards. */
  query: string;
  projects: Project[];
  onOpen: (projectId: string) => void;
  onCloned: (project: Project) => void;
}

export function HubBrowser({ query, projects, onOpen, onCloned }: Props) {
  const loaded = useQuery('hub:settings', {});
  /** The core's answer to the last change (newer than the settings first loaded). */
  const [answer, setAnswer] = useState<HubSettings | null>(null);
  const current = answer ?? loaded.data;
  const [library, setLibrary] = useState<string>('keras');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  /** The box as the user just set it, until the core answers. */
  const [chosen, setChosen] = useState<boolean | null>(null);
  const enabled = chosen ?? current?.enabled ?? false;
  const search = useQuery('hub:search', enabled ? { ...(query ? { query } : {}), ...(library ? { library } : {}) } : null);
  const result = enabled ? search.data : undefined;
  const models: HubModel[] = result?.models ?? [];

  async function change(action: () => Promise<HubSettings>): Promise<boolean> {
    setError(null);
    try {
      setAnswer(await action());
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    }
  }

  async function turn(on: boolean) {
    setChosen(on);
    await change(() => api.invoke('hub:setEnabled', { enabled: on }));
    setChosen(null);
  }

  async function submitToken(e: FormEvent) {
    e.preventDefault();
    if (await change(() => api.invoke('hub:setToken', { token: token.trim() || null }))) {
      setToken('');
      search.reload();
    }
  }

  return (
    <section className="catalog-hub" aria-labelledby="hub-title">
      <h3 id="hub-title">{HUB_SOURCE_NAME}</h3>
      <label className="row">
        <input type="checkbox" checked={enabled} disabled={!current} onChange={(e) => void turn(e.target.checked)} />
        <span>Search the {HUB_SOURCE_NAME} (online)</span>
      </label>
      {!enabled && current && <p className="muted">Off: nothing is sent to {current.hubUrl} until you turn it on.</p>}
      {enabled && (
        <>
          <div className="row filters">
            <select aria-label="Hub library" value={library} onChange={(e) => setLibrary(e.target.value)}>
              <option value="">Any library</option>
              {HUB_LIBRARIES.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
            {search.loading && (
              <button type="button" onClick={() => void api.invoke('hub:cancel', {})}>
                Cancel Hub search
              </button>
            )}
            <form onSubmit={submitToken} className="row" aria-label="Hub token">
              <input
                type="password"
                autoComplete="off"
                aria-label="Hub token (optional)"
                placeholder={current?.token === 'none' ? 'Token (optional, hf_…)' : `Token in use (${current?.token})`}
                value={token}
                onChange={(e) => setToken(e.target.value)}
              />
              <button type="submit">{token.trim() ? 'Use token' : 'Forget token'}</button>
            </form>
          </div>
          <p className="muted" aria-live="polite" data-testid="hub-status">
            {search.loading && !result
              ? 'Searching the Hub…'
              : result
                ? `${models.length} model${models.length === 1 ? '' : 's'}${result.asOf ? ` as of ${new Date(result.asOf).toLocaleString()}` : ''}${result.fromCache ? ' (stored listing)' : ''}`
                : ''}
          </p>
          {(search.error ?? result?.error) && (
            <p role="alert" className="error">
              {search.error ?? result?.error}
            </p>
          )}
          <ul className="cards" aria-label={`${HUB_SOURCE_NAME} models`}>
            {models.map((m) => (
              <li key={m.id}>
                <HubCard model={m} project={projects.find((p) => p.source === m.cloneUrl)} onOpen={onOpen} onCloned={onCloned} />
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
