// One contributor: identities, activity span, and their lines by category.
import { impactCategories } from '../../../../shared/impact';
import type { ScoredContributor } from './ImpactView';

export function ContributorDetails({ person, onClose }: { person: ScoredContributor; onClose: () => void }) {
  const max = Math.max(1, ...impactCategories.map((k) => person.categories[k].linesAdded + person.categories[k].linesDeleted));
  return (
    <section className="contributor" aria-labelledby="contributor-name">
      <header className="row">
        <h3 id="contributor-name">{person.name}</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="muted mono">{person.emails.join(', ')}</p>
      <p>
        {person.commits} commits, {person.merges} merges, {person.filesTouched} files, {person.activeDays} active days
        {person.firstCommit && ` · from ${new Date(person.firstCommit).toLocaleDateString()} to ${new Date(person.lastCommit!).toLocaleDateString()}`}
      </p>
      <p>
        Score {person.score.toFixed(3)} · share {(person.share * 100).toFixed(1)}% · G {person.components.g.toFixed(3)} · D {person.components.d.toFixed(3)} · PQ{' '}
        {person.components.pq.toFixed(3)}
      </p>
      <table className="data-table" aria-label={`Lines by category for ${person.name}`}>
        <tbody>
          {impactCategories.map((k) => {
            const c = person.categories[k];
            const total = c.linesAdded + c.linesDeleted;
            return (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td className="num">{c.commits} commits</td>
                <td className="num">
                  +{c.linesAdded} / −{c.linesDeleted}
                </td>
                <td className="bar-cell">
                  <div className="hbar" style={{ width: `${(total / max) * 100}%` }} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
