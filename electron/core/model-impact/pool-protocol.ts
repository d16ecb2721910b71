// The messages between a training pool and its long-lived workers: many jobs per worker, one at a time.
import type { TrainJob } from '../training/trainer-protocol.js';
import type { ImpactTrainingResult } from './training-job.js';

/** Jobs ask for the per-row test predictions (TrainJob.keepPredictions → TrainResult.testPredictions). */
export type ToPoolWorker = { kind: 'train'; id: number; job: TrainJob };

export type FromPoolWorker =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; result: ImpactTrainingResult }
  | { kind: 'failed'; id: number; message: string };
