// The catalogs beside the bundled one: add one by git URL, refresh, remove.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';

export function CatalogManager({ onChanged }: { onChanged: () => void }) {
  const catalogs = useQuery('catalog:list', {});
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(label: string, action: () => Promise<unknown>) {
    setBusy(label);
    setError(null);
    try {
      await action();
      catalogs.reload();
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }

  async function add(e: FormEvent) {
    e.preventDefault();
    await run('add', () => api.invoke('catalog:add', { url }).then(() => setUrl('')));
  }

  return (
    <section className="catalog-manager" aria-labelledby="catalogs-title">
      <h3 id="catalogs-title">Catalogs</h3>
      <p className="muted">
        The examples ship with ModelCommons. Any community can publish a catalog: a git repository with a catalog.json.
      </p>
      <ul>
        {(catalogs.data ?? []).map((c) => (
          <li key={c.id} className="row">
            <span>
              {c.name} · {c.entries} projects · <span className="mono">{c.url}</span>
              {c.error && <span className="error"> · {c.error}</span>}
            </span>
            <button type="button" disabled={busy !== null} onClick={() => run(c.id, () => api.invoke('catalog:refresh', { catalogId: c.id }))}>
              Refresh
            </button>
            <button type="button" disabled={busy !== null} onClick={() => run(c.id, () => api.invoke('catalog:remove', { catalogId: c.id }))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="row" aria-label="Add a catalog">
        <input aria-label="Catalog git URL" placeholder="Git URL of a catalog" value={url} onChange={(e) => setUrl(e.target.value)} disabled={busy !== null} />
        <button type="submit" disabled={busy !== null || !url.trim()}>
          {busy === 'add' ? 'Adding…' : 'Add catalog'}
        </button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
