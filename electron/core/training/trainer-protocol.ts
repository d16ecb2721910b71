// The messages between the app and a training process (a Node child today; a Chromium context later speaks the same).
import type { EpochRecord } from '../../../shared/contract.js';
import type { Manifest } from '../../../shared/manifest.js';

export type BackendName = 'cpu' | 'wasm';

export interface TrainJob {
  readonly repoDir: string;
  readonly manifest: Manifest;
  readonly backend: BackendName;
}

export interface TrainResult {
  readonly metrics: Record<string, number>;
  readonly labels: string[] | null;
  readonly confusionMatrix: number[][] | null;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

export type ToTrainer = { kind: 'start'; job: TrainJob };

export type FromTrainer =
  | { kind: 'started'; backend: string; parameters: number; trainRows: number; testRows: number }
  | { kind: 'epoch'; record: EpochRecord }
  | { kind: 'done'; result: TrainResult }
  | { kind: 'failed'; message: string };
