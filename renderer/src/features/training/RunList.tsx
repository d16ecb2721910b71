// Every run of the project, newest first, with the commit it trained.
import type { Run } from '../../../../shared/contract';

interface Props {
  runs: Run[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function RunList({ runs, selectedId, onSelect }: Props) {
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
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const [key, value] = primary(r);
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
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function primary(run: Run): [string, number | undefined] {
  const key = run.task === 'classification' ? 'accuracy' : 'r2';
  return [key, run.metrics?.[key]];
}
