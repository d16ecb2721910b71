// The drops beyond seed noise of the analysis on screen, and a Bisect action over them: the core searches the
// model-touching commits between the best point before the first drop and the worst after it (bisect-range.ts) on
// the same yardstick and seeds, so the trainings already stored are reused, and names the first bad commit and
// its author. The last bisect is stored with the analysis and shown again after a reload.
import { useState } from 'react';
import type { ModelBisectResult, ModelImpact, ModelImpactProgress } from '../../../../shared/impact';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';
import { ProgressBar } from '../../app/ProgressBar';
import { bisectRange } from './bisect-range';
import { intervalText, progressText, shortSha, signed } from './format';

interface Props {
  projectId: string;
  model: ModelImpact;
  /** The last bisect on this analysis (from the store or from this page). */
  last: ModelBisectResult | null;
  /** Disabled while an analysis runs (the core runs one analysis or bisect per project at a time). */
  busy: boolean;
  onBisected: (result: ModelBisectResult) => void;
}

export function BisectPanel({ projectId, model, last, busy, onBisected }: Props) {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ModelImpactProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const range = bisectRange(model);
  const authorOf = new Map(model.commits.map((c) => [c.sha, c.author]));

  useEvent('impact:modelProgress', (p) => running && p.projectId === projectId && setProgress(p));

  async function bisect() {
    if (!range) return;
    setRunning(true);
    setProgress(null);
    setError(null);
    try {
      const result = await api.invoke('impact:bisect', { projectId, ...range, seeds: model.seeds, evaluation: model.evaluation.commit });
      onBisected(result);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRunning(false);
    }
  }

  if (model.bisect.length === 0) return null;
  const fraction = progress && progress.phase === 'training' && progress.total > 0 ? progress.done / progress.total : null;
  return (
    <section className="results-bisect" aria-labelledby="bisect-title">
      <h3 id="bisect-title">Drops beyond seed noise</h3>
      <ul>
        {model.bisect.map((b) => (
          <li key={b.sha}>
            <span className="mono">{shortSha(b.sha)}</span> by {b.author}: Δ {signed(b.delta.mean)}
          </li>
        ))}
      </ul>
      {range ? (
        <p className="row">
          <button type="button" onClick={() => void bisect()} disabled={running || busy}>
            Bisect
          </button>
          <span className="muted small">
            between <span className="mono">{shortSha(range.good)}</span> (good, {authorOf.get(range.good)}) and <span className="mono">{shortSha(range.bad)}</span> (bad,{' '}
            {authorOf.get(range.bad)}), on {model.evaluation.description}, {model.seeds} seeds
          </span>
        </p>
      ) : (
        <p className="muted small">No trained commit before the first drop to bisect from.</p>
      )}
      {running && <ProgressBar label={progress ? `Bisect: ${progressText(progress)}` : 'Bisect: starting…'} value={fraction} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {last && !running && <BisectOutcome result={last} />}
    </section>
  );
}

function BisectOutcome({ result }: { result: ModelBisectResult }) {
  if (!result.dropped || !result.firstBad) {
    return (
      <p className="bisect-outcome" data-testid="bisect-outcome">
        No drop beyond seed noise between <span className="mono">{shortSha(result.good.sha)}</span> ({intervalText(result.good.metric)}) and{' '}
        <span className="mono">{shortSha(result.bad.sha)}</span> ({intervalText(result.bad.metric)}): nothing to bisect.
      </p>
    );
  }
  const f = result.firstBad;
  return (
    <div className="bisect-outcome" data-testid="bisect-outcome">
      <p>
        First bad commit: <strong className="mono" data-sha={f.sha}>{shortSha(f.sha)}</strong> by <strong>{f.author}</strong> &lt;{f.email}&gt;, {result.metric}{' '}
        {intervalText(f.metric)} against {intervalText(result.good.metric)} at <span className="mono">{shortSha(result.good.sha)}</span> (good).
      </p>
      <p className="muted small">
        {result.steps.length} state{result.steps.length === 1 ? '' : 's'} tested between good and bad, {result.trainings} new training{result.trainings === 1 ? '' : 's'}
        {result.steps.length > 0 && ': '}
        {result.steps.map((s, i) => (
          <span key={s.sha}>
            {i > 0 && ', '}
            <span className="mono">{shortSha(s.sha)}</span> {s.bad ? 'bad' : 'good'}
          </span>
        ))}
      </p>
    </div>
  );
}
