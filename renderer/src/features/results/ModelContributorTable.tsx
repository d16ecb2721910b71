// The contributor table with model columns beside the existing credit (share of the score, commits): Δ metric by
// replay, leave-one-out, Shapley with its interval, and a significance mark in words. A name is a toggle that
// highlights that person's commits on the curve.
import type { ContributorImpact, ModelImpact } from '../../../../shared/impact';
import { signed } from './format';
import { significanceText } from './significance';

interface Props {
  model: ModelImpact;
  /** The lines-and-commits report, when it has loaded (joined by email). */
  credit: readonly ContributorImpact[] | undefined;
  person: string | null;
  onSelectPerson: (email: string | null) => void;
}

export function ModelContributorTable({ model, credit, person, onSelectPerson }: Props) {
  const byEmail = new Map((credit ?? []).map((c) => [c.email, c]));
  const shapleyKind = model.shapley ? `${model.shapley.kind}, ${model.shapley.players} players` : 'not computed';
  return (
    <div className="table-scroller">
      <table className="data-table results-contributors">
        <caption>Contributors: credit and effect on {model.metric}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              Commits
            </th>
            <th scope="col" className="num">
              Δ {model.metric} (replay)
            </th>
            <th scope="col" className="num">
              Leave-one-out
            </th>
            <th scope="col" className="num">
              Shapley [95 %] ({shapleyKind})
            </th>
            <th scope="col">Beyond noise</th>
          </tr>
        </thead>
        <tbody>
          {model.contributors.map((c) => {
            const other = byEmail.get(c.email);
            const value = c.shapley?.mean ?? c.replayDelta;
            return (
              <tr key={c.email} data-email={c.email} className={person === c.email ? 'selected' : undefined}>
                <td>
                  <button type="button" className="link" aria-pressed={person === c.email} onClick={() => onSelectPerson(person === c.email ? null : c.email)}>
                    {c.name}
                  </button>
                  <span className="muted small"> {c.email}</span>
                  {c.bot && <span className="badge">bot</span>}
                </td>
                <td className="num">{other ? `${(other.share * 100).toFixed(1)}%` : '—'}</td>
                <td className="num">{other ? other.commits : '—'}</td>
                <td className="num">{signed(c.replayDelta)}</td>
                <td className="num">{c.leaveOneOut === null ? '—' : signed(c.leaveOneOut)}</td>
                <td className="num shapley" data-shapley={c.shapley?.mean}>{c.shapley ? `${signed(c.shapley.mean)} [${signed(c.shapley.low)}, ${signed(c.shapley.high)}]` : '—'}</td>
                <td>{significanceText(c.significant, value)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
