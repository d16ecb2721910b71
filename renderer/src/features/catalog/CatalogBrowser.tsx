// Browse and search every catalog (the bundled one works offline), and clone a project from its card.
import { useEffect, useState } from 'react';
import { catalogTasks, type CatalogHit } from '../../../../shared/catalog';
import type { Project } from '../../../../shared/contract';
import { useQuery } from '../../api/hooks';
import { CatalogCard } from './CatalogCard';
import { CatalogManager } from './CatalogManager';
import { HubBrowser } from './HubBrowser';

interface Props {
  projects: Project[];
  onOpen: (projectId: string) => void;
  onCloned: (project: Project) => void;
}

export function CatalogBrowser({ projects, onOpen, onCloned }: Props) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [task, setTask] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [license, setLicense] = useState('');
  const [maxSize, setMaxSize] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQuery(text.trim()), 200);
    return () => clearTimeout(t);
  }, [text]);

  const search = useQuery('catalog:search', {
    ...(query ? { query } : {}),
    ...(task ? { task: task as (typeof catalogTasks)[number] } : {}),
    ...(tag ? { tags: [tag] } : {}),
    ...(license.trim() ? { license: license.trim() } : {}),
    ...(Number(maxSize) > 0 ? { maxSize: Math.round(Number(maxSize) * 1024 * 1024) } : {}),
  });
  const hits: CatalogHit[] = search.data?.hits ?? [];

  return (
    <section className="catalog" aria-labelledby="catalog-title">
      <header className="catalog-header">
        <h2 id="catalog-title">Browse model projects</h2>
        <div className="row filters" role="search">
          <input
            type="search"
            aria-label="Search projects"
            placeholder="Search by name, description or tag"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <select aria-label="Task" value={task} onChange={(e) => setTask(e.target.value)}>
            <option value="">Any task</option>
            {catalogTasks.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <input aria-label="License" placeholder="License (e.g. MIT)" value={license} onChange={(e) => setLicense(e.target.value)} className="short" />
          <label className="row">
            <span className="muted">at most</span>
            <input aria-label="Largest size in MB" type="number" min={0} step="any" value={maxSize} onChange={(e) => setMaxSize(e.target.value)} className="narrow" />
            <span className="muted">MB</span>
          </label>
          {tag && (
            <button type="button" onClick={() => setTag(null)} aria-label={`Remove the tag filter ${tag}`}>
              tag: {tag} ✕
            </button>
          )}
        </div>
      </header>
      {search.error && <p role="alert" className="error">{search.error}</p>}
      {search.data?.skipped.map((s) => (
        <p key={s.catalogId} className="muted">
          Catalog “{s.name}” could not be read: {s.error}
        </p>
      ))}
      <p className="muted" aria-live="polite">
        {search.data ? `${hits.length} project${hits.length === 1 ? '' : 's'}` : 'Searching…'}
      </p>
      <ul className="cards" aria-label="Catalog projects">
        {hits.map((hit) => (
          <li key={`${hit.catalog.id}:${hit.entry.url}`}>
            <CatalogCard
              hit={hit}
              project={projects.find((p) => p.source === hit.entry.url)}
              onOpen={onOpen}
              onCloned={onCloned}
              onTag={setTag}
            />
          </li>
        ))}
      </ul>
      <HubBrowser query={query} projects={projects} onOpen={onOpen} onCloned={onCloned} />
      <CatalogManager onChanged={search.reload} />
    </section>
  );
}
