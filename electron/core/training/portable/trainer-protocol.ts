// The messages between the app and a training process (a Node child over IPC). The message shapes and the backend
// names are defined once in shared/ (contract.ts, backends.ts); a Chromium trainer reports the same messages over
// the contract (`trainer:report`, see chromium-trainer-broker.ts).
import type { BatchProgress, EpochRecord, ProbeFigure, TrainerStarted, TrainingPhase, TrainResult } from '../../../../shared/contract.js';
import type { BackendChoice, ProcessBackend } from '../../../../shared/backends.js';
import type { Manifest } from '../../../../shared/manifest.js';

export type { BackendChoice, BatchProgress, ProbeFigure, TrainResult };

export interface TrainJob {
  readonly repoDir: string;
  readonly manifest: Manifest;
  readonly backend: BackendChoice;
  /** Where the trained model is saved in tfjs format (model.json + weights.bin); none when absent. */
  readonly checkpointDir?: string;
  /** Where `auto`'s backend probes are cached (per machine and model shape); no cache when absent. */
  readonly probeCacheFile?: string;
  /**
   * For `auto`: once this process's backends are measured, send the figures (`measured`) and train on the backend
   * the host answers (`use`), which decides among every backend it knows (auto-backend.ts) — or, answered null,
   * train nothing and end with `probed`. Without it the process decides among its own backends.
   */
  readonly askBackend?: true;
  /** Return each test row's prediction in the result (`testPredictions`), for paired comparisons of two runs. */
  readonly keepPredictions?: true;
  /** Where loaded, encoded data is cached per input content (data/data-cache.ts); no cache when absent. */
  readonly dataCache?: DataCacheSettings;
  /** Only measure the backends for `auto` (filling the probe cache) and answer `probed`: no training. */
  readonly probeOnly?: true;
  /** k-fold cross-validation: validate on fold `index` of `count` (seeded) of the training split, train on the rest (runs/sweep-folds.ts). */
  readonly fold?: FoldSpec;
}

/** Which fold of a k-fold cross-validation a job trains: fold `index` (0-based) of `count`, drawn with `seed`. */
export interface FoldSpec {
  readonly index: number;
  readonly count: number;
  readonly seed: number;
}

export interface DataCacheSettings {
  /** The cache folder, e.g. <MODELCOMMONS_HOME>/data-cache. */
  readonly dir: string;
  /** The most bytes its files may take together (0 turns the cache off); DEFAULT_DATA_CACHE_MAX_BYTES by default. */
  readonly maxBytes?: number;
}

export type ToTrainer =
  | { kind: 'start'; job: TrainJob }
  /** The host's answer to `measured`: the backend to train on, or null to train nothing here. */
  | { kind: 'use'; backend: ProcessBackend | null };

export type FromTrainer =
  | TrainerStarted
  | { kind: 'batch'; progress: BatchProgress }
  /** Before the first batch: loading the data, or measuring a backend for `auto`. */
  | { kind: 'phase'; phase: TrainingPhase }
  | { kind: 'epoch'; record: EpochRecord }
  | { kind: 'done'; result: TrainResult }
  /** An `askBackend` job's figures: the process waits for the host's `use`. */
  | { kind: 'measured'; probes: ProbeFigure[] }
  /** A `probeOnly` job's answer (or an `askBackend` job told to train nothing): what each backend measured. */
  | { kind: 'probed'; probes: ProbeFigure[] }
  | { kind: 'failed'; message: string };
