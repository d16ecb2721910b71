// The messages between a training pool and its long-lived workers: many jobs per worker, one at a time.
import type { EpochRecord } from '../../../shared/contract.js';
import type { TrainJob, TrainResult } from '../training/portable/trainer-protocol.js';

/** A job may ask for the per-row test predictions (TrainJob.keepPredictions → TrainResult.testPredictions). */
export type ToPoolWorker = { kind: 'train'; id: number; job: TrainJob };

/** A training's result with what its `started` and `epoch` messages said: the backend it ran on and its curve. */
export interface PoolTrainResult extends TrainResult {
  readonly backend: string;
  readonly device: string;
  readonly history: readonly EpochRecord[];
}

export type FromPoolWorker =
  | { kind: 'ready' }
  | { kind: 'epoch'; id: number; record: EpochRecord }
  | { kind: 'done'; id: number; result: PoolTrainResult }
  | { kind: 'failed'; id: number; message: string };
