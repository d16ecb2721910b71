// One-click training: the Train button, live loss curve, cancel, the results, and every earlier run.
import { useEffect, useMemo, useState } from 'react';
import type { EpochRecord, EventPayload, Project, Run } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';
import { ProgressBar } from '../../app/ProgressBar';
import { LossChart } from './LossChart';
import { RunList } from './RunList';
import { RunResult } from './RunResult';
import { SetupPanel } from '../setup/SetupPanel';
import type { BackendOption } from '../machine/backend-choices';
import { useBackendChoices } from '../machine/use-backend-choices';
import { phaseText } from './phase-text';
import { primaryFirst } from './primary-metric';

export function TrainingPanel({ project }: { project: Project }) {
  const manifest = useQuery('projects:manifest', { projectId: project.id });
  const runs = useQuery('runs:list', { projectId: project.id });
  const [live, setLive] = useState<Record<string, EpochRecord[]>>({});
  const [batch, setBatch] = useState<EventPayload<'training:batch'> | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [backend, setBackend] = useState<BackendOption>('auto');
  const choices = useBackendChoices();
  // The commit checked out now: the runs shown are its runs, not HEAD's of before a checkout.
  const git = useQuery('projects:gitStatus', { projectId: project.id });
  const head = git.data?.head ?? null;
  const [phase, setPhase] = useState<EventPayload<'training:phase'> | null>(null);
  // Another commit checked out: show its runs, not the one picked before.
  useEffect(() => setSelectedId(null), [head]);
  const trainable = !!manifest.data?.found && !manifest.data.error;
  useEffect(() => {
    // `auto` measures once per machine and model shape: do it now, while the person looks, not on their first click.
    if (trainable) void api.invoke('training:measure', { projectId: project.id }).catch(() => undefined);
  }, [project.id, trainable]);
  const [editSetup, setEditSetup] = useState(false);

  useEvent('training:progress', (p) => {
    if (p.projectId !== project.id) return;
    setLive((prev) => ({ ...prev, [p.runId]: [...(prev[p.runId] ?? []), p.record] }));
  });
  useEvent('training:batch', (p) => {
    if (p.projectId === project.id) setBatch(p);
  });
  useEvent('training:phase', (p) => {
    if (p.projectId === project.id) setPhase(p);
  });
  useEvent('training:started', (run) => {
    if (run.projectId === project.id) runs.reload();
  });
  useEvent('projects:changed', (p) => {
    if (p.id === project.id) git.reload();
  });
  useEvent('training:finished', (run) => {
    if (run.projectId === project.id) runs.reload();
  });

  const list = runs.data ?? [];
  const selected: Run | undefined = list.find((r) => r.id === selectedId) ?? (head ? list.find((r) => r.commit === head) : list[0]);
  const running = list.find((r) => r.status === 'running');
  const history = useMemo(() => (selected ? mergeHistory(selected.history, live[selected.id] ?? []) : []), [selected, live]);

  async function train(evaluate = false) {
    setError(null);
    setStarting(true);
    try {
      const run = await api.invoke('training:start', { projectId: project.id, backend, ...(evaluate ? { evaluate } : {}) });
      setSelectedId(run.id);
      runs.reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setStarting(false);
    }
  }

  async function cancel(runId: string) {
    try {
      await api.invoke('training:cancel', { runId });
      runs.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const m = manifest.data;
  const last = history.at(-1);
  return (
    <div className="training">
      <div className="train-bar">
        <button className="primary" onClick={() => void train()} disabled={!m?.found || !!m.error || !!running || starting}>
          Train
        </button>
        {m?.shippedWeights && !m.error && (
          <button onClick={() => void train(true)} disabled={!!running || starting} title="Score the model file's trained weights on the test rows, without training">
            Evaluate shipped model
          </button>
        )}
        <label className="row">
          <span className="muted">on</span>
          <select aria-label="Backend" value={backend} onChange={(e) => setBackend(e.target.value as BackendOption)}>
            {choices.map((c) => (
              <option key={c.value} value={c.value} disabled={c.unavailable !== null && c.value !== backend}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {m?.found && !m.error && (
          <span className="muted">
            {m.name} · {m.task} · {m.layers} layers · {m.epochs} epochs
          </span>
        )}
        {m?.source === 'overlay' && (
          <button className="link small" onClick={() => setEditSetup((v) => !v)} aria-expanded={editSetup}>
            Set up again (the repository has no modelcommons.json)
          </button>
        )}
      </div>
      {m && (!m.found || (m.source === 'overlay' && editSetup)) && (
        <SetupPanel
          project={project}
          onSaved={() => {
            setEditSetup(false);
            manifest.reload();
          }}
        />
      )}
      {m?.found && m.error && <p role="alert" className="error">{m.error}</p>}
      {error && <p role="alert" className="error">{error}</p>}

      {head && selected && selected.commit !== head && (
        <p className="warn" data-testid="other-commit">
          This run trained commit <span className="mono">{selected.commit.slice(0, 8)}</span>, not the one checked out (
          <span className="mono">{head.slice(0, 8)}</span>).
        </p>
      )}
      {head && !selected && list.length > 0 && (
        <p className="muted" data-testid="other-commit">
          No run of the checked-out commit <span className="mono">{head.slice(0, 8)}</span> yet: its earlier runs are in the list below.
        </p>
      )}
      {selected && (
        <section aria-label="Run" className="run">
          {selected.status === 'running' && (
            <div className="running">
              <ProgressBar {...runProgress(selected, last, batch?.runId === selected.id ? batch : null)} />
              <button onClick={() => cancel(selected.id)}>Cancel training</button>
            </div>
          )}
          <p aria-live="polite" className="epoch-line" data-testid="epoch-line">
            {last
              ? `Epoch ${last.epoch}/${selected.epochs} — loss ${last.loss.toFixed(4)}${primaryFirst(last.metrics, m?.primaryMetric)
                  .map(([k, v]) => ` — ${k} ${v.toFixed(4)}`)
                  .join('')}`
              : selected.status === 'running'
                ? phaseText(phase?.runId === selected.id ? phase : null, selected.device)
                : ''}
          </p>
          {selected.status === 'running' && selected.device && (
            <p className="muted run-facts" data-testid="device-line">
              Training on {selected.device}
            </p>
          )}
          <LossChart history={history} primaryMetric={m?.primaryMetric} />
          <RunResult run={selected} />
        </section>
      )}
      <RunList
        runs={list}
        selectedId={selected?.id ?? null}
        onSelect={setSelectedId}
        onDeleted={() => runs.reload()}
        primaryMetric={m?.primaryMetric}
      />
    </div>
  );
}

/** Progress within the run: whole epochs done, plus the part of the current epoch the last batch message gave. */
function runProgress(run: Run, last: EpochRecord | undefined, batch: EventPayload<'training:batch'> | null) {
  const done = last?.epoch ?? 0;
  const current = batch && batch.epoch > done ? batch : null;
  const fraction = (done + (current ? current.batch / current.batches : 0)) / run.epochs;
  const eta = current ? ` · about ${formatSeconds(current.etaSeconds)} left · ${Math.round(current.samplesPerSecond).toLocaleString()} samples/s` : '';
  return { label: `Epoch ${current?.epoch ?? Math.min(done + 1, run.epochs)} of ${run.epochs}${eta}`, value: fraction };
}

function formatSeconds(s: number): string {
  return s < 90 ? `${Math.max(1, Math.round(s))} s` : `${Math.round(s / 60)} min`;
}

function mergeHistory(stored: EpochRecord[], live: EpochRecord[]): EpochRecord[] {
  const byEpoch = new Map<number, EpochRecord>();
  for (const r of [...stored, ...live]) byEpoch.set(r.epoch, r);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}
