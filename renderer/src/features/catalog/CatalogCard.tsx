// One catalog entry: what it is, its README excerpt (sanitized; no remote image loads), and Clone or Open.
import Markdown from 'react-markdown';
import type { CatalogHit } from '../../../../shared/catalog';
import type { Project } from '../../../../shared/contract';
import { useClone } from '../projects/useClone';
import { CardCloneActions } from './CardCloneActions';

interface Props {
  hit: CatalogHit;
  project: Project | undefined;
  onOpen: (projectId: string) => void;
  onCloned: (project: Project) => void;
  onTag: (tag: string) => void;
}

export function CatalogCard({ hit, project, onOpen, onCloned, onTag }: Props) {
  const { entry, catalog } = hit;
  const clone = useClone();
  const headingId = `card-${catalog.id}-${entry.name}`.replace(/[^\w-]/g, '-');

  async function cloneIt() {
    const p = await clone.clone(entry.url);
    if (p) onCloned(p);
  }

  return (
    <article className="card" aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>{entry.name}</h3>
        <span className="muted">{catalog.bundled ? 'ships with ModelCommons' : catalog.name}</span>
      </header>
      <p>{entry.description}</p>
      <p className="facts">
        <span className="badge">{entry.task}</span>
        <span className="badge">{entry.license}</span>
        {entry.size !== undefined && <span className="badge">{formatBytes(entry.size)}</span>}
        {entry.manifest && (
          <span className="muted">
            {entry.manifest.model}
            {entry.manifest.rows !== undefined ? ` · ${entry.manifest.rows.toLocaleString()} rows` : ''}
          </span>
        )}
      </p>
      {(entry.lastCommit || entry.contributors !== undefined) && (
        <p className="muted small">
          {entry.lastCommit && (
            <>
              Last commit {new Date(entry.lastCommit.date).toLocaleDateString()}: {entry.lastCommit.subject}
            </>
          )}
          {entry.contributors !== undefined && ` · ${entry.contributors} contributor${entry.contributors === 1 ? '' : 's'}`}
        </p>
      )}
      {entry.tags.length > 0 && (
        <p className="tags">
          {entry.tags.map((t) => (
            <button key={t} type="button" className="tag" onClick={() => onTag(t)}>
              #{t}
            </button>
          ))}
        </p>
      )}
      {entry.readme && (
        <details className="readme">
          <summary>README</summary>
          <Markdown skipHtml components={{ img: ({ alt }) => <span className="muted">[image: {alt || 'no description'}]</span>, a: SafeLink }}>
            {entry.readme}
          </Markdown>
        </details>
      )}
      <CardCloneActions name={entry.name} project={project} clone={clone} onClone={() => void cloneIt()} onOpen={onOpen} />
    </article>
  );
}

/** Links open outside the app (the desktop host sends http(s) links to the system browser). */
function SafeLink({ href, children }: { href?: string; children?: React.ReactNode }) {
  if (!href || !/^https?:\/\//i.test(href)) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}
