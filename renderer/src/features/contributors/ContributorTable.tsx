// Who contributed to the project: name, email and non-merge commits (mailmap applied).
import { useQuery } from '../../api/hooks';

export function ContributorTable({ projectId }: { projectId: string }) {
  const contributors = useQuery('projects:contributors', { projectId });
  if (contributors.error) return <p role="alert" className="error">{contributors.error}</p>;
  if (!contributors.data) return <p className="muted">Loading contributors…</p>;
  return (
    <table className="data-table" aria-label="Contributors">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col" className="num">Commits</th>
        </tr>
      </thead>
      <tbody>
        {contributors.data.map((c) => (
          <tr key={`${c.name}<${c.email}>`}>
            <td>{c.name}</td>
            <td className="mono">{c.email}</td>
            <td className="num">{c.commits}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
