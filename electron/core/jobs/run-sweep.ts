// A sweep from start to end: its points (grid or random) × its folds become jobs in the store, trained on the local
// pool or by Redis workers; the answer is each point's runs with their metrics as mean ± sd. The same sweep asked
// again trains only what is missing: its jobs have the same keys, and succeeded ones keep their runs.
import crypto from 'node:crypto';
import path from 'node:path';
import type { Project } from '../../../shared/contract.js';
import type { BackendChoice } from '../../../shared/backends.js';
import { AppError } from '../app-error.js';
import { readHead } from '../git/read-history.js';
import { manifestHash, runKeyOf, runParams } from '../runs/run-key.js';
import { checkFoldCount } from '../runs/sweep-folds.js';
import { applySweepPoint, sweepPoints, type SweepAxis, type SweepPoint } from '../runs/sweep-plan.js';
import { summarizeSweep, type SweepPointSummary } from '../runs/sweep-summary.js';
import type { Db } from '../store/database.js';
import { RunsRepository } from '../store/runs-repository.js';
import { loadManifest } from '../training/load-manifest.js';
import type { DataCacheSettings } from '../training/portable/trainer-protocol.js';
import { jobKeyOf, type JobProgress, type JobRecord, type JobSpec } from './job-spec.js';
import { JobsRepository } from './jobs-repository.js';
import { LocalJobQueue } from './local-job-queue.js';

export interface SweepRequest {
  readonly axes: readonly SweepAxis[];
  /** Random search: this many distinct points of the grid (seeded by `seed`). */
  readonly random?: number;
  readonly seed?: number;
  /** k-fold cross-validation: K trainings per point. */
  readonly folds?: number;
  readonly backend?: BackendChoice;
}

export interface SweepPlanned {
  readonly sweepId: string;
  readonly commit: string;
  readonly points: readonly SweepPoint[];
  readonly specs: readonly JobSpec[];
}

export interface SweepContext {
  readonly db: Db;
  readonly home: string;
  readonly project: Project;
  /** The manifest's overlay in the data folder (ProjectsService.overlayFile), null when none. */
  readonly overlayFile: string | null;
  readonly dataCache?: DataCacheSettings;
}

export interface SweepRunOptions {
  /** Local trainings side by side (default one per core); ignored with `redis`. */
  readonly workers?: number;
  /** Train on BullMQ workers over this Redis instead of locally. */
  readonly redis?: string;
  /** The sweep's jobs as stored, before any trains (succeeded ones are reused). */
  readonly onQueued?: (jobs: readonly JobRecord[]) => void;
  readonly onProgress?: (job: JobRecord, progress: JobProgress) => void;
  readonly onEnded?: (job: JobRecord) => void;
}

export interface SweepReport {
  readonly sweepId: string;
  readonly projectId: string;
  readonly commit: string;
  readonly folds: number | null;
  readonly jobs: { readonly total: number; readonly trained: number; readonly reused: number; readonly failed: number };
  readonly points: readonly SweepPointSummary[];
  readonly errors: readonly string[];
}

/** The sweep's job specs at the project's HEAD. */
export async function planSweep(ctx: SweepContext, request: SweepRequest): Promise<SweepPlanned> {
  if (!request.axes.length) throw new AppError('invalid-request', 'A sweep needs at least one --set KEY=V1,V2,…');
  if (request.folds !== undefined) checkFoldCount(request.folds);
  const { project } = ctx;
  const manifest = loadManifest(project.path, ctx.overlayFile);
  const commit = await readHead(project.path);
  const points = sweepPoints(request.axes, { ...(request.random !== undefined ? { random: request.random } : {}), seed: request.seed ?? manifest.training.seed });
  const backend = request.backend ?? 'auto';
  const specs: JobSpec[] = [];
  // No sweepable key touches `data`: the data's hash is read once, not once per point.
  const { dataHash } = await runKeyOf(project.path, manifest);
  for (const point of points) {
    const m = applySweepPoint(manifest, point);
    const base = { params: runParams(m), manifestHash: manifestHash(m), dataHash, seed: m.training.seed };
    const folds = request.folds ? Array.from({ length: request.folds }, (_, index) => ({ index, count: request.folds!, seed: m.data.split?.seed ?? 42 })) : [null];
    for (const fold of folds) {
      const params = { ...base.params, ...point, ...(fold ? { fold: fold.index + 1, folds: fold.count } : {}) };
      specs.push({ projectId: project.id, source: project.source, commit, manifest: m, backend, fold, point, key: { ...base, params } });
    }
  }
  const sweepId = crypto.createHash('sha256').update(specs.map((s) => jobKeyOf(s)).join('\n')).digest('hex').slice(0, 32);
  return { sweepId, commit, points, specs };
}

