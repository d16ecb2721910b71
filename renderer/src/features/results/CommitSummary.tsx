// One commit of the analysis: who it credits, what it changed for the model, its metric and delta with their
// intervals, and the tests behind "significant".
import type { Commit } from '../../../../shared/contract';
import type { ModelImpact, ModelImpactCommit } from '../../../../shared/impact';
import { deltaText, intervalText, shortSha } from './format';
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
    </section>
  );
}
