// One job → one training on a pool worker (local or on a Redis worker's machine) → the job's result.
import os from 'node:os';
import { AppError } from '../app-error.js';
import type { PoolTrainResult } from '../model-impact/pool-protocol.js';
import type { TrainingPool } from '../model-impact/training-pool.js';
import type { DataCacheSettings } from '../training/portable/trainer-protocol.js';
import type { JobProgress, JobResult, JobSpec } from './job-spec.js';

export interface TrainSpecOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: JobProgress) => void;
  /** Where the trained model is saved; none when absent (a remote worker keeps no model). */
  readonly checkpointDir?: string;
  readonly dataCache?: DataCacheSettings;
}

export async function trainSpec(pool: TrainingPool, spec: JobSpec, repoDir: string, options: TrainSpecOptions = {}): Promise<JobResult> {
  const epochs = spec.manifest.training.epochs;
  const result = await pool.train(
    {
      repoDir,
      manifest: spec.manifest,
      backend: spec.backend,
      ...(spec.fold ? { fold: spec.fold } : {}),
      ...(options.checkpointDir ? { checkpointDir: options.checkpointDir } : {}),
      ...(options.dataCache ? { dataCache: options.dataCache } : {}),
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onEpoch: (r) => options.onProgress?.({ epoch: r.epoch, epochs, loss: r.loss, valLoss: r.valLoss }),
      cancelled: () => new AppError('conflict', 'The job was stopped'),
    },
  );
  return toJobResult(result);
}

export function toJobResult(r: PoolTrainResult): JobResult {
  return {
    metrics: r.metrics,
    labels: r.labels,
    confusionMatrix: r.confusionMatrix,
    seconds: r.seconds,
    samplesPerSecond: r.samplesPerSecond,
    history: r.history,
    split: r.split,
    bestEpoch: r.bestEpoch,
    warnings: r.warnings,
    backend: r.backend,
    device: r.device,
    checkpointDir: r.checkpointDir,
    worker: `${os.hostname()}:${process.pid}`,
  };
}
