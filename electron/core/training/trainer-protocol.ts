// The messages between the app and a training process (a Node child; a Chromium context speaks the same, see
// chromium-trainer-broker.ts).
import type { EpochRecord, TrainingPhase } from '../../../shared/contract.js';
import type { Manifest } from '../../../shared/manifest.js';

/** What a user may ask for; `auto` picks the fastest installed (tfjs-node-gpu > tfjs-node > wasm > cpu). */
export const backendChoices = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof backendChoices)[number];

/** The order `auto` tries the training process's backends in (fastest first where each exists). */
export const autoOrder = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const satisfies readonly Exclude<BackendChoice, 'auto'>[];

/** The backends a Chromium context trains on (the desktop app's hidden window, or a `serve` page). */
export const chromiumBackends = ['webgpu', 'webgl'] as const;
export type ChromiumBackendName = (typeof chromiumBackends)[number];

/** Every backend a run may ask for: the training process's and Chromium's. */
export const runBackendChoices = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type RunBackendChoice = (typeof runBackendChoices)[number];

export function isChromiumBackend(b: string): b is ChromiumBackendName {
  return (chromiumBackends as readonly string[]).includes(b);
}

export interface TrainJob {
  readonly repoDir: string;
  readonly manifest: Manifest;
  readonly backend: BackendChoice;
  /** Where the trained model is saved in tfjs format (model.json + weights.bin); none when absent. */
  readonly checkpointDir?: string;
  /** Where `auto`'s backend probes are cached (per machine and model shape); no cache when absent. */
  readonly probeCacheFile?: string;
  /**
   * For `auto`: what Chromium's backends measured on this model. If one beats every backend of this process, the
   * process trains nothing and answers `handoff` naming it.
   */
  readonly rivals?: readonly ProbeFigure[];
  /** Return each test row's prediction in the result (`testPredictions`), for paired comparisons of two runs. */
  readonly keepPredictions?: true;
  /** Where loaded, encoded data is cached per input content (data/data-cache.ts); no cache when absent. */
  readonly dataCache?: DataCacheSettings;
  /** Only measure the backends for `auto` (filling the probe cache) and answer `probed`: no training. */
  readonly probeOnly?: true;
}

export interface DataCacheSettings {
  /** The cache folder, e.g. <MODELCOMMONS_HOME>/data-cache. */
  readonly dir: string;
  /** The most bytes its files may take together (0 turns the cache off); DEFAULT_DATA_CACHE_MAX_BYTES by default. */
  readonly maxBytes?: number;
}

/** One backend's probe for this model: its speed, or why it cannot train it here. */
export interface ProbeFigure {
  readonly backend: string;
  readonly device: string | null;
  readonly samplesPerSecond: number | null;
  readonly reason: string | null;
}

export interface TrainResult {
  readonly metrics: Record<string, number>;
  readonly labels: string[] | null;
  readonly confusionMatrix: number[][] | null;
  readonly seconds: number;
  /** Training samples processed per second of the training loop (the figure the benchmarks use). */
  readonly samplesPerSecond: number;
  readonly epochsRun: number;
  readonly stoppedEarly: boolean;
  readonly checkpointDir: string | null;
  /** Rows in each split: the model learns from train, is chosen on validation, and is scored once on test. */
  readonly split: SplitCounts;
  /** The epoch with the lowest validation loss (null without validation rows). */
  readonly bestEpoch: number | null;
  /** What the data or the manifest made doubtful, in a person's words (constant columns, a softmax trained as logits). */
  readonly warnings: string[];
  /**
   * With `TrainJob.keepPredictions`: per test row, in test-row order, the predicted class index (classification)
   * or value (regression). Never stored with the run.
   */
  readonly testPredictions?: number[];
}

export interface SplitCounts {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

export interface BatchProgress {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly samplesPerSecond: number;
  readonly etaSeconds: number;
}

export type ToTrainer = { kind: 'start'; job: TrainJob };

export type FromTrainer =
  | {
      kind: 'started';
      backend: string;
      device: string;
      probes?: ProbeFigure[];
      parameters: number;
      trainRows: number;
      validationRows: number;
      testRows: number;
      warnings: string[];
    }
  | { kind: 'batch'; progress: BatchProgress }
  /** Before the first batch: loading the data, or measuring a backend for `auto`. */
  | { kind: 'phase'; phase: TrainingPhase }
  | { kind: 'epoch'; record: EpochRecord }
  | { kind: 'done'; result: TrainResult }
  | { kind: 'handoff'; backend: ChromiumBackendName; probes: ProbeFigure[] }
  /** A `probeOnly` job's answer: what each backend measured (now in the probe cache). */
  | { kind: 'probed'; probes: ProbeFigure[] }
  | { kind: 'failed'; message: string };
