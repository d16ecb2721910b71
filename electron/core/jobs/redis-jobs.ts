// The same jobs on BullMQ over Redis, for more machines than one. The submitting side keeps its jobs in its own
// store: it hands each to Redis under its job key (the BullMQ job id, so handing it twice is a no-op), watches them,
// and writes each result into its store exactly once (JobsRepository.complete). A worker (`modelcommons worker`)
// clones the project at the job's commit into its own folder, trains it on its local pool and returns the result
// through Redis. A worker that dies mid-job stops renewing its lock: another worker takes the job again.
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { AppError } from '../app-error.js';
import { TrainingPool } from '../model-impact/training-pool.js';
import type { DataCacheSettings } from '../training/portable/trainer-protocol.js';
import { workerJobFolder } from './job-checkout.js';
import type { JobProgress, JobRecord, JobResult, JobSpec } from './job-spec.js';
import { openStatuses, type JobsRepository } from './jobs-repository.js';
import { isProcessAlive } from '../process-alive.js';
import { trainSpec } from './train-job.js';

export const TRAINING_QUEUE = 'modelcommons-training';
/** How often a remote job is retried when its training fails or its worker dies (stalls). */
export const REDIS_JOB_ATTEMPTS = 5;
/** How long a worker's lock on its job lasts without renewal before another worker may take the job. */
export const DEFAULT_LOCK_MS = 30_000;

interface RedisJobData {
  readonly spec: JobSpec;
}

