// Results & credit: one project's model metric over its commits and each contributor's effect on it, measured by
// replaying the history (the core's model impact). Controls for seeds, method, budget and workers; Start, a
// progress bar and Cancel; a Start after a cancel or a reload resumes from the trainings already stored. The last
// finished analysis is read back from the store on open; its drops beyond noise can be bisected.
import { useMemo, useState, type FormEvent } from 'react';
import { modelImpactMethods, type ModelImpactMethod, type ModelImpactRequest } from '../../../../shared/impact';
import { useQuery } from '../../api/hooks';
import { ProgressBar } from '../../app/ProgressBar';
import { authorColors } from './author-colors';
import { BisectPanel } from './BisectPanel';
import { CommitSummary } from './CommitSummary';
import { CommitTable } from './CommitTable';
import { intervalText, metricText, progressText, shortSha } from './format';
import { MetricChart } from './MetricChart';
import { ModelContributorTable } from './ModelContributorTable';
import { useModelImpact } from './useModelImpact';

const methodLabels: Record<ModelImpactMethod, string> = {
  replay: 'Replay (Δ per commit)',
  loo: 'Leave-one-out',
  shapley: 'Shapley',
  all: 'All (replay, leave-one-out, Shapley)',
};

/** A whole number from a field, or undefined when the field is empty. */
function optionalWhole(raw: string): number | undefined {
  return raw.trim() === '' ? undefined : Number(raw);
}

