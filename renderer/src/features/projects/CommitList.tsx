// The project's latest commits.
import { useQuery } from '../../api/hooks';

export function CommitList({ projectId }: { projectId: string }) {
  const commits = useQuery('projects:commits', { projectId, limit: 200 });
  if (commits.error) return <p role="alert" className="error">{commits.error}</p>;
  if (!commits.data) return <p className="muted">Loading commits…</p>;
  return (
    <table className="data-table" aria-label="Commits">
      <thead>
        <tr>
          <th scope="col">Commit</th>
          <th scope="col">Author</th>
          <th scope="col">Date</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {commits.data.map((c) => (
          <tr key={c.sha}>
            <td className="mono">{c.sha.slice(0, 8)}</td>
            <td>{c.author}</td>
            <td>{new Date(c.date).toLocaleDateString()}</td>
            <td>{c.subject}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
