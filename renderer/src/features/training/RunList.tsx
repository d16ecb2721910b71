// Every run of the project, newest first, with the commit it trained; a run that ended can be deleted.
import type { Run } from '../../../../shared/contract';
import { api } from '../../api/client';
import { ConfirmButton } from '../housekeeping/ConfirmButton';
import { defaultMetric } from './primary-metric';

interface Props {
  runs: Run[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** After a run was deleted (with its saved model). */
  onDeleted?: (id: string) => void;
  /** The metric the Result column shows (`metrics.primary`); a run without it shows its task's default. */
  primaryMetric?: string | null;
}

export function RunList({ runs, selectedId, onSelect, onDeleted, primaryMetric }: Props) {
  if (!runs.length) return <p className="muted">No runs yet.</p>;
  return (
    <table className="data-table runs" aria-label="Runs">
      <caption>Runs</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Commit</th>
          <th scope="col">Status</th>
          <th scope="col">Backend</th>
          <th scope="col" className="num">Result</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const [key, value] = primary(r, primaryMetric);
          return (
            <tr key={r.id} className={r.id === selectedId ? 'selected' : ''}>
              <td>
                <button className="link" onClick={() => onSelect(r.id)} aria-pressed={r.id === selectedId}>
                  {new Date(r.startedAt).toLocaleString()}
                </button>
              </td>
              <td className="mono">{r.commit.slice(0, 8)}</td>
              <td className={`status status-${r.status}`}>{r.status}</td>
              <td>{r.backend}</td>
              <td className="num">{value === undefined ? '—' : `${key} ${value.toFixed(4)}`}</td>
              <td>
                {r.status !== 'running' && (
                  <ConfirmButton
                    label="Delete"
                    ariaLabel={`Delete the run of ${new Date(r.startedAt).toLocaleString()}`}
                    question="Delete this run and its model?"
                    onConfirm={async () => {
                      await api.invoke('runs:delete', { runId: r.id });
                      onDeleted?.(r.id);
                    }}
                  />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function primary(run: Run, wanted: string | null | undefined): [string, number | undefined] {
  const key = wanted && run.metrics?.[wanted] !== undefined ? wanted : defaultMetric(run.task);
  return [key, run.metrics?.[key]];
}
