// Scores model states on the yardstick: `seeds` paired trainings per state (seed i is the same training seed in
// every state), each looked up in the store first and saved the moment it finishes, run through one
// TrainingRunner; untrainable states score as the trivial predictor. Progress counts the trainings actually run.
import { createHash } from 'node:crypto';
import { AppError } from '../app-error.js';
import type { ModelTrainingsRepository } from '../store/model-trainings-repository.js';
import type { BackendChoice } from '../../../shared/backends.js';
import type { ModelState } from './model-states.js';
import type { ImpactTrainingResult, TrainingRunner } from './training-job.js';
import type { PreparedState, Yardstick, YardstickBuilder } from './yardstick.js';

/** Bumped when anything outside the state changes what a training gives (the job's shape, the seeds' meaning). */
const TRAINING_CONFIG_VERSION = 1;

export interface ScoredState {
  readonly hash: string;
  /** The metric per seed (the trivial predictor's value on every seed for an untrainable state). */
  readonly values: readonly number[];
  /** Per seed: which evaluation rows were predicted right (classification with predictions), else null. */
  readonly correct: readonly (Uint8Array | null)[];
  readonly trivial: boolean;
  /** Why the state scored as the trivial predictor. */
  readonly problem: string | null;
}

export interface TrainingProgress {
  readonly done: number;
  readonly total: number;
  /** Seconds left at the pace so far; null before the first training finishes. */
  readonly etaSeconds: number | null;
}

export interface ScorerOptions {
  readonly seeds: number;
  readonly backend: BackendChoice;
  readonly runner: TrainingRunner;
  readonly store: ModelTrainingsRepository | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: TrainingProgress) => void;
}

export class StateScorer {
  readonly configHash: string;
  private readonly scored = new Map<string, Promise<ScoredState>>();
  /** Trainings run by this scorer (store hits excluded) and store hits. */
  trainingsRun = 0;
  cacheHits = 0;
  private planned = 0;
  private finished = 0;
  private startedAt = 0;

  constructor(
    private readonly yardstick: Yardstick,
    private readonly builder: YardstickBuilder,
    private readonly options: ScorerOptions,
  ) {
    this.configHash = createHash('sha256').update(JSON.stringify({ v: TRAINING_CONFIG_VERSION, backend: options.backend, predictions: true })).digest('hex');
  }

  get seeds(): number {
    return this.options.seeds;
  }

  /** Trainings the states would still need (neither scored here nor stored). */
  missingTrainings(states: readonly ModelState[]): number {
    const fresh = uniqueTrainable(states).filter((s) => !this.scored.has(s.hash));
    if (!fresh.length) return 0;
    const stored = this.options.store?.find(fresh.map((s) => s.hash), this.yardstick.key, this.configHash) ?? new Map();
    let n = 0;
    for (const s of fresh) for (let seed = 1; seed <= this.options.seeds; seed++) if (!stored.has(`${s.hash} ${seed}`)) n++;
    return n;
  }

  /** Scores every state (trainings of all of them queued at once, so the pool stays full). */
  scoreAll(states: readonly ModelState[]): Promise<ScoredState[]> {
    const fresh = uniqueTrainable(states).filter((s) => !this.scored.has(s.hash));
    const stored = fresh.length ? (this.options.store?.find(fresh.map((s) => s.hash), this.yardstick.key, this.configHash) ?? new Map()) : new Map();
    for (const s of fresh) {
      const missing = Array.from({ length: this.options.seeds }, (_, i) => i + 1).filter((seed) => !stored.has(`${s.hash} ${seed}`));
      this.planned += missing.length;
      this.scored.set(s.hash, this.scoreNow(s, stored));
    }
    this.report();
    return Promise.all(states.map((s) => this.score(s)));
  }

  score(state: ModelState): Promise<ScoredState> {
    if (state.problem) return Promise.resolve(this.trivial(state.hash, state.problem));
    const known = this.scored.get(state.hash);
    return known ?? this.scoreAll([state]).then((all) => all[0]!);
  }

