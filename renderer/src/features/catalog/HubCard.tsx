// One Hugging Face Hub model as a card beside the catalogs' cards: its facts, a link to its Hub page, and Clone
// (the Hub serves each model as a git repository; the core clones it with its LFS weights) or Open.
import { HUB_SOURCE_NAME, type HubModel } from '../../../../shared/catalog';
import type { Project } from '../../../../shared/contract';
import { useClone } from '../projects/useClone';
import { CardCloneActions } from './CardCloneActions';

interface Props {
  model: HubModel;
  project: Project | undefined;
  onOpen: (projectId: string) => void;
  onCloned: (project: Project) => void;
}

export function HubCard({ model, project, onOpen, onCloned }: Props) {
  const clone = useClone();
  const headingId = `hub-${model.id}`.replace(/[^\w-]/g, '-');

  async function cloneIt() {
    const p = await clone.clone(model.cloneUrl);
    if (p) onCloned(p);
  }

  return (
    <article className="card" aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>{model.id}</h3>
        <span className="muted">{HUB_SOURCE_NAME}</span>
      </header>
      <p className="facts">
        <span className="badge">{model.library ?? 'no library'}</span>
        <span className="muted">by {model.author || 'unknown'}</span>
      </p>
      <p className="muted small">
        {model.downloads.toLocaleString()} downloads · {model.likes.toLocaleString()} likes · updated {new Date(model.lastModified).toLocaleDateString()}
      </p>
      <p className="small">
        <a href={model.pageUrl} target="_blank" rel="noopener noreferrer">
          {model.id} on the Hub
        </a>
      </p>
      <CardCloneActions name={model.id} project={project} clone={clone} onClone={() => void cloneIt()} onOpen={onOpen} />
    </article>
  );
}
