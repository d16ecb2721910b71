// One-click training: the Train button, live loss curve, cancel, the results, and every earlier run.
import { useMemo, useState } from 'react';
import type { EpochRecord, EventPayload, Project, Run } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';
import { ProgressBar } from '../../app/ProgressBar';
import { LossChart } from './LossChart';
import { RunList } from './RunList';
import { RunResult } from './RunResult';

export function TrainingPanel({ project }: { project: Project }) {
  const manifest = useQuery('projects:manifest', { projectId: project.id });
  const runs = useQuery('runs:list', { projectId: project.id });
  const [live, setLive] = useState<Record<string, EpochRecord[]>>({});
  const [batch, setBatch] = useState<EventPayload<'training:batch'> | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [backend, setBackend] = useState<(typeof backendOptions)[number]>('auto');

  useEvent('training:progress', (p) => {
    if (p.projectId !== project.id) return;
    setLive((prev) => ({ ...prev, [p.runId]: [...(prev[p.runId] ?? []), p.record] }));
  });
  useEvent('training:batch', (p) => {
    if (p.projectId === project.id) setBatch(p);
  });
  useEvent('training:finished', (run) => {
    if (run.projectId === project.id) runs.reload();
  });

  const list = runs.data ?? [];
  const selected: Run | undefined = list.find((r) => r.id === selectedId) ?? list[0];
  const running = list.find((r) => r.status === 'running');
  const history = useMemo(() => (selected ? mergeHistory(selected.history, live[selected.id] ?? []) : []), [selected, live]);

  async function train() {
    setError(null);
    setStarting(true);
    try {
      const run = await api.invoke('training:start', { projectId: project.id, backend });
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
        <button className="primary" onClick={train} disabled={!m?.found || !!m.error || !!running || starting}>
          Train
        </button>
        <label className="row">
          <span className="muted">on</span>
          <select aria-label="Backend" value={backend} onChange={(e) => setBackend(e.target.value as (typeof backendOptions)[number])}>
            {backendOptions.map((b) => (
              <option key={b} value={b}>
                {b === 'auto' ? 'auto (the fastest here)' : b === 'webgl' || b === 'webgpu' ? `${b} (the GPU, through Chromium)` : b}
              </option>
            ))}
          </select>
        </label>
        {m?.found && !m.error && (
          <span className="muted">
            {m.name} · {m.task} · {m.layers} layers · {m.epochs} epochs
          </span>
        )}
        {m && !m.found && <span className="muted">This project has no modelcommons.json, so there is nothing to train.</span>}
      </div>
      {m?.found && m.error && <p role="alert" className="error">{m.error}</p>}
      {error && <p role="alert" className="error">{error}</p>}

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
              ? `Epoch ${last.epoch}/${selected.epochs} — loss ${last.loss.toFixed(4)}${Object.entries(last.metrics)
                  .map(([k, v]) => ` — ${k} ${v.toFixed(4)}`)
                  .join('')}`
              : selected.status === 'running'
                ? 'Loading data and building the model…'
                : ''}
          </p>
          <LossChart history={history} />
          <RunResult run={selected} />
        </section>
      )}
      <RunList runs={list} selectedId={selected?.id ?? null} onSelect={setSelectedId} />
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

const backendOptions = ['auto', 'webgl', 'webgpu', 'wasm', 'cpu', 'tfjs-node', 'tfjs-node-gpu'] as const;

function mergeHistory(stored: EpochRecord[], live: EpochRecord[]): EpochRecord[] {
  const byEpoch = new Map<number, EpochRecord>();
  for (const r of [...stored, ...live]) byEpoch.set(r.epoch, r);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}
