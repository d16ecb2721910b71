// The commits of the analysis as a table, oldest first: each row's sha is a button that opens its summary (the
// same as clicking its point); a chosen person's commits are marked.
import type { Commit } from '../../../../shared/contract';
import type { ModelImpact } from '../../../../shared/impact';
import { deltaText, intervalText, shortSha } from './format';
import { significanceText } from './significance';

interface Props {
  model: ModelImpact;
  subjects: ReadonlyMap<string, Commit>;
  selectedSha: string | null;
  person: string | null;
  onSelectCommit: (sha: string) => void;
}

export function CommitTable({ model, subjects, selectedSha, person, onSelectCommit }: Props) {
  return (
    <div className="table-scroller">
      <table className="data-table results-commits">
        <caption>Commits, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Commit</th>
            <th scope="col">Author</th>
            <th scope="col">Subject</th>
            <th scope="col">Touches the model</th>
            <th scope="col" className="num">
              {model.metric} [95 %]
            </th>
            <th scope="col" className="num">
              Δ [95 %]
            </th>
            <th scope="col">Beyond noise</th>
          </tr>
        </thead>
        <tbody>
          {model.commits.map((c) => {
            const mine = person !== null && c.credit.includes(person);
            return (
              <tr
                key={c.sha}
                data-sha={c.sha}
                className={['clickable', selectedSha === c.sha ? 'selected' : '', mine ? 'highlight' : ''].filter(Boolean).join(' ')}
                onClick={() => onSelectCommit(c.sha)}
              >
                <td>
                  <button type="button" className="link mono" aria-label={`Commit ${shortSha(c.sha)}: show its summary`} aria-pressed={selectedSha === c.sha}>
                    {shortSha(c.sha)}
                  </button>
                </td>
                <td>{c.author}</td>
                <td>{subjects.get(c.sha)?.subject ?? ''}</td>
                <td>{c.touchesModel ? 'yes' : 'no (docs-only)'}</td>
                <td className="num">{c.trained ? intervalText(c.metric) : '—'}</td>
                <td className="num">{c.touchesModel ? deltaText(c.delta) : '0 (exact)'}</td>
                <td>{significanceText(c.significant, c.delta.mean, c.trained)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
