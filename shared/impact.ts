// The contributor-impact report as it crosses the contract, and the live re-scoring the weight sliders use.
import { z } from 'zod';
import { Interaction, InteractionMonth } from './forge.js';

export const impactCategories = ['code', 'docs', 'data', 'config', 'tests'] as const;
export type ImpactCategory = (typeof impactCategories)[number];

const CategoryStats = z.object({
  commits: z.number(),
  /** Lines of text files; for data tables (CSV, TSV, JSONL) these are rows. */
  linesAdded: z.number(),
  linesDeleted: z.number(),
  /** Binary files changed (images, model weights, archives): git counts no lines for them. */
  files: z.number(),
  /** Bytes of those binary files as the commits left them (blob sizes; a deletion adds none). */
  bytes: z.number(),
});

export const MonthActivity = z.object({ month: z.string(), commits: z.number(), linesAdded: z.number(), linesDeleted: z.number() });
export type MonthActivity = z.infer<typeof MonthActivity>;

export const FileImpact = z.object({
  path: z.string(),
  commits: z.number(),
  linesAdded: z.number(),
  linesDeleted: z.number(),
  category: z.enum(impactCategories),
});
export type FileImpact = z.infer<typeof FileImpact>;

/** δ may be left out (weights kept before the model term existed): it is then 0. */
export const Weights = z.object({ alpha: z.number().min(0), beta: z.number().min(0), gamma: z.number().min(0), delta: z.number().min(0).default(0) });
export type Weights = z.infer<typeof Weights>;

export { DEFAULT_WEIGHTS } from './score-weights.js';

export const ContributorImpact = z.object({
  name: z.string(),
  email: z.string(),
  emails: z.array(z.string()),
  commits: z.number(),
  merges: z.number(),
  linesAdded: z.number(),
  linesDeleted: z.number(),
  survivingLines: z.number().nullable(),
  categories: z.object({
    code: CategoryStats,
    docs: CategoryStats,
    data: CategoryStats,
    config: CategoryStats,
    tests: CategoryStats,
  }),
  coAuthored: z.number(),
  reviewed: z.number(),
  bot: z.boolean(),
  score: z.number(),
  share: z.number(),
  filesTouched: z.number(),
  firstCommit: z.string().nullable(),
  lastCommit: z.string().nullable(),
  activeDays: z.number(),
  /** Non-merge commits and lines per month ("2026-01", in the author's offset), oldest first; only months with commits. */
  activity: z.array(MonthActivity),
  /** The 10 paths the person changed most lines of (ties by path; renames on the new path). */
  topFiles: z.array(FileImpact),
  /** The score's parts before weighting: score = α·g + β·d + γ·pq + δ·m (m: the model term, see withModelTerm). */
  components: z.object({ g: z.number(), d: z.number(), pq: z.number(), m: z.number() }),
  /** Issues, answers and reviews on the connected forge (all 0 when the project is not connected). */
  interaction: Interaction,
  /** The same counts per month (UTC), oldest first, only months with any: issues by when opened, an answer or a
   * review by the person's first comment or review on it, review comments by when written. */
  interactionActivity: z.array(InteractionMonth),
  /** The person's forge logins (GitHub / GitLab usernames), linked to git identities by the forge's commit list. */
  logins: z.array(z.string()),
  /** The person's signed Shapley value on the model's metric in the project's last model analysis (absent without one). */
  modelShapley: z.number().optional(),
});
export type ContributorImpact = z.infer<typeof ContributorImpact>;

/** Where the model term M of a report came from: the project's last model analysis with Shapley values. */
export const ModelTermSource = z.object({
  metric: z.string(),
  higherIsBetter: z.boolean(),
  /** The analysed commit (HEAD of that analysis). */
  commit: z.string(),
  analysedAt: z.string(),
});
export type ModelTermSource = z.infer<typeof ModelTermSource>;

export const ImpactReport = z.object({
  contributors: z.array(ContributorImpact),
  weights: Weights,
  /** Absent when no model analysis with Shapley values exists for the project: M is then 0 for everyone. */
  modelTerm: ModelTermSource.optional(),
});
export type ImpactReport = z.infer<typeof ImpactReport>;

/** The score's parts before weighting, each the person's fraction of the project's total for it. */
export interface ScoreParts {
  readonly g: number;
  readonly d: number;
  readonly pq: number;
  readonly m: number;
}

/** C = α·G + β·D + γ·PQ + δ·M for each contributor and their share of the total: the formula's one definition. */
export function weighComponents(parts: readonly ScoreParts[], w: Weights): { score: number; share: number }[] {
  const scores = parts.map((c) => w.alpha * c.g + w.beta * c.d + w.gamma * c.pq + w.delta * c.m);
  const sum = scores.reduce((a, b) => a + b, 0);
  return scores.map((score) => ({ score, share: sum > 0 ? score / sum : parts.length ? 1 / parts.length : 0 }));
}

