// Reads and writes training runs; each epoch is written as it arrives so a crash loses nothing already seen.
import type { EpochRecord, Run } from '../../../shared/contract.js';
import type { ProbeFigure } from '../training/trainer-protocol.js';
import type { Db } from './database.js';

interface RunRow {
  id: string;
  project_id: string;
  commit_sha: string;
  status: Run['status'];
  backend: string;
  device: string | null;
  probes_json: string | null;
  checkpoint_path: string | null;
  task: Run['task'];
  epochs: number;
  history_json: string;
  metrics_json: string | null;
  labels_json: string | null;
  confusion_json: string | null;
  error: string | null;
  owner_pid: number | null;
  started_at: string;
  finished_at: string | null;
  seconds: number | null;
  samples_per_second: number | null;
}

const parse = <T>(json: string | null): T | null => (json == null ? null : (JSON.parse(json) as T));

const toRun = (r: RunRow): Run => ({
  id: r.id,
  projectId: r.project_id,
  commit: r.commit_sha,
  status: r.status,
  backend: r.backend,
  device: r.device,
  probes: parse(r.probes_json),
  checkpoint: r.checkpoint_path,
  task: r.task,
  epochs: r.epochs,
  history: JSON.parse(r.history_json) as EpochRecord[],
  metrics: parse(r.metrics_json),
  labels: parse(r.labels_json),
  confusionMatrix: parse(r.confusion_json),
  error: r.error,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  seconds: r.seconds,
  samplesPerSecond: r.samples_per_second,
});

export interface RunOutcome {
  status: Exclude<Run['status'], 'running'>;
  metrics?: Record<string, number> | null;
  labels?: string[] | null;
  confusionMatrix?: number[][] | null;
  error?: string | null;
  seconds?: number | null;
  samplesPerSecond?: number | null;
  checkpoint?: string | null;
}

export class RunsRepository {
  constructor(private readonly db: Db) {}

  insert(run: Pick<Run, 'id' | 'projectId' | 'commit' | 'backend' | 'task' | 'epochs'>, ownerPid: number): Run {
    const startedAt = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO runs (id, project_id, commit_sha, status, backend, task, epochs, owner_pid, started_at)
         VALUES (@id, @projectId, @commit, 'running', @backend, @task, @epochs, @ownerPid, @startedAt)`,
      )
      .run({ ...run, ownerPid, startedAt });
    return this.get(run.id)!;
  }

  get(id: string): Run | undefined {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as RunRow | undefined;
    return row && toRun(row);
  }

  listForProject(projectId: string): Run[] {
    return (
      this.db.prepare(`SELECT * FROM runs WHERE project_id = ? ORDER BY started_at DESC`).all(projectId) as RunRow[]
    ).map(toRun);
  }

  /** The training process says which backend it really started, and on what device. */
  setBackend(id: string, backend: string, device: string, probes: readonly ProbeFigure[] = []): void {
    this.db.prepare(`UPDATE runs SET backend = ?, device = ?, probes_json = ? WHERE id = ?`).run(backend, device, JSON.stringify(probes), id);
  }

  appendEpoch(id: string, record: EpochRecord): void {
    this.db
      .prepare(`UPDATE runs SET history_json = json_insert(history_json, '$[#]', json(?)) WHERE id = ?`)
      .run(JSON.stringify(record), id);
  }

  /** Records how a run ended; only a running run can end, so a late message cannot overwrite a cancel. */
  finish(id: string, outcome: RunOutcome): Run | undefined {
    this.db
      .prepare(
        `UPDATE runs SET status = @status, metrics_json = @metrics, labels_json = @labels,
           confusion_json = @confusion, error = @error, seconds = @seconds,
           samples_per_second = @samplesPerSecond, checkpoint_path = @checkpoint, finished_at = @finishedAt,
           owner_pid = NULL
         WHERE id = @id AND status = 'running'`,
      )
      .run({
        id,
        status: outcome.status,
        metrics: outcome.metrics ? JSON.stringify(outcome.metrics) : null,
        labels: outcome.labels ? JSON.stringify(outcome.labels) : null,
        confusion: outcome.confusionMatrix ? JSON.stringify(outcome.confusionMatrix) : null,
        error: outcome.error ?? null,
        seconds: outcome.seconds ?? null,
        samplesPerSecond: outcome.samplesPerSecond ?? null,
        checkpoint: outcome.checkpoint ?? null,
        finishedAt: new Date().toISOString(),
      });
    return this.get(id);
  }

  /** Runs whose owning process is gone can never finish: record them as failed. */
  failOrphanedRuns(isAlive: (pid: number) => boolean): number {
    const rows = this.db.prepare(`SELECT id, owner_pid FROM runs WHERE status = 'running'`).all() as {
      id: string;
      owner_pid: number | null;
    }[];
    let n = 0;
    for (const r of rows) {
      if (r.owner_pid != null && isAlive(r.owner_pid)) continue;
      this.finish(r.id, { status: 'failed', error: 'Interrupted: the app closed while this run was training' });
      n++;
    }
    return n;
  }
}
