// The messages between the renderer and its training worker: a job carries the data as typed arrays (no file
// paths in a browser); the worker answers with the same `FromTrainer` messages as the Node training process.
import type { TrainingData } from '../../../electron/core/training/train-on-data.js';
import type { Manifest } from '../../../shared/manifest.js';

export type { FromTrainer, TrainResult, BatchProgress } from '../../../electron/core/training/trainer-protocol.js';
export type { TrainingData };

/** GPU backends first; a backend the context cannot start falls back (webgpu → webgl → cpu), said in `started.device`. */
export type BrowserBackend = 'webgl' | 'webgpu' | 'cpu';

export interface BrowserTrainJob {
  readonly manifest: Manifest;
  readonly data: TrainingData;
  readonly backend: BrowserBackend;
}

export type ToBrowserTrainer = { kind: 'start'; job: BrowserTrainJob };
