// Runs the store's local jobs on a pool of training processes (one per core by default): each free worker takes the
// oldest queued job; a job can be cancelled or paused (a running one is stopped and goes back as paused); progress
// and endings are events. A queue started after a crash or a quit first puts the jobs its predecessor was running
// back in the queue, so nothing queued or interrupted is lost. The store is the queue: jobs queued, paused, resumed
// or cancelled by another process (`modelcommons jobs …`) are seen within a second, or at the next epoch.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Run } from '../../../shared/contract.js';
import { TrainingPool, type PoolOptions } from '../model-impact/training-pool.js';
import type { DataCacheSettings } from '../training/portable/trainer-protocol.js';
import type { JobProgress, JobRecord } from './job-spec.js';
import { localJobFolder } from './job-checkout.js';
import { JobsRepository, openStatuses } from './jobs-repository.js';
import { trainSpec } from './train-job.js';
import { isProcessAlive } from '../process-alive.js';

export interface LocalJobQueueOptions extends PoolOptions {
  /** Where each job's run keeps its model: <runsDir>/<runId>/model. */
  readonly runsDir: string;
  /** Where checkouts of other commits than a project's HEAD are made. */
  readonly checkoutsDir: string;
  /** The project's folder, by id. */
  readonly projectDir: (projectId: string) => string;
  readonly dataCache?: DataCacheSettings;
  /** Whether a process id is alive (the owner of a running job); default: a signal-0 probe. */
  readonly isAlive?: (pid: number) => boolean;
}

export interface JobQueueEvents {
  progress: [{ job: JobRecord; progress: JobProgress }];
  /** A job ended: its run when it succeeded. */
  ended: [{ job: JobRecord; run: Run | null }];
  /** Nothing is running and nothing queued could be taken. */
  idle: [];
}

interface Active {
  readonly controller: AbortController;
  /** Why it was stopped, when it was. */
  stop: 'pause' | 'cancel' | null;
}

export class LocalJobQueue extends EventEmitter<JobQueueEvents> {
  readonly concurrency: number;
  private readonly pool: TrainingPool;
  private readonly active = new Map<string, Active>();
  private closed = false;
  private started = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly options: LocalJobQueueOptions,
  ) {
    super();
    this.pool = new TrainingPool(options);
    this.concurrency = this.pool.concurrency;
  }

  /** Puts interrupted jobs back in the queue and starts taking jobs. */
  start(): this {
    if (!this.started) {
      this.started = true;
      this.jobs.requeueInterrupted('local', this.options.isAlive ?? isProcessAlive);
      // Not unref'd: a process waiting on paused jobs stays alive until they are resumed or cancelled (close() clears it).
      this.timer = setInterval(() => this.pump(), 1000);
    }
    this.pump();
    return this;
  }

  /** Tells the queue that jobs were queued or resumed. */
  pump(): void {
    if (!this.started || this.closed) return;
    while (this.active.size < this.concurrency) {
      const job = this.jobs.claimNext('local', process.pid);
      if (!job) break;
      this.run(job);
    }
    if (this.active.size === 0) this.emit('idle');
  }

  cancel(jobId: string): boolean {
    const active = this.active.get(jobId);
    if (active) {
      this.stop(active, 'cancel');
      return true;
    }
    const cancelled = this.jobs.cancel(jobId);
    if (cancelled) this.emit('ended', { job: this.jobs.get(jobId)!, run: null });
    return cancelled;
  }

  /** Pauses a sweep's jobs (all jobs without one): queued ones wait, running ones are stopped and wait too. */
  pause(sweepId?: string): number {
    const n = this.jobs.pause(sweepId);
    for (const [id, active] of this.active) if (this.jobs.get(id)?.status === 'paused') this.stop(active, 'pause');
    return n;
  }

  private stop(active: Active, why: 'pause' | 'cancel'): void {
    active.stop = why;
    active.controller.abort();
  }

  resume(sweepId?: string): number {
    const n = this.jobs.resume(sweepId);
    this.pump();
    return n;
  }

  /** Resolves when each of the jobs has ended (succeeded, failed or cancelled). */
  settled(jobIds: readonly string[]): Promise<JobRecord[]> {
    return new Promise((resolve) => {
      const check = () => {
        const jobs = jobIds.map((id) => this.jobs.get(id)).filter((j): j is JobRecord => j !== undefined);
        if (jobs.some((j) => openStatuses.includes(j.status))) return;
        this.off('ended', check);
        resolve(jobs);
      };
      this.on('ended', check);
      check();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const a of this.active.values()) this.stop(a, 'pause');
    await this.pool.close();
  }

  private run(job: JobRecord): void {
    const active: Active = { controller: new AbortController(), stop: null };
    this.active.set(job.id, active);
    const { spec } = job;
    void localJobFolder(this.options.projectDir(spec.projectId), spec.commit, this.options.checkoutsDir)
      .then((dir) =>
        trainSpec(this.pool, spec, dir, {
          signal: active.controller.signal,
          checkpointDir: path.join(this.options.runsDir, job.runId, 'model'),
          ...(this.options.dataCache ? { dataCache: this.options.dataCache } : {}),
          onProgress: (progress) => {
            // Paused or cancelled by another process since it started: stopped here.
            const now = this.jobs.get(job.id)?.status;
            if (now === 'paused' || now === 'cancelled') return this.stop(active, now === 'paused' ? 'pause' : 'cancel');
            this.jobs.setProgress(job.id, progress);
            this.emit('progress', { job, progress });
          },
        }),
      )
      .then((result) => (active.stop ? null : this.jobs.complete(job.id, result)))
      .catch((err: unknown) => {
        if (active.stop === 'cancel') this.jobs.cancel(job.id);
        else if (active.stop === 'pause') this.jobs.putBack(job.id, this.closed ? 'queued' : 'paused');
        else this.jobs.fail(job.id, err instanceof Error ? err.message : String(err));
        return null;
      })
      .then((run) => {
        if (active.stop === 'cancel' && !run) this.jobs.cancel(job.id);
        if (active.stop === 'pause' && !run) this.jobs.putBack(job.id, this.closed ? 'queued' : 'paused');
        this.active.delete(job.id);
        this.emit('ended', { job: this.jobs.get(job.id)!, run });
        this.pump();
      });
  }
}