export function ResultsView({ projectId }: { projectId: string }) {
  const { state, result, shown, start, cancel, bisected } = useModelImpact(projectId);
  const [seeds, setSeeds] = useState('3');
  const [method, setMethod] = useState<ModelImpactMethod>('all');
  const [budget, setBudget] = useState('');
  const [workers, setWorkers] = useState('');
  const [selectedSha, setSelectedSha] = useState<string | null>(null);
  const [person, setPerson] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  // The existing credit (share, commits) and the commits' subjects, joined to the model block once it exists.
  const credit = useQuery('impact:analyze', result ? { projectId, includeBots: true, blame: false } : null);
  const log = useQuery('projects:commits', result ? { projectId, limit: Math.min(5000, Math.max(200, result.commits.length)) } : null);
  const subjects = useMemo(() => new Map((log.data ?? []).map((c) => [c.sha, c])), [log.data]);
  const colors = useMemo(() => authorColors(result?.commits ?? []), [result]);
  const running = state.kind === 'running';
  const selected = result?.commits.find((c) => c.sha === selectedSha) ?? null;

  function onStart(e: FormEvent) {
    e.preventDefault();
    const n = Number(seeds);
    const b = optionalWhole(budget);
    const w = optionalWhole(workers);
    if (!Number.isInteger(n) || n < 2 || n > 50) return setFormError(`Seeds must be a whole number from 2 to 50, not "${seeds}"`);
    if (b !== undefined && (!Number.isInteger(b) || b < 1)) return setFormError(`Budget must be a whole number ≥ 1 or empty, not "${budget}"`);
    if (w !== undefined && (!Number.isInteger(w) || w < 1 || w > 64)) return setFormError(`Workers must be a whole number from 1 to 64 or empty, not "${workers}"`);
    setFormError(null);
    const request: ModelImpactRequest = { seeds: n, method, ...(b !== undefined ? { budget: b } : {}), ...(w !== undefined ? { workers: w } : {}) };
    void start(request);
  }

  const progress = state.kind === 'running' ? state.progress : null;
  const fraction = progress && progress.phase === 'training' && progress.total > 0 ? progress.done / progress.total : null;

  return (
    <div className="results">
      <form className="results-controls" aria-label="Model impact analysis" onSubmit={onStart}>
        <label>
          Seeds
          <input type="number" className="narrow" min={2} max={50} value={seeds} onChange={(e) => setSeeds(e.target.value)} disabled={running} />
        </label>
        <label>
          Method
          <select value={method} onChange={(e) => setMethod(e.target.value as ModelImpactMethod)} disabled={running}>
            {modelImpactMethods.map((m) => (
              <option key={m} value={m}>
                {methodLabels[m]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Budget (trainings)
          <input type="number" className="narrow" min={1} placeholder="none" value={budget} onChange={(e) => setBudget(e.target.value)} disabled={running} />
        </label>
        <label>
          Workers
          <input type="number" className="narrow" min={1} max={64} placeholder="per core" value={workers} onChange={(e) => setWorkers(e.target.value)} disabled={running} />
        </label>
        <button type="submit" className="primary" disabled={running}>
          Start
        </button>
        <button type="button" onClick={() => void cancel()} disabled={!running}>
          Cancel
        </button>
      </form>
      {formError && (
        <p role="alert" className="error">
          {formError}
        </p>
      )}
      {running && <ProgressBar label={progress ? progressText(progress) : 'Starting…'} value={fraction} />}
      <div role="status" className="results-status">
        {state.kind === 'cancelled' && <p className="warn">{state.message}. Start again to resume from them.</p>}
        {state.kind === 'failed' && <p className="error">{state.message}</p>}
        {shown?.stored && !running && (
          <p className="muted">
            The last analysis, from {new Date(shown.analysedAt).toLocaleString()} (kept in the store): Start again to refresh it.
          </p>
        )}
        {result && !running && (
          <p>
            {result.trainings} trainings run, <strong>{result.cached} trainings reused</strong> from earlier runs, {result.states} distinct model states
            (naive: {result.naive.commits} for the commits, {result.naive.coalitions} for every coalition).
          </p>
        )}
      </div>
      {!result && !running && state.kind === 'idle' && (
        <p className="muted">
          Replays the history: every commit that changes what training reads is trained {seeds || 'N'} times with paired seeds and scored on one fixed
          evaluation set, so each person's effect on the model can be told from seed noise.
        </p>
      )}
      {result && (
        <>
          <p className="results-yardstick">
            Evaluated on {result.evaluation.description}. {result.metric} at HEAD{' '}
            {intervalText(result.full)}, {result.higherIsBetter ? 'higher' : 'lower'} is better; nobody (trivial predictor) {metricText(result.empty.mean)}; seed noise at HEAD: sd{' '}
            {metricText(result.noise.sd)}, ±{metricText(result.noise.halfWidth)} ({result.seeds} seeds).
          </p>
          <MetricChart model={result} colors={colors} selectedSha={selectedSha} person={person} onSelectCommit={setSelectedSha} onSelectPerson={setPerson} />
          {selected && <CommitSummary model={result} commit={selected} details={subjects.get(selected.sha)} onClose={() => setSelectedSha(null)} />}
          <h3>Contributors</h3>
          {result.shapley && (
            <p className="muted small">
              Shapley: {result.shapley.kind} over {result.shapley.players} players ({result.shapley.samples} {result.shapley.kind === 'exact' ? 'coalitions' : 'permutations'}); the values sum
              to HEAD minus nobody (efficiency gap {result.shapley.efficiencyGap.toExponential(1)}).
            </p>
          )}
          <ModelContributorTable model={result} credit={credit.data?.contributors} person={person} onSelectPerson={setPerson} />
          <h3>Commits</h3>
          <CommitTable model={result} subjects={subjects} selectedSha={selectedSha} person={person} onSelectCommit={setSelectedSha} />
          <BisectPanel projectId={projectId} model={result} last={shown?.bisect ?? null} busy={running} onBisected={bisected} />
          {result.skipped.length > 0 && (
            <details className="results-skipped">
              <summary>{result.skipped.length} commits skipped in some coalitions (they cannot apply without a commit outside them)</summary>
              <ul>
                {result.skipped.map((s) => (
                  <li key={s.sha}>
                    <span className="mono">{shortSha(s.sha)}</span> by {s.author}, in {s.coalitions} coalitions
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </div>
  );
}
