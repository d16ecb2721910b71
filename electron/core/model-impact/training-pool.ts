// A pool of long-lived training workers (one per core by default): jobs queue, each idle worker takes the next,
// and every worker trains many jobs in turn. Cancelling a job kills the worker running it (a training cannot be
// interrupted mid-step otherwise); a fresh worker takes its place on the next job.
import { fork, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../app-error.js';
import type { TrainerScript } from '../training/trainer-launcher.js';
import type { TrainJob } from '../training/portable/trainer-protocol.js';
import type { EpochRecord } from '../../../shared/contract.js';
import type { FromPoolWorker, PoolTrainResult, ToPoolWorker } from './pool-protocol.js';
import type { ImpactTrainingJob, ImpactTrainingResult, TrainingRunner } from './training-job.js';

/** The built worker sits beside the built host (dist/model-impact-worker.js); from sources, tsx runs the TS entry. */
export function defaultPoolWorkerScript(): TrainerScript {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { file: path.join(path.dirname(here), 'pool-worker.ts'), execArgv: ['--import', 'tsx'] };
  return { file: path.join(path.dirname(here), 'model-impact-worker.js'), execArgv: [] };
}

interface Pending {
  readonly id: number;
  readonly job: TrainJob;
  readonly onEpoch: ((record: EpochRecord) => void) | undefined;
  readonly cancelled: () => AppError;
  resolve(result: PoolTrainResult): void;
  reject(err: unknown): void;
}

/** How one training of `train` is watched and stopped. */
export interface PoolTrainOptions {
  readonly signal?: AbortSignal;
  /** Each epoch's record as the worker reports it. */
  readonly onEpoch?: (record: EpochRecord) => void;
  /** The error a cancelled training rejects with (default: the model-impact analysis's). */
  readonly cancelled?: () => AppError;
}

interface Worker {
  readonly child: ChildProcess;
  current: Pending | null;
  stderr: string;
}

export interface PoolOptions {
  /** Workers (trainings side by side); default one per core. */
  readonly workers?: number;
  readonly script?: TrainerScript;
}

export class TrainingPool implements TrainingRunner {
  readonly concurrency: number;
  private readonly script: TrainerScript;
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: PoolOptions = {}) {
    this.concurrency = Math.max(1, options.workers ?? availableParallelism());
    this.script = options.script ?? defaultPoolWorkerScript();
  }

  run(job: ImpactTrainingJob, signal?: AbortSignal): Promise<ImpactTrainingResult> {
    return this.train(toTrainJob(job), signal ? { signal } : {}).then((r) => ({
      metrics: r.metrics,
      labels: r.labels,
      predictions: r.testPredictions ?? null,
      seconds: r.seconds,
    }));
  }

  /** Trains any job of the training process on the next free worker (sweeps and queued jobs use this one). */
  train(job: TrainJob, options: PoolTrainOptions = {}): Promise<PoolTrainResult> {
    const { signal } = options;
    const cancelledError = options.cancelled ?? cancelled;
    if (this.closed) return Promise.reject(new Error('The training pool is closed'));
    if (signal?.aborted) return Promise.reject(cancelledError());
    return new Promise((resolve, reject) => {
      const onAbort = () => this.cancel(pending);
      const settle = () => signal?.removeEventListener('abort', onAbort);
      const pending: Pending = {
        id: this.nextId++,
        job,
        onEpoch: options.onEpoch,
        cancelled: cancelledError,
        resolve: (r) => (settle(), resolve(r)),
        reject: (e) => (settle(), reject(e)),
      };
      // One listener per queued job (an analysis queues all its trainings at once), each removed when the job settles.
      if (signal) setMaxListeners(0, signal);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(pending);
      this.pump();
    });
  }

  private cancel(p: Pending): void {
    const queued = this.queue.indexOf(p);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      p.reject(p.cancelled());
      return;
    }
    for (const w of this.busy) {
      if (w.current !== p) continue;
      w.current = null;
      this.busy.delete(w);
      w.child.kill('SIGKILL');
      p.reject(p.cancelled());
    }
    this.pump();
  }

  private pump(): void {
    while (this.queue.length && (this.idle.length || this.busy.size < this.concurrency)) {
      const worker = this.idle.pop() ?? this.spawn();
      const p = this.queue.shift()!;
      worker.current = p;
      this.busy.add(worker);
      const message: ToPoolWorker = { kind: 'train', id: p.id, job: p.job };
      worker.child.send(message);
    }
  }

  private spawn(): Worker {
    const child = fork(this.script.file, [], {
      execArgv: this.script.execArgv,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const worker: Worker = { child, current: null, stderr: '' };
    child.stderr?.on('data', (chunk: Buffer) => {
      worker.stderr = (worker.stderr + chunk.toString()).slice(-2000);
    });
    child.on('message', (m: FromPoolWorker) => {
      if (m.kind === 'ready') return;
      const p = worker.current;
      if (!p || p.id !== m.id) return;
      if (m.kind === 'epoch') return p.onEpoch?.(m.record);
      worker.current = null;
      this.busy.delete(worker);
      if (!this.closed) this.idle.push(worker);
      if (m.kind === 'done') p.resolve(m.result);
      else p.reject(new AppError('training', m.message));
      this.pump();
    });
    child.on('exit', (code, sig) => {
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      const p = worker.current;
      worker.current = null;
      if (p) {
        const last = worker.stderr.trim().split('\n').filter(Boolean).at(-1);
        p.reject(new AppError('training', `A training worker stopped unexpectedly (${sig ?? `exit code ${code}`})${last ? `: ${last}` : ''}`));
      }
      if (!this.closed) this.pump();
    });
    child.on('error', () => undefined); // the exit handler reports it
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(p.cancelled());
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(
      all.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
            w.child.once('exit', () => resolve());
            w.child.kill('SIGKILL');
          }),
      ),
    );
  }
}

function toTrainJob(job: ImpactTrainingJob): TrainJob {
  return { repoDir: job.dir, manifest: job.manifest, backend: job.backend, keepPredictions: true };
}

function cancelled(): AppError {
  return new AppError('conflict', 'The model-impact analysis was cancelled');
}
