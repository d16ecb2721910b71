// The messages between the renderer and its training worker: a job carries the data as typed arrays (no file
// paths in a browser); the worker answers in the trainer protocol's messages as a Chromium trainer reports them
// (shared/contract.ts `TrainerReport`: a `done` carrying the trained model's artifacts, `probed` for a probe job).
import type { ChromiumBackend } from '../../../shared/backends.js';
import type { CheckpointArtifacts, ChromiumTrainResult, TrainerReport } from '../../../shared/contract.js';
import type { TrainingData } from '../../../electron/core/training/portable/train-on-data.js';
import type { FromTrainer as NodeFromTrainer } from '../../../electron/core/training/portable/trainer-protocol.js';
import type { Manifest } from '../../../shared/manifest.js';

export type { BatchProgress, ProbeFigure } from '../../../shared/contract.js';
export type { TrainingData, CheckpointArtifacts, ChromiumTrainResult };

/** GPU backends first; a backend the context cannot start falls back (webgpu → webgl → cpu), said in `started.device`. */
export type BrowserBackend = ChromiumBackend | 'cpu';

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
  readonly backends: readonly ChromiumBackend[];
}

export type ToBrowserTrainer = { kind: 'start'; job: BrowserTrainJob } | { kind: 'probe'; job: BrowserProbeJob };

/** What the worker posts: the Node process's progress messages as they are, and a report's `done`, `probed` and `failed`. */
export type FromTrainer =
  | Extract<NodeFromTrainer, { kind: 'started' | 'batch' | 'epoch' | 'phase' }>
  | { kind: 'done'; result: ChromiumTrainResult; checkpoint: CheckpointArtifacts | null }
  | Extract<TrainerReport, { kind: 'probed' | 'failed' }>;
