// Stores model-impact trainings by (state hash, seed, yardstick, training configuration), written as each one
// finishes, so a second analysis, a new commit or another method reuses them, and a killed analysis resumes.
import type { ImpactTrainingResult } from '../model-impact/training-job.js';
import type { Db } from './database.js';

export interface TrainingKey {
  readonly stateHash: string;
  readonly seed: number;
  readonly evalKey: string;
  readonly configHash: string;
}

interface Row {
  state_hash: string;
  seed: number;
  metrics: string;
  labels: string | null;
  predictions: string | null;
  seconds: number;
}

export class ModelTrainingsRepository {
  constructor(private readonly db: Db) {}

  /** Stored results of these states for one yardstick and configuration: `${stateHash} ${seed}` → result. */
  find(stateHashes: readonly string[], evalKey: string, configHash: string): Map<string, ImpactTrainingResult> {
    const out = new Map<string, ImpactTrainingResult>();
    const select = this.db.prepare<[string, string, string], Row>(
      'SELECT state_hash, seed, metrics, labels, predictions, seconds FROM model_trainings WHERE state_hash = ? AND eval_key = ? AND config_hash = ?',
    );
    for (const hash of new Set(stateHashes)) {
      for (const r of select.all(hash, evalKey, configHash)) {
        out.set(`${r.state_hash} ${r.seed}`, {
          metrics: JSON.parse(r.metrics) as Record<string, number>,
          labels: r.labels === null ? null : (JSON.parse(r.labels) as string[]),
          predictions: r.predictions === null ? null : (JSON.parse(r.predictions) as number[]),
          seconds: r.seconds,
        });
      }
    }
    return out;
  }

  save(key: TrainingKey, result: ImpactTrainingResult): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO model_trainings (state_hash, seed, eval_key, config_hash, metrics, labels, predictions, seconds, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key.stateHash,
        key.seed,
        key.evalKey,
        key.configHash,
        JSON.stringify(result.metrics),
        result.labels === null ? null : JSON.stringify(result.labels),
        result.predictions === null ? null : JSON.stringify(result.predictions),
        result.seconds,
        new Date().toISOString(),
      );
  }

  /** How many trainings are stored (all states). */
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM model_trainings').get() as { n: number }).n;
  }
}