/** Re-scores a report for new weights without asking the core again (the score is linear in the weights). */
export function rescore<T extends Pick<ContributorImpact, 'components'>>(contributors: readonly T[], w: Weights): (T & { score: number; share: number })[] {
  const weighed = weighComponents(contributors.map((c) => c.components), w);
  return contributors.map((c, i) => ({ ...c, ...weighed[i]! }));
}

// ── Model impact: each contributor's effect on the model's results, measured by replaying the history ──

export const modelImpactMethods = ['replay', 'loo', 'shapley', 'all'] as const;
export type ModelImpactMethod = (typeof modelImpactMethods)[number];

/** A mean over paired seeds with its 95 % t interval. */
export const MetricInterval = z.object({ mean: z.number(), low: z.number(), high: z.number() });
export type MetricInterval = z.infer<typeof MetricInterval>;

export const ModelImpactCommit = z.object({
  sha: z.string(),
  author: z.string(),
  email: z.string(),
  /** Everyone the commit credits (author, co-authors; a merge: the merged commits' people), by email. */
  credit: z.array(z.string()),
  /** False when the commit changes nothing training reads: its delta is exactly 0 and it is never trained. */
  touchesModel: z.boolean(),
  /** Whether the commit's state was trained (false for untouched and untrainable states). */
  trained: z.boolean(),
  metric: MetricInterval,
  delta: MetricInterval,
  /** Beyond seed noise: the paired t-test over seeds and, for accuracy, McNemar on the paired predictions (both p < 0.05). */
  significant: z.boolean(),
  pValue: z.number().nullable(),
  mcnemarP: z.number().nullable(),
  /** Why the state scored as the trivial predictor (no manifest yet, a missing data file, …). */
  problem: z.string().nullable(),
  /** The paired trainings behind the point: the metric of each seed on the yardstick (empty when the state was not
   * trainable). A commit that touches nothing the model reads shows its parent's state's runs. */
  runs: z.array(z.object({ seed: z.number().int(), metric: z.number() })).default([]),
});
export type ModelImpactCommit = z.infer<typeof ModelImpactCommit>;

export const ModelImpactContributor = z.object({
  name: z.string(),
  email: z.string(),
  bot: z.boolean(),
  /** Sum of the deltas of their commits (a commit's delta shared equally by the people it credits). */
  replayDelta: z.number(),
  /** HEAD's metric minus the metric of HEAD without their commits; null when not computed. */
  leaveOneOut: z.number().nullable(),
  shapley: MetricInterval.nullable(),
  significant: z.boolean(),
});
export type ModelImpactContributor = z.infer<typeof ModelImpactContributor>;

export const ModelImpact = z.object({
  metric: z.string(),
  higherIsBetter: z.boolean(),
  seeds: z.number().int(),
  method: z.enum(modelImpactMethods),
  /** The yardstick: the test split at this commit (its rows), the same for every state. */
  evaluation: z.object({ commit: z.string(), rows: z.number().int(), description: z.string() }),
  /** Trainings actually run by this analysis (stored ones reused are `cached`). */
  trainings: z.number().int(),
  cached: z.number().int(),
  /** Distinct model states scored. */
  states: z.number().int(),
  /** What a naive replay would train: every commit × seeds, and every coalition (2^players) × seeds. */
  naive: z.object({ commits: z.number().int(), coalitions: z.number() }),
  full: MetricInterval,
  /** v(nobody): the trivial predictor (majority class / mean of the training labels) on the yardstick. */
  empty: MetricInterval,
  /** Seed noise at HEAD: the standard deviation over seeds and the half-width of the 95 % interval. */
  noise: z.object({ sd: z.number(), halfWidth: z.number() }),
  shapley: z
    .object({
      kind: z.enum(['exact', 'sampled']),
      players: z.number().int(),
      /** Permutations drawn (sampled), or coalitions evaluated (exact). */
      samples: z.number().int(),
      /** Σ shapley − (full − empty), which efficiency keeps near 0. */
      efficiencyGap: z.number(),
    })
    .nullable(),
  commits: z.array(ModelImpactCommit),
  contributors: z.array(ModelImpactContributor),
  /** Commits a coalition's replay could not apply without a commit outside it. */
  skipped: z.array(z.object({ sha: z.string(), author: z.string(), coalitions: z.number().int() })),
  /** Commits where the metric drops beyond seed noise, each named with its author. */
  bisect: z.array(z.object({ sha: z.string(), author: z.string(), email: z.string(), delta: MetricInterval })),
});
export type ModelImpact = z.infer<typeof ModelImpact>;

export const ModelBisectResult = z.object({
  metric: z.string(),
  higherIsBetter: z.boolean(),
  good: z.object({ sha: z.string(), metric: MetricInterval }),
  bad: z.object({ sha: z.string(), metric: MetricInterval }),
  /** Whether bad is worse than good beyond seed noise; when not, there is nothing to bisect. */
  dropped: z.boolean(),
  /** The first model-touching commit whose state is worse than good beyond noise. */
  firstBad: z.object({ sha: z.string(), author: z.string(), email: z.string(), metric: MetricInterval }).nullable(),
  /** States tested on the way, in order. */
  steps: z.array(z.object({ sha: z.string(), metric: MetricInterval, bad: z.boolean() })),
  trainings: z.number().int(),
});
export type ModelBisectResult = z.infer<typeof ModelBisectResult>;

