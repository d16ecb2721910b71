// A sweep's results per point: each test metric as mean ± sd over the point's runs (its folds, with k-fold), and
// the validation loss of each run's best epoch the same way.
import type { Run } from '../../../shared/contract.js';
import type { SweepPoint } from './sweep-plan.js';

export interface MeanSd {
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for a single run. */
  readonly sd: number;
  readonly n: number;
}

export interface SweepPointSummary {
  readonly point: SweepPoint;
  readonly runs: readonly string[];
  /** Test metrics over the point's succeeded runs. */
  readonly metrics: Readonly<Record<string, MeanSd>>;
  /** The best epoch's validation loss over the point's runs (the held-out fold, with k-fold); null without validation. */
  readonly valLoss: MeanSd | null;
  /** Jobs of the point that failed or were cancelled. */
  readonly failed: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** Groups runs by point (in the points' order); `failed` counts a point's jobs that ended without a run. */
export function summarizeSweep(points: readonly SweepPoint[], runsOf: (point: SweepPoint) => { runs: readonly Run[]; failed: number }): SweepPointSummary[] {
  return points.map((point) => {
    const { runs, failed } = runsOf(point);
    const ok = runs.filter((r) => r.status === 'succeeded' && r.metrics);
    const names = [...new Set(ok.flatMap((r) => Object.keys(r.metrics!)))].sort();
    const metrics = Object.fromEntries(
      names.map((name) => [name, meanSd(ok.map((r) => r.metrics![name]).filter((v): v is number => typeof v === 'number'))]),
    );
    const losses = ok
      .map((r) => (r.bestEpoch != null ? r.history.find((h) => h.epoch === r.bestEpoch)?.valLoss : r.history.at(-1)?.valLoss))
      .filter((v): v is number => typeof v === 'number');
    return { point, runs: ok.map((r) => r.id), metrics, valLoss: losses.length ? meanSd(losses) : null, failed };
  });
}
