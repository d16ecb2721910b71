// The job queue's rows (migration 13): queued jobs survive a restart, a job is stored once per job key, and the run
// of a succeeded job is written exactly once, in the same transaction that marks the job succeeded.
import crypto from 'node:crypto';
import type { Run } from '../../../shared/contract.js';
import type { Db } from '../store/database.js';
import { RunsRepository } from '../store/runs-repository.js';
import { jobKeyOf, type JobProgress, type JobQueueName, type JobRecord, type JobResult, type JobSpec, type JobStatus } from './job-spec.js';

interface JobRow {
  id: string;
  job_key: string;
  project_id: string;
  sweep_id: string | null;
  queue: JobQueueName;
  status: JobStatus;
  spec_json: string;
  run_id: string;
  attempts: number;
  progress_json: string | null;
  error: string | null;
  owner_pid: number | null;
  created_at: string;
  updated_at: string;
}

const toJob = (r: JobRow): JobRecord => ({
  id: r.id,
  jobKey: r.job_key,
  projectId: r.project_id,
  sweepId: r.sweep_id,
  queue: r.queue,
  status: r.status,
  spec: JSON.parse(r.spec_json) as JobSpec,
  runId: r.run_id,
  attempts: r.attempts,
  progress: r.progress_json ? (JSON.parse(r.progress_json) as JobProgress) : null,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Jobs that may still train (the rest have ended). */
export const openStatuses: readonly JobStatus[] = ['queued', 'running', 'paused'];

export class JobsRepository {
  private readonly runs: RunsRepository;

  constructor(private readonly db: Db) {
    this.runs = new RunsRepository(db);
  }

  /**
   * Queues a job, or returns the job already stored under its key: one that ended without a result (failed,
   * cancelled) or was paused is queued again; a succeeded one is left as it is (its run exists), so a repeated
   * sweep trains only what is missing. A job still waiting moves to the queue asked for now.
   */
  enqueue(spec: JobSpec, options: { queue: JobQueueName; sweepId?: string | null }): JobRecord {
    const jobKey = jobKeyOf(spec);
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO jobs (id, job_key, project_id, sweep_id, queue, status, spec_json, run_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT(job_key) DO NOTHING`,
      )
      .run(crypto.randomUUID(), jobKey, spec.projectId, options.sweepId ?? null, options.queue, JSON.stringify(spec), crypto.randomUUID(), now, now);
    this.db
      .prepare(
        `UPDATE jobs SET status = 'queued', queue = ?, sweep_id = COALESCE(?, sweep_id), error = NULL, progress_json = NULL, updated_at = ?
         WHERE job_key = ? AND status IN ('failed', 'cancelled', 'paused', 'queued')`,
      )
      .run(options.queue, options.sweepId ?? null, now, jobKey);
    return this.byKey(jobKey)!;
  }

  get(id: string): JobRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
    return row && toJob(row);
  }

  byKey(jobKey: string): JobRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE job_key = ?`).get(jobKey) as JobRow | undefined;
    return row && toJob(row);
  }

  /** Jobs in the order they were queued; of one sweep when given. */
  list(filter: { sweepId?: string; queue?: JobQueueName; status?: readonly JobStatus[] } = {}): JobRecord[] {
    const rows = this.db.prepare(`SELECT * FROM jobs ORDER BY created_at, rowid`).all() as JobRow[];
    return rows
      .filter((r) => (filter.sweepId === undefined || r.sweep_id === filter.sweepId) && (filter.queue === undefined || r.queue === filter.queue))
      .filter((r) => !filter.status || filter.status.includes(r.status))
      .map(toJob);
  }

  /** Takes the oldest queued job of a queue for `ownerPid` (atomically: two processes never take the same one). */
  claimNext(queue: JobQueueName, ownerPid: number): JobRecord | undefined {
    const row = this.db
      .prepare(
        `UPDATE jobs SET status = 'running', owner_pid = ?, attempts = attempts + 1, updated_at = ?
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND queue = ? ORDER BY created_at, rowid LIMIT 1)
         RETURNING *`,
      )
      .get(ownerPid, new Date().toISOString(), queue) as JobRow | undefined;
    return row && toJob(row);
  }

  /** A queued job handed to Redis: it runs on a remote worker, watched by `ownerPid`. */
  markDispatched(id: string, ownerPid: number): void {
    this.db
      .prepare(`UPDATE jobs SET status = 'running', owner_pid = ?, updated_at = ? WHERE id = ? AND status = 'queued'`)
      .run(ownerPid, new Date().toISOString(), id);
  }

  setProgress(id: string, progress: JobProgress, attempts?: number): void {
    this.db
      .prepare(`UPDATE jobs SET progress_json = ?, attempts = MAX(attempts, COALESCE(?, attempts)), updated_at = ? WHERE id = ? AND status = 'running'`)
      .run(JSON.stringify(progress), attempts ?? null, new Date().toISOString(), id);
  }

  /**
   * Writes the job's run from its result and marks the job succeeded, together; null (and nothing written) when
   * the job has ended already — a result that arrives twice (a retried remote job) or after a cancel is dropped.
   */
  complete(id: string, result: JobResult): Run | null {
    return this.db.transaction((): Run | null => {
      const job = this.get(id);
      if (!job || !openStatuses.includes(job.status) || this.runs.get(job.runId)) return null;
      const { spec } = job;
      const m = spec.manifest;
      this.runs.insert({ id: job.runId, projectId: job.projectId, commit: spec.commit, backend: result.backend, task: m.task, epochs: m.training.epochs }, process.pid, spec.key);
      this.runs.setBackend(job.runId, result.backend, result.device, [], {
        trainRows: result.split.train,
        validationRows: result.split.validation,
        testRows: result.split.test,
        warnings: result.warnings,
      });
      for (const record of result.history) this.runs.appendEpoch(job.runId, record);
      const run = this.runs.finish(job.runId, {
        status: 'succeeded',
        metrics: result.metrics,
        labels: result.labels,
        confusionMatrix: result.confusionMatrix,
        seconds: result.seconds,
        samplesPerSecond: result.samplesPerSecond,
        checkpoint: result.checkpointDir,
        split: result.split,
        bestEpoch: result.bestEpoch,
        warnings: result.warnings,
      });
      this.setStatus(id, 'succeeded', openStatuses, null);
      return run ?? null;
    })();
  }

  /** Ends an open job as failed with the reason. */
  fail(id: string, message: string): boolean {
    return this.setStatus(id, 'failed', openStatuses, message);
  }

  /** Cancels a job that has not ended; false when it had. */
  cancel(id: string): boolean {
    return this.setStatus(id, 'cancelled', openStatuses, 'Cancelled');
  }

  /** A running job that was stopped (paused, or its process lost) goes back to the queue, or to paused. */
  putBack(id: string, status: 'queued' | 'paused'): boolean {
    return this.setStatus(id, status, ['running', 'queued', 'paused'], null);
  }

  /**
   * Pauses the open jobs of a sweep (or of every sweep). A running one is marked paused here; the process training
   * it stops it at its next epoch (LocalJobQueue), or stores its result if it ends first.
   */
  pause(sweepId?: string): number {
    return this.db
      .prepare(`UPDATE jobs SET status = 'paused', updated_at = ? WHERE status IN ('queued', 'running') AND (? IS NULL OR sweep_id = ?)`)
      .run(new Date().toISOString(), sweepId ?? null, sweepId ?? null).changes;
  }

  resume(sweepId?: string): number {
    return this.db
      .prepare(`UPDATE jobs SET status = 'queued', updated_at = ? WHERE status = 'paused' AND (? IS NULL OR sweep_id = ?)`)
      .run(new Date().toISOString(), sweepId ?? null, sweepId ?? null).changes;
  }

  /** Running jobs of a queue whose owning process is gone were interrupted: they are queued again. */
  requeueInterrupted(queue: JobQueueName, isAlive: (pid: number) => boolean): number {
    const rows = this.db.prepare(`SELECT id, owner_pid FROM jobs WHERE status = 'running' AND queue = ?`).all(queue) as Pick<JobRow, 'id' | 'owner_pid'>[];
    let n = 0;
    for (const r of rows) {
      if (r.owner_pid != null && isAlive(r.owner_pid)) continue;
      if (this.putBack(r.id, 'queued')) n++;
    }
    return n;
  }

  private setStatus(id: string, status: JobStatus, from: readonly JobStatus[], error: string | null): boolean {
    const placeholders = from.map(() => '?').join(', ');
    const owner = status === 'running' ? 'owner_pid' : 'NULL';
    return (
      this.db
        .prepare(`UPDATE jobs SET status = ?, error = ?, owner_pid = ${owner}, updated_at = ? WHERE id = ? AND status IN (${placeholders})`)
        .run(status, error, new Date().toISOString(), id, ...from).changes > 0
    );
  }
}
