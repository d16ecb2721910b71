// A card's Open/Clone button with the clone's progress and error: one for the catalogs' cards and the Hub's.
import type { Project } from '../../../../shared/contract';
import { CloneProgress } from '../projects/CloneProgress';
import type { CloneState } from '../projects/useClone';

export function CardCloneActions({ name, project, clone, onClone, onOpen }: {
  readonly name: string;
  readonly project: Project | undefined;
  readonly clone: CloneState;
  readonly onClone: () => void;
  readonly onOpen: (projectId: string) => void;
}) {
  return (
    <>
      <div className="card-actions">
        {project ? (
          <button type="button" onClick={() => onOpen(project.id)}>
            Open
          </button>
        ) : (
          <button type="button" className="primary" onClick={onClone} disabled={clone.busy} aria-label={`Clone ${name}`}>
            Clone
          </button>
        )}
      </div>
      <CloneProgress state={clone} />
      {clone.error && (
        <p role="alert" className="error">
          {clone.error}
        </p>
      )}
    </>
  );
}
