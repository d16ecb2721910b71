// The seed score C = α·G + β·D + γ·PQ + δ·M and each contributor's normalized share. Every component is the
// contributor's fraction of the project's total for it, so the weights compare like with like (README.md). M, the
// effect on the model, comes from a model analysis (shared/impact.ts withModelTerm); the history alone gives M = 0.
import { DEFAULT_WEIGHTS, weighComponents, type ScoreParts, type Weights } from '../../../shared/impact.js';
import type { Category } from './categories.js';

/** α weighs G, the code (code, tests and config, each normalized on its own); β D, docs and data; γ PQ, interaction
 * (questions asked and answered on the forge, reviews and co-authoring); δ M, the effect on the model (Shapley). */
export type ImpactWeights = Readonly<Weights>;

export { DEFAULT_WEIGHTS };

/** What the score reads of one category for one contributor (credit of co-authored commits split, so fractional for those). */
export interface CategoryAmounts {
  /** Commits touching the category. */
  readonly commits: number;
  /** Lines added + deleted in the category's text files (for data tables: rows). */
  readonly lines: number;
  /** Binary files changed in the category (images, weights, archives: git counts no lines for them). */
  readonly files: number;
  /** Their bytes as the commits left them (blob sizes). */
  readonly bytes: number;
}

/** The categories of G and of D: each is normalized on its own before they are averaged (README.md, Score). */
const G_CATEGORIES: readonly Category[] = ['code', 'tests', 'config'];
const D_CATEGORIES: readonly Category[] = ['docs', 'data'];

/** What the score reads for one contributor. */
export interface ScoreInput {
  readonly categories: Readonly<Record<Category, CategoryAmounts>>;
  /** Reviews (Reviewed-by, Acked-by, Tested-by, another's Signed-off-by, forge reviews) plus co-authored commits. */
  readonly interactions: number;
  /** The seed's p + q: forge issues opened plus issues of others answered (0 when no forge is connected). */
  readonly questions: number;
}

/** The score's parts before weighting: score = α·g + β·d + γ·pq + δ·m (lets a UI re-score for new weights). */
export type ScoreComponents = ScoreParts;

export interface Score {
  readonly score: number;
  readonly share: number;
  readonly components: ScoreComponents;
}

/** Fills in missing weights from the defaults; rejects negative or non-finite ones. */
export function resolveWeights(weights: Partial<ImpactWeights> = {}): ImpactWeights {
  const out = { ...DEFAULT_WEIGHTS, ...Object.fromEntries(Object.entries(weights).filter(([, v]) => v !== undefined)) };
  for (const key of ['alpha', 'beta', 'gamma', 'delta'] as const) {
    const v = out[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`Weight ${key} must be a finite number ≥ 0, got ${String(v)}`);
  }
  return { alpha: out.alpha, beta: out.beta, gamma: out.gamma, delta: out.delta };
}

/**
 * Every category is normalized on its own: a person's share of it is ½·(share of its commits) + ½·(share of its
 * amount), the amount being the mean of the shares of its text lines (rows, for tables) and of its binary data,
 * which is the mean of the shares of binary files and of their bytes.
 * G is the mean of the code, tests and config shares, D of the docs and data shares, over the categories someone
 * has; so a data set (many rows, or many image files) weighs as a category, never less than one config line.
 * PQ = ½·(share of questions asked + answered) + ½·(share of reviews and co-authoring). A part nobody has is
 * left out of its mean (binary files only: the commit and file shares carry the category; no forge: PQ is the
 * review share), and a component nobody has is 0 for everyone. share = score / Σscore; when every score is 0
 * (no activity or all weights 0) the shares are equal, so they always sum to 1 for a non-empty list. M is 0 here:
 * the history alone says nothing of the model (withModelTerm fills it in from a model analysis).
 */
export function scoreContributors(inputs: readonly ScoreInput[], weights: ImpactWeights): Score[] {
  const total = (pick: (i: ScoreInput) => number) => inputs.reduce((sum, i) => sum + pick(i), 0);
  /** The mean of the parts whose project total is above 0, each as the person's fraction of it; 0 when none is. */
  const meanOfShares = (parts: readonly (readonly [value: number, total: number])[]) => {
    const present = parts.filter(([, t]) => t > 0);
    return present.length ? present.reduce((sum, [v, t]) => sum + v / t, 0) / present.length : 0;
  };
  const totals = new Map(
    [...G_CATEGORIES, ...D_CATEGORIES].map((k) => [
      k,
      {
        commits: total((i) => i.categories[k].commits),
        lines: total((i) => i.categories[k].lines),
        files: total((i) => i.categories[k].files),
        bytes: total((i) => i.categories[k].bytes),
      },
    ]),
  );
  const interactions = total((i) => i.interactions);
  const questions = total((i) => i.questions);
  const categoryShare = (i: ScoreInput, k: Category): [number, number] => {
    const t = totals.get(k)!;
    const c = i.categories[k];
    const binaryTotal = t.files > 0 || t.bytes > 0 ? 1 : 0;
    const binary = meanOfShares([[c.files, t.files], [c.bytes, t.bytes]]);
    const amountTotal = t.lines > 0 || binaryTotal > 0 ? 1 : 0;
    const amount = meanOfShares([[c.lines, t.lines], [binary, binaryTotal]]);
    // [share, 1 when someone has the category]: a category nobody touched stays out of G's or D's mean.
    return [meanOfShares([[c.commits, t.commits], [amount, amountTotal]]), t.commits > 0 || amountTotal > 0 ? 1 : 0];
  };
  const parts = inputs.map((i) => ({
    g: meanOfShares(G_CATEGORIES.map((k) => categoryShare(i, k))),
    d: meanOfShares(D_CATEGORIES.map((k) => categoryShare(i, k))),
    pq: meanOfShares([[i.questions, questions], [i.interactions, interactions]]),
    m: 0,
  }));
  return weighComponents(parts, weights).map((weighed, i) => ({ ...weighed, components: parts[i]! }));
}
