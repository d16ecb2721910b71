// The one job interface of model-impact trainings: what a state's training needs and gives back. The local pool
// (training-pool.ts) implements TrainingRunner; a queue of remote workers (Redis/BullMQ) can implement the same.
import type { Manifest } from '../../../shared/manifest.js';
import type { BackendChoice } from '../../../shared/backends.js';

export interface ImpactTrainingJob {
  /** A folder holding the derived manifest's files (see yardstick.ts). */
  readonly dir: string;
  /** The derived manifest; `training.seed` is the job's seed. */
  readonly manifest: Manifest;
  readonly backend: BackendChoice;
}

export interface ImpactTrainingResult {
  /** Every metric of the evaluation (evaluation.ts) on the yardstick. */
  readonly metrics: Readonly<Record<string, number>>;
  /** The class order of the training (classification), to read predictions. */
  readonly labels: readonly string[] | null;
  /** Per evaluation row: the predicted class index (classification) or value (regression); null when the trainer gives none. */
  readonly predictions: readonly number[] | null;
  readonly seconds: number;
}

export interface TrainingRunner {
  /** Trainings run side by side. */
  readonly concurrency: number;
  run(job: ImpactTrainingJob, signal?: AbortSignal): Promise<ImpactTrainingResult>;
  close(): Promise<void>;
}