  private async scoreNow(state: ModelState, stored: Map<string, ImpactTrainingResult>): Promise<ScoredState> {
    const { seeds, runner, signal, store, backend } = this.options;
    let prepared: PreparedState | null = null;
    try {
      // A state whose every seed is stored needs no training folder.
      const allStored = Array.from({ length: seeds }, (_, i) => stored.has(`${state.hash} ${i + 1}`)).every(Boolean);
      if (!allStored) prepared = await this.builder.prepare(state);
    } catch (err) {
      if (err instanceof AppError && err.kind === 'training') {
        this.skipPlanned(state, stored);
        return this.trivial(state.hash, err.message);
      }
      throw err;
    }
    const results = await Promise.allSettled(
      Array.from({ length: seeds }, async (_, i) => {
        const seed = i + 1;
        const hit = stored.get(`${state.hash} ${seed}`);
        if (hit) {
          this.cacheHits++;
          return hit;
        }
        const manifest = { ...prepared!.manifest, training: { ...prepared!.manifest.training, seed } };
        const result = await runner.run({ dir: prepared!.dir, manifest, backend }, signal);
        store?.save({ stateHash: state.hash, seed, evalKey: this.yardstick.key, configHash: this.configHash }, result);
        this.trainingsRun++;
        this.finished++;
        this.report();
        return result;
      }),
    );
    if (signal?.aborted) throw new AppError('conflict', 'The model-impact analysis was cancelled');
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      const err = failure.reason as unknown;
      // The project's own data or manifest failing at this state: the state cannot be trained, like one without a manifest.
      if (err instanceof AppError && err.kind === 'training' && !/worker stopped unexpectedly/.test(err.message)) return this.trivial(state.hash, err.message);
      throw err;
    }
    const ok = results.map((r) => (r as PromiseFulfilledResult<ImpactTrainingResult>).value);
    const metric = this.yardstick.metric;
    const values = ok.map((r) => {
      const v = r.metrics[metric];
      if (v === undefined) throw new AppError('training', `The training gave no "${metric}" metric`);
      return v;
    });
    return { hash: state.hash, values, correct: ok.map((r) => this.correctRows(r)), trivial: false, problem: null };
  }

  private correctRows(r: ImpactTrainingResult): Uint8Array | null {
    const truth = this.yardstick.truth;
    if (!truth || !r.predictions || !r.labels || r.predictions.length !== truth.length) return null;
    const out = new Uint8Array(truth.length);
    for (let i = 0; i < truth.length; i++) out[i] = r.labels[r.predictions[i]!] === truth[i] ? 1 : 0;
    return out;
  }

  private trivial(hash: string, problem: string): ScoredState {
    const v = this.yardstick.trivial[this.yardstick.metric]!;
    const correct = this.yardstick.trivialCorrect;
    return { hash, values: Array.from({ length: this.options.seeds }, () => v), correct: Array.from({ length: this.options.seeds }, () => correct), trivial: true, problem };
  }

  private skipPlanned(state: ModelState, stored: Map<string, ImpactTrainingResult>): void {
    for (let seed = 1; seed <= this.options.seeds; seed++) if (!stored.has(`${state.hash} ${seed}`)) this.planned--;
    this.report();
  }

  private report(): void {
    if (!this.options.onProgress) return;
    const now = Date.now();
    if (this.finished === 0 || this.startedAt === 0) this.startedAt = this.startedAt || now;
    const elapsed = (now - this.startedAt) / 1000;
    const eta = this.finished > 0 ? ((this.planned - this.finished) * elapsed) / this.finished : null;
    this.options.onProgress({ done: this.finished, total: this.planned, etaSeconds: eta });
  }
}

function uniqueTrainable(states: readonly ModelState[]): ModelState[] {
  const seen = new Set<string>();
  return states.filter((s) => !s.problem && !seen.has(s.hash) && (seen.add(s.hash), true));
}