/** A connection for BullMQ (which needs commands to wait for a reconnect, not fail); refuses what is not a Redis URL. */
export function redisConnection(url: string): Redis {
  if (!/^rediss?:\/\/[^\s]+$/i.test(url)) throw new AppError('invalid-request', `--redis takes a redis:// or rediss:// URL, not "${url}"`);
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

export interface WatchOptions {
  readonly pollMs?: number;
  readonly onProgress?: (job: JobRecord, progress: JobProgress) => void;
  readonly onEnded?: (job: JobRecord) => void;
}

export class RedisJobSubmitter {
  private readonly connection: Redis;
  private readonly queue: Queue<RedisJobData, JobResult>;

  constructor(
    private readonly jobs: JobsRepository,
    url: string,
  ) {
    this.connection = redisConnection(url);
    this.queue = new Queue<RedisJobData, JobResult>(TRAINING_QUEUE, { connection: this.connection });
  }

  /** Hands the store's queued Redis jobs to Redis (after putting back the ones a previous submitter left). */
  async dispatch(): Promise<number> {
    this.jobs.requeueInterrupted('redis', isProcessAlive);
    const queued = this.jobs.list({ queue: 'redis', status: ['queued'] });
    for (const job of queued) {
      await this.add(job);
      this.jobs.markDispatched(job.id, process.pid);
    }
    return queued.length;
  }

  private async add(job: JobRecord): Promise<void> {
    const existing = await this.queue.getJob(job.jobKey);
    // A key Redis gave up on before (every attempt failed), queued here again: it trains again.
    if (existing && (await existing.getState()) === 'failed') return void (await existing.retry('failed'));
    await this.queue.add('train', { spec: job.spec }, {
      jobId: job.jobKey,
      attempts: REDIS_JOB_ATTEMPTS,
      backoff: { type: 'fixed', delay: 1000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
  }

  /**
   * Resolves when each of the jobs has ended in the store, writing results and failures as Redis reports them. A
   * job queued meanwhile (resumed after a pause) is handed to Redis; a paused one is not watched (a worker may still
   * finish it: its result is collected once it is resumed).
   */
  async watch(jobIds: readonly string[], options: WatchOptions = {}): Promise<JobRecord[]> {
    const pollMs = options.pollMs ?? 500;
    for (;;) {
      let open = 0;
      for (const id of jobIds) {
        const job = this.jobs.get(id);
        if (!job || !openStatuses.includes(job.status)) continue;
        open++;
        if (job.status === 'queued') {
          await this.add(job);
          this.jobs.markDispatched(job.id, process.pid);
        } else if (job.status === 'running') await this.poll(job, options);
      }
      if (open === 0) return jobIds.map((id) => this.jobs.get(id)!).filter(Boolean);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private async poll(job: JobRecord, options: WatchOptions): Promise<void> {
    const remote = await this.queue.getJob(job.jobKey);
    if (!remote) return this.add(job); // Redis lost it (flushed, or expired): hand it over again
    const state = await remote.getState();
    if (state === 'completed') {
      this.jobs.complete(job.id, remote.returnvalue);
      options.onEnded?.(this.jobs.get(job.id)!);
    } else if (state === 'failed') {
      this.jobs.fail(job.id, `${remote.failedReason} (after ${remote.attemptsMade} attempt${remote.attemptsMade === 1 ? '' : 's'} on Redis workers)`);
      options.onEnded?.(this.jobs.get(job.id)!);
    } else if (isProgress(remote.progress)) {
      const before = job.progress;
      if (before?.epoch !== remote.progress.epoch) {
        this.jobs.setProgress(job.id, remote.progress, remote.attemptsMade + 1);
        options.onProgress?.(job, remote.progress);
      }
    }
  }

  /** Cancels a job here; a waiting one is taken off Redis too (a running one finishes, and its result is dropped). */
  async cancel(jobId: string): Promise<boolean> {
    const job = this.jobs.get(jobId);
    if (!job || !this.jobs.cancel(jobId)) return false;
    const remote = await this.queue.getJob(job.jobKey);
    if (remote && ['waiting', 'delayed', 'prioritized'].includes(await remote.getState())) await remote.remove().catch(() => undefined);
    return true;
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

function isProgress(p: unknown): p is JobProgress {
  return typeof p === 'object' && p !== null && typeof (p as JobProgress).epoch === 'number';
}

export interface RedisWorkerOptions {
  readonly url: string;
  /** Trainings side by side on this machine (default: one per core). */
  readonly concurrency?: number;
  /** This worker's own folder for clones (one per project source and commit). */
  readonly workDir: string;
  readonly dataCache?: DataCacheSettings;
  readonly lockMs?: number;
  readonly onEvent?: (line: string) => void;
}

export interface RedisWorker {
  readonly concurrency: number;
  close(): Promise<void>;
}

/** Takes jobs from Redis and trains them on a local pool until closed. */
export async function startRedisWorker(options: RedisWorkerOptions): Promise<RedisWorker> {
  const pool = new TrainingPool(options.concurrency ? { workers: options.concurrency } : {});
  const connection = redisConnection(options.url);
  const lockDuration = options.lockMs ?? DEFAULT_LOCK_MS;
  const say = options.onEvent ?? (() => undefined);
  const worker = new Worker<RedisJobData, JobResult>(
    TRAINING_QUEUE,
    async (job: Job<RedisJobData, JobResult>) => {
      const { spec } = job.data;
      say(`job ${job.id!.slice(0, 12)} (attempt ${Math.max(1, job.attemptsStarted)}): ${spec.source} at ${spec.commit.slice(0, 12)}${spec.fold ? `, fold ${spec.fold.index + 1}/${spec.fold.count}` : ''}`);
      const dir = await workerJobFolder(spec.source, spec.commit, options.workDir);
      const result = await trainSpec(pool, spec, dir, {
        onProgress: (p) => void job.updateProgress(p).catch(() => undefined),
        ...(options.dataCache ? { dataCache: options.dataCache } : {}),
      });
      say(`job ${job.id!.slice(0, 12)} done in ${result.seconds.toFixed(1)} s`);
      return result;
    },
    {
      connection,
      concurrency: pool.concurrency,
      lockDuration,
      stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
      maxStalledCount: REDIS_JOB_ATTEMPTS,
    },
  );
  worker.on('failed', (job, err) => say(`job ${job?.id?.slice(0, 12) ?? '?'} failed: ${err.message}`));
  worker.on('error', (err) => say(`Redis: ${err.message}`));
  await worker.waitUntilReady();
  return {
    concurrency: pool.concurrency,
    async close() {
      await worker.close(true);
      await pool.close();
      connection.disconnect();
    },
  };
}