/** A project's last model analysis as stored (read back when the Results & credit view opens), and the last bisect
 * run on it (cleared by a newer analysis). */
export const StoredModelImpact = z.object({
  report: ModelImpact,
  analysedAt: z.string(),
  bisect: ModelBisectResult.nullable(),
});
export type StoredModelImpact = z.infer<typeof StoredModelImpact>;

/**
 * The model term M of the score, from each contributor's Shapley value φ in a model analysis: M = b / Σb with
 * b = max(0, φ) when higher is better (max(0, −φ) for a loss), so like the other components it is the person's
 * fraction of the project's total and the shares still sum to 1. A negative effect counts 0 in the share (the
 * score never goes below 0); the signed φ is kept beside it as `modelShapley`. Contributors are matched by any
 * of their emails; nobody with a positive effect, or no Shapley values: M is 0 for everyone.
 */
export function modelTerm(people: readonly Pick<ContributorImpact, 'email' | 'emails'>[], model: Pick<ModelImpact, 'contributors' | 'higherIsBetter'>): { m: number; shapley: number | null }[] {
  const byEmail = new Map<string, number>();
  for (const c of model.contributors) if (c.shapley) byEmail.set(c.email.toLowerCase(), c.shapley.mean);
  const signedValues = people.map((p) => {
    for (const e of [p.email, ...p.emails]) {
      const v = byEmail.get(e.toLowerCase());
      if (v !== undefined) return v;
    }
    return null;
  });
  const benefit = signedValues.map((v) => (v === null ? 0 : Math.max(0, model.higherIsBetter ? v : -v)));
  const total = benefit.reduce((a, b) => a + b, 0);
  return signedValues.map((shapley, i) => ({ m: total > 0 ? benefit[i]! / total : 0, shapley }));
}

/** The report with M from this model analysis (its Shapley values) and every score re-weighed; without an analysis
 * with Shapley values, M is 0 and `modelTerm` is left out. */
export function withModelTerm<R extends { contributors: readonly ContributorImpact[]; weights: Weights }>(
  report: R,
  stored: { report: ModelImpact; analysedAt: string } | null,
): R & { modelTerm?: ModelTermSource } {
  const { modelTerm: _old, ...rest } = report as R & { modelTerm?: ModelTermSource };
  const model = stored && stored.report.contributors.some((c) => c.shapley) ? stored.report : null;
  const terms = model ? modelTerm(report.contributors, model) : report.contributors.map(() => ({ m: 0, shapley: null }));
  const contributors = rescore(
    report.contributors.map(({ modelShapley: _s, ...c }, i) => ({
      ...c,
      components: { ...c.components, m: terms[i]!.m },
      ...(terms[i]!.shapley !== null ? { modelShapley: terms[i]!.shapley! } : {}),
    })),
    report.weights,
  );
  const source = model ? { metric: model.metric, higherIsBetter: model.higherIsBetter, commit: model.commits.at(-1)?.sha ?? '', analysedAt: stored!.analysedAt } : null;
  return { ...(rest as R), contributors, ...(source ? { modelTerm: source } : {}) };
}

/** What a model-impact analysis may be asked for (the contract's `impact:model` beyond the project). */
export const ModelImpactRequest = z.object({
  seeds: z.number().int().min(2).max(50).optional(),
  method: z.enum(modelImpactMethods).optional(),
  /** At most this many new trainings for the Shapley part. */
  budget: z.number().int().positive().optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  /** The commit whose test split is the yardstick (default: the analysed commit, HEAD). */
  evaluation: z.string().min(1).optional(),
  /** Training workers side by side (default: one per core). */
  workers: z.number().int().positive().max(64).optional(),
});
export type ModelImpactRequest = z.infer<typeof ModelImpactRequest>;

export const ModelBisectRequest = z.object({
  good: z.string().min(1).optional(),
  bad: z.string().min(1).optional(),
  seeds: z.number().int().min(2).max(50).optional(),
  evaluation: z.string().min(1).optional(),
  workers: z.number().int().positive().max(64).optional(),
});
export type ModelBisectRequest = z.infer<typeof ModelBisectRequest>;

export const modelImpactPhases = ['history', 'states', 'replay', 'training'] as const;

/** Progress of a model-impact analysis or bisect: "37/64 trainings, ETA 12 s" in the training phase. */
export const ModelImpactProgress = z.object({
  projectId: z.string(),
  phase: z.enum(modelImpactPhases),
  done: z.number(),
  total: z.number(),
  etaSeconds: z.number().nullable(),
});
export type ModelImpactProgress = z.infer<typeof ModelImpactProgress>;
