// The messages between the app and a training process (a Node child today; a Chromium context later speaks the same).
import type { EpochRecord } from '../../../shared/contract.js';
import type { Manifest } from '../../../shared/manifest.js';

/** What a user may ask for; `auto` picks the fastest installed (tfjs-node-gpu > tfjs-node > wasm > cpu). */
export const backendChoices = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof backendChoices)[number];

export interface TrainJob {
  readonly repoDir: string;
  readonly manifest: Manifest;
  readonly backend: BackendChoice;
  /** Where the trained model is saved in tfjs format (model.json + weights.bin); none when absent. */
  readonly checkpointDir?: string;
  /** Where `auto`'s backend probes are cached (per machine and model shape); no cache when absent. */
  readonly probeCacheFile?: string;
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
  | { kind: 'started'; backend: string; device: string; probes?: ProbeFigure[]; parameters: number; trainRows: number; testRows: number }
  | { kind: 'batch'; progress: BatchProgress }
  | { kind: 'epoch'; record: EpochRecord }
  | { kind: 'done'; result: TrainResult }
  | { kind: 'failed'; message: string };
