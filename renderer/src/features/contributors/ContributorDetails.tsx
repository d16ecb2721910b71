// One contributor: identities (merge with another person, split an alias off), activity span and timeline,
// lines by category, and the files changed most.
import { useState } from 'react';
import { impactCategories } from '../../../../shared/impact';
import { formatBytes } from '../../../../shared/format-bytes';
import { api } from '../../api/client';
import type { ScoredContributor } from './scored-contributor';
import { ContributorTimeline } from './ContributorTimeline';
import { MonthBars } from './MonthBars';

interface Props {
  projectId: string;
  person: ScoredContributor;
  others: ScoredContributor[];
  onClose: () => void;
  onIdentitiesChanged: () => void;
}

export function ContributorDetails({ projectId, person, others, onClose, onIdentitiesChanged }: Props) {
  const [mergeWith, setMergeWith] = useState('');
  const [error, setError] = useState<string | null>(null);
  const change = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      onIdentitiesChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const max = Math.max(1, ...impactCategories.map((k) => person.categories[k].linesAdded + person.categories[k].linesDeleted));
  return (
    <section className="contributor" aria-labelledby="contributor-name">
      <header className="row">
        <h3 id="contributor-name">{person.name}</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <ul className="identities" aria-label={`Identities of ${person.name}`}>
        {person.emails.map((email) => (
          <li key={email} className="row">
            <span className="mono">{email}</span>
            {person.emails.length > 1 && (
              <button type="button" onClick={() => change(() => api.invoke('impact:split', { projectId, identity: `${person.name} <${email}>` }))}>
                Split off
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="row">
        <label>
          Same person as{' '}
          <select value={mergeWith} onChange={(e) => setMergeWith(e.target.value)} aria-label="Same person as">
            <option value="">…</option>
            {others.map((o) => (
              <option key={o.email} value={o.email}>
                {o.name} &lt;{o.email}&gt;
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!mergeWith}
          onClick={() => {
            const other = others.find((o) => o.email === mergeWith);
            // "Name <email>": a placeholder address (example.org, localhost…) only identifies someone with the name.
            if (other) void change(() => api.invoke('impact:merge', { projectId, identities: [`${person.name} <${person.email}>`, `${other.name} <${other.email}>`] }));
          }}
        >
          Merge
        </button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      <p>
        {person.commits} commits, {person.merges} merges, {person.filesTouched} files, {person.activeDays} active days
        {person.firstCommit && ` · from ${new Date(person.firstCommit).toLocaleDateString()} to ${new Date(person.lastCommit!).toLocaleDateString()}`}
      </p>
      <p>
        Score {person.score.toFixed(3)} · share {(person.share * 100).toFixed(1)}% · G {person.components.g.toFixed(3)} · D {person.components.d.toFixed(3)} · PQ{' '}
        {person.components.pq.toFixed(3)}
      </p>
      <p data-testid="contributor-interaction">
        {person.logins.length > 0 && <span className="mono">{person.logins.map((l) => `@${l}`).join(', ')} · </span>}
        <span title="Issues (not pull requests) the person opened">{person.interaction.issuesOpened} issues opened</span>
        {' · '}
        <span title="Issues opened by someone else that the person commented on, once per issue">{person.interaction.answers} answers</span>
        {' · '}
        <span title="Others' pull requests the person reviewed, once per pull request (GitLab: approvals)">{person.interaction.reviews} reviews</span>
        {' · '}
        <span title="Review comments on others' pull requests">{person.interaction.reviewComments} review comments</span>
        {' · '}
        {person.reviewed} Reviewed-by/Acked-by trailers, {person.coAuthored} co-authored
      </p>
      {(person.logins.length > 0 || person.interactionActivity.length > 0) && <ContributorTimeline activity={person.interactionActivity} name={person.name} />}
      <MonthBars activity={person.activity} label={`Commits per month by ${person.name}`} testId="contributor-timeline" />
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
                  {k === 'data' && ' rows/lines'}
                  {c.files > 0 && ` · ${c.files} binary files, ${formatBytes(c.bytes)}`}
                </td>
                <td className="bar-cell">
                  <div className="hbar" style={{ width: `${(total / max) * 100}%` }} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {person.topFiles.length > 0 && (
        <table className="data-table top-files" aria-label={`Files changed most by ${person.name}`}>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Category</th>
              <th scope="col" className="num">
                Commits
              </th>
              <th scope="col" className="num">
                Lines +/−
              </th>
            </tr>
          </thead>
          <tbody>
            {person.topFiles.map((f) => (
              <tr key={f.path}>
                <td className="mono path">{f.path}</td>
                <td>{f.category}</td>
                <td className="num">{f.commits}</td>
                <td className="num">
                  +{f.linesAdded} / −{f.linesDeleted}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
