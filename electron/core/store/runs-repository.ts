// Reads and writes training runs; each epoch is written as it arrives so a crash loses nothing already seen.
import type { EpochRecord, Run, RunParams, SplitCounts } from '../../../shared/contract.js';
import type { ProbeFigure } from '../training/portable/trainer-protocol.js';
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
  split_json: string | null;
  best_epoch: number | null;
  warnings_json: string | null;
  params_json: string | null;
  manifest_hash: string | null;
  data_hash: string | null;
  seed: number | null;
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
  split: parse(r.split_json),
  bestEpoch: r.best_epoch,
  warnings: parse<string[]>(r.warnings_json) ?? [],
  params: parse<RunParams>(r.params_json),
  manifestHash: r.manifest_hash,
  dataHash: r.data_hash,
  seed: r.seed,
});

/** What keys a run beside its commit and backend (see migration 12). */
export interface RunKey {
  readonly params: RunParams;
  readonly manifestHash: string;
  readonly dataHash: string | null;
  readonly seed: number;
}

export interface RunOutcome {
  status: Exclude<Run['status'], 'running'>;
  metrics?: Record<string, number> | null;
  labels?: string[] | null;
  confusionMatrix?: number[][] | null;
  error?: string | null;
  seconds?: number | null;
  samplesPerSecond?: number | null;
  checkpoint?: string | null;
  split?: SplitCounts | null;
  bestEpoch?: number | null;
  warnings?: readonly string[];
}

/** What a training process says when it starts, beyond its backend. */
export interface StartedDetails {
  readonly trainRows: number;
  readonly validationRows: number;
  readonly testRows: number;
  readonly warnings: readonly string[];
}

export class RunsRepository {
  constructor(private readonly db: Db) {}

  insert(run: Pick<Run, 'id' | 'projectId' | 'commit' | 'backend' | 'task' | 'epochs'>, ownerPid: number, key?: RunKey): Run {
    const startedAt = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO runs (id, project_id, commit_sha, status, backend, task, epochs, owner_pid, started_at,
                           params_json, manifest_hash, data_hash, seed)
         VALUES (@id, @projectId, @commit, 'running', @backend, @task, @epochs, @ownerPid, @startedAt,
                 @params, @manifestHash, @dataHash, @seed)`,
      )
      .run({
        ...run,
        ownerPid,
        startedAt,
        params: key ? JSON.stringify(key.params) : null,
        manifestHash: key?.manifestHash ?? null,
        dataHash: key?.dataHash ?? null,
        seed: key?.seed ?? null,
      });
    return this.get(run.id)!;
  }

  /** Deletes a run's record (its saved model is the caller's to remove); false when there was none. */
  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM runs WHERE id = ?`).run(id).changes > 0;
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
  setBackend(id: string, backend: string, device: string, probes: readonly ProbeFigure[] = [], started?: StartedDetails): void {
    this.db.prepare(`UPDATE runs SET backend = ?, device = ?, probes_json = ? WHERE id = ?`).run(backend, device, JSON.stringify(probes), id);
    if (started) {
      const split: SplitCounts = { train: started.trainRows, validation: started.validationRows, test: started.testRows };
      this.db.prepare(`UPDATE runs SET split_json = ?, warnings_json = ? WHERE id = ?`).run(JSON.stringify(split), JSON.stringify(started.warnings), id);
    }
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
           split_json = COALESCE(@split, split_json), best_epoch = COALESCE(@bestEpoch, best_epoch),
           warnings_json = COALESCE(@warnings, warnings_json), owner_pid = NULL
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
        split: outcome.split ? JSON.stringify(outcome.split) : null,
        bestEpoch: outcome.bestEpoch ?? null,
        warnings: outcome.warnings ? JSON.stringify(outcome.warnings) : null,
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
