// The list of projects on this machine; arrow keys move between them.
import type { KeyboardEvent } from 'react';
import type { Project } from '../../../../shared/contract';

interface Props {
  projects: Project[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function ProjectList({ projects, selectedId, onSelect }: Props) {
  if (!projects.length) return <p className="muted">No projects yet.</p>;
  const move = (e: KeyboardEvent, index: number) => {
    const next = e.key === 'ArrowDown' ? index + 1 : e.key === 'ArrowUp' ? index - 1 : -1;
    const target = projects[next];
    if (target) {
      e.preventDefault();
      onSelect(target.id);
      document.getElementById(`project-${target.id}`)?.focus();
    }
  };
  return (
    <ul className="project-list" aria-label="Projects on this machine">
      {projects.map((p, i) => (
        <li key={p.id}>
          <button
            id={`project-${p.id}`}
            className={p.id === selectedId ? 'project selected' : 'project'}
            aria-current={p.id === selectedId}
            onClick={() => onSelect(p.id)}
            onKeyDown={(e) => move(e, i)}
          >
            <span className="name">{p.name}</span>
            <span className={`status status-${p.status}`}>{p.status}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