/** Queues the sweep's jobs, trains what is missing (locally or on Redis workers) and summarizes every point. */
export async function runSweep(ctx: SweepContext, request: SweepRequest, options: SweepRunOptions = {}): Promise<SweepReport> {
  const planned = await planSweep(ctx, request);
  const jobs = new JobsRepository(ctx.db);
  const queueName = options.redis ? 'redis' : 'local';
  const enqueued = planned.specs.map((spec) => jobs.enqueue(spec, { queue: queueName, sweepId: planned.sweepId }));
  const reused = enqueued.filter((j) => j.status === 'succeeded').length;
  options.onQueued?.(enqueued);
  // A job another process is training locally now stays with it; this process waits for its end like the rest.
  const ids = enqueued.map((j) => j.id);
  if (options.redis) {
    const { RedisJobSubmitter } = await import('./redis-jobs.js'); // BullMQ and ioredis load only for --redis
    const submitter = new RedisJobSubmitter(jobs, options.redis);
    try {
      await submitter.dispatch();
      await submitter.watch(ids, { ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.onEnded ? { onEnded: options.onEnded } : {}) });
    } finally {
      await submitter.close();
    }
  } else {
    const queue = new LocalJobQueue(jobs, {
      ...(options.workers ? { workers: options.workers } : {}),
      runsDir: path.join(ctx.home, 'runs'),
      checkoutsDir: path.join(ctx.home, 'job-checkouts'),
      projectDir: () => ctx.project.path,
      ...(ctx.dataCache ? { dataCache: ctx.dataCache } : {}),
    });
    if (options.onProgress) queue.on('progress', ({ job, progress }) => options.onProgress!(job, progress));
    if (options.onEnded) queue.on('ended', ({ job }) => options.onEnded!(job));
    try {
      queue.start();
      await queue.settled(ids);
    } finally {
      await queue.close();
    }
  }
  return sweepReport(ctx.db, planned, enqueued.length, reused);
}

/** Each point's runs, found by job key (a job shared with an earlier sweep counts for this one too). */
export function sweepReport(db: Db, planned: SweepPlanned, total: number, reused: number): SweepReport {
  const jobs = new JobsRepository(db);
  const runs = new RunsRepository(db);
  const ended = planned.specs.map((spec) => jobs.byKey(jobKeyOf(spec))!);
  const failed = ended.filter((j) => j.status === 'failed' || j.status === 'cancelled');
  const samePoint = (a: SweepPoint, b: SweepPoint) => JSON.stringify(a) === JSON.stringify(b);
  const points = summarizeSweep(planned.points, (point) => {
    const of = ended.filter((j) => samePoint(j.spec.point, point));
    return {
      runs: of.filter((j) => j.status === 'succeeded').map((j) => runs.get(j.runId)).filter((r) => r !== undefined),
      failed: of.filter((j) => j.status === 'failed' || j.status === 'cancelled').length,
    };
  });
  const folds = planned.specs[0]?.fold?.count ?? null;
  return {
    sweepId: planned.sweepId,
    projectId: planned.specs[0]?.projectId ?? '',
    commit: planned.commit,
    folds,
    jobs: { total, trained: ended.filter((j) => j.status === 'succeeded').length - reused, reused, failed: failed.length },
    points,
    errors: [...new Set(failed.map((j) => j.error ?? j.status))],
  };
}
