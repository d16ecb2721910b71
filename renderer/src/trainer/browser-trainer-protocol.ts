// The messages between the renderer and its training worker: a job carries the data as typed arrays (no file
// paths in a browser); the worker answers with the Node training process's `FromTrainer` messages, a `done` that
// carries the trained model's artifacts, and `probed` for a probe job.
import type { CheckpointArtifacts } from '../../../shared/contract.js';
import type { TrainingData } from '../../../electron/core/training/train-on-data.js';
import type { FromTrainer as NodeFromTrainer, ProbeFigure, TrainResult } from '../../../electron/core/training/trainer-protocol.js';
import type { Manifest } from '../../../shared/manifest.js';

export type { BatchProgress, ProbeFigure, TrainResult } from '../../../electron/core/training/trainer-protocol.js';
export type { TrainingData, CheckpointArtifacts };

/** GPU backends first; a backend the context cannot start falls back (webgpu → webgl → cpu), said in `started.device`. */
export type BrowserBackend = 'webgl' | 'webgpu' | 'cpu';

export interface BrowserTrainJob {
  readonly manifest: Manifest;
  readonly data: TrainingData;
  readonly backend: BrowserBackend;
  /** Send the trained model back (tfjs artifacts) with `done`. */
  readonly checkpoint?: boolean;
}

export interface BrowserProbeJob {
  readonly manifest: Manifest;
  readonly data: TrainingData;
  /** Each is measured on its own, without falling back. */
  readonly backends: readonly ('webgl' | 'webgpu')[];
}

export type ToBrowserTrainer = { kind: 'start'; job: BrowserTrainJob } | { kind: 'probe'; job: BrowserProbeJob };

export type FromTrainer =
  | Exclude<NodeFromTrainer, { kind: 'done' | 'handoff' }>
  | { kind: 'done'; result: Omit<TrainResult, 'checkpointDir'>; checkpoint: CheckpointArtifacts | null }
  | { kind: 'probed'; probes: ProbeFigure[] };
