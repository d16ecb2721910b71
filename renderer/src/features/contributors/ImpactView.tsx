// Contributor impact: the weight sliders (live; δ weighs the model term M, from the last model analysis), filters,
// a virtualized sortable table, and one person's details.
import { useMemo, useState } from 'react';
import type { EventPayload } from '../../../../shared/contract';
import { DEFAULT_WEIGHTS, impactCategories, rescore, Weights, type ImpactCategory } from '../../../../shared/impact';
import { useEvent, useQuery } from '../../api/hooks';
import { ProgressBar } from '../../app/ProgressBar';
import { useStoredSetting } from '../../app/stored-setting';
import { ForgeConnect } from '../forge/ForgeConnect';
import { CategoryRulesEditor } from './CategoryRulesEditor';
import { ContributorDetails } from './ContributorDetails';
import { ImpactTable } from './ImpactTable';
import { MonthBars, sumActivity } from './MonthBars';

export function ImpactView({ projectId }: { projectId: string }) {
  const [includeBots, setIncludeBots] = useState(false);
  const [blame, setBlame] = useState(true);
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  // The person's weights hold across projects and reloads; until they move a slider, the report's defaults apply.
  const [weights, setWeights] = useStoredSetting('weights', Weights);
  const [category, setCategory] = useState<ImpactCategory | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  const [progress, setProgress] = useState<EventPayload<'impact:progress'> | null>(null);

  const report = useQuery('impact:analyze', {
    projectId,
    includeBots,
    blame,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  });
  useEvent('impact:progress', (p) => p.projectId === projectId && setProgress(p));

  const w = weights ?? report.data?.weights ?? DEFAULT_WEIGHTS;
  const rows = useMemo(() => {
    const scored = rescore(report.data?.contributors ?? [], w);
    return category ? scored.filter((c) => c.categories[category].commits > 0) : scored;
  }, [report.data, w, category]);
  const person = rows.find((c) => c.email === selected) ?? null;
  const model = report.data?.modelTerm;
  const sliders = [
    ['alpha', 'α code', null],
    ['beta', 'β docs & data', null],
    ['gamma', 'γ interaction', null],
    ['delta', 'δ model', model ? null : 'No model analysis yet: run one in Results & credit (with Shapley values); until then M is 0.'],
  ] as const;
  const projectActivity = useMemo(() => sumActivity(rows.map((c) => c.activity)), [rows]);

  return (
    <div className="impact">
      <fieldset className="weights">
        <legend>
          Score C = α·G (code) + β·D (docs, data) + γ·PQ (questions asked and answered, reviews, co-authoring) + δ·M (effect on the model: Shapley)
        </legend>
        {sliders.map(([key, label, missing]) => (
          <label key={key} className="slider">
            <span>{label}</span>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={w[key]}
              aria-label={label}
              aria-describedby={key === 'delta' ? 'delta-source' : undefined}
              onChange={(e) => setWeights({ ...w, [key]: Number(e.target.value) })}
            />
            <output>{w[key].toFixed(2)}</output>
            {missing && (
              <span id="delta-source" className="muted small">
                {missing}
              </span>
            )}
          </label>
        ))}
        {model && (
          <p id="delta-source" className="muted small">
            M: each person's positive Shapley value on {model.metric} over the total (negative ones count 0; signed in the Model column), from the model analysis of{' '}
            <span className="mono">{model.commit.slice(0, 8)}</span> on {new Date(model.analysedAt).toLocaleString()}.
          </p>
        )}
      </fieldset>
      <div className="row filters">
        <label>
          Category{' '}
          <select value={category} onChange={(e) => setCategory(e.target.value as ImpactCategory | '')}>
            <option value="">all</option>
            {impactCategories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Since <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label>
          Until <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
        <label>
          <input type="checkbox" checked={includeBots} onChange={(e) => setIncludeBots(e.target.checked)} /> include bots
        </label>
        <label>
          <input type="checkbox" checked={blame} onChange={(e) => setBlame(e.target.checked)} /> surviving lines (blame)
        </label>
      </div>
      {report.loading && (
        <ProgressBar
          label={progress ? `${progress.phase} ${progress.done.toLocaleString()}/${progress.total.toLocaleString()}` : 'Reading the history…'}
          value={progress && progress.total ? progress.done / progress.total : null}
        />
      )}
      <ForgeConnect projectId={projectId} onSynced={report.reload} />
      <CategoryRulesEditor projectId={projectId} onSaved={report.reload} />
      {report.error && <p role="alert" className="error">{report.error}</p>}
      {report.data && (
        <>
          <p className="muted" aria-live="polite">
            {rows.length.toLocaleString()} contributor{rows.length === 1 ? '' : 's'}
          </p>
          <MonthBars
            activity={projectActivity}
            label={`Project commits per month${category ? ` (contributors to ${category})` : ''}`}
            testId="project-activity"
          />
          <ImpactTable rows={rows} selected={selected} onSelect={setSelected} />
          {person && (
            <ContributorDetails
              projectId={projectId}
              person={person}
              others={rows.filter((c) => c.email !== person.email)}
              onClose={() => setSelected(null)}
              onIdentitiesChanged={report.reload}
            />
          )}
        </>
      )}
    </div>
  );
}
