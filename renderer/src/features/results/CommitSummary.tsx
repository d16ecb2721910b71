// One commit of the analysis: who it credits, what it changed for the model, its metric and delta with their
// intervals, the tests behind "significant", and the paired runs behind its point (one per seed).
import type { Commit } from '../../../../shared/contract';
import type { ModelImpact, ModelImpactCommit } from '../../../../shared/impact';
import { deltaText, intervalText, metricText, shortSha } from './format';
import { significanceText } from './significance';

interface Props {
  model: ModelImpact;
  commit: ModelImpactCommit;
  details: Commit | undefined;
  onClose: () => void;
}

export function CommitSummary({ model, commit: c, details, onClose }: Props) {
  const p = (v: number | null) => (v === null ? '—' : v < 0.001 ? v.toExponential(1) : v.toFixed(3));
  return (
    <section className="commit-summary" aria-labelledby="commit-summary-title">
      <header className="row">
        <h3 id="commit-summary-title">
          Commit <span className="mono">{shortSha(c.sha)}</span>
        </h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <dl className="facts-list">
        <dt>sha</dt>
        <dd className="mono">{c.sha}</dd>
        <dt>Author</dt>
        <dd>
          {c.author} &lt;{c.email}&gt;
          {c.credit.length > 1 && <span className="muted"> (credits {c.credit.join(', ')})</span>}
        </dd>
        <dt>Subject</dt>
        <dd>{details?.subject ?? '—'}</dd>
        {details && (
          <>
            <dt>Date</dt>
            <dd>{details.date}</dd>
          </>
        )}
        <dt>Touches the model</dt>
        <dd>{c.touchesModel ? 'yes' : 'no: it changes nothing training reads (docs-only), so its Δ is exactly 0'}</dd>
        <dt>Trained</dt>
        <dd>{c.trained ? `yes, ${model.seeds} paired seeds` : 'no'}</dd>
        <dt>{model.metric}</dt>
        <dd>{intervalText(c.metric)}</dd>
        <dt>Δ {model.metric}</dt>
        <dd>{c.touchesModel ? deltaText(c.delta) : '0 (exact)'}</dd>
        <dt>Significant</dt>
        <dd>
          {significanceText(c.significant, c.delta.mean, c.trained)}
          {c.pValue !== null && <span className="muted"> (paired t-test p = {p(c.pValue)}{c.mcnemarP !== null ? `, McNemar p = ${p(c.mcnemarP)}` : ''})</span>}
        </dd>
        {c.problem && (
          <>
            <dt>Scored as the trivial predictor</dt>
            <dd>{c.problem}</dd>
          </>
        )}
      </dl>
      <table className="data-table results-runs">
        <caption>
          Runs behind this point: {c.runs.length} seed{c.runs.length === 1 ? '' : 's'}
          {c.runs.length > 0 && !c.touchesModel ? " (the same state as its parent's, not trained again)" : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Seed</th>
            <th scope="col" className="num">
              {model.metric}
            </th>
          </tr>
        </thead>
        <tbody>
          {c.runs.length === 0 ? (
            <tr>
              <td colSpan={2} className="muted">
                No runs: the state could not be trained, so it scores as the trivial predictor.
              </td>
            </tr>
          ) : (
            c.runs.map((r) => (
              <tr key={r.seed} data-seed={r.seed}>
                <td>{r.seed}</td>
                <td className="num">{metricText(r.metric)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
