// The contributor-impact report as it crosses the contract, and the live re-scoring the weight sliders use.
import { z } from 'zod';

export const impactCategories = ['code', 'docs', 'data', 'config', 'tests'] as const;
export type ImpactCategory = (typeof impactCategories)[number];

const CategoryStats = z.object({ commits: z.number(), linesAdded: z.number(), linesDeleted: z.number() });

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

export const Weights = z.object({ alpha: z.number().min(0), beta: z.number().min(0), gamma: z.number().min(0) });
export type Weights = z.infer<typeof Weights>;

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
  /** The score's parts before weighting: score = α·g + β·d + γ·pq. */
  components: z.object({ g: z.number(), d: z.number(), pq: z.number() }),
});
export type ContributorImpact = z.infer<typeof ContributorImpact>;

export const ImpactReport = z.object({
  contributors: z.array(ContributorImpact),
  weights: Weights,
});
export type ImpactReport = z.infer<typeof ImpactReport>;

/** Re-scores a report for new weights without asking the core again (the score is linear in the weights). */
export function rescore<T extends Pick<ContributorImpact, 'components'>>(contributors: readonly T[], w: Weights): (T & { score: number; share: number })[] {
  const scores = contributors.map((c) => w.alpha * c.components.g + w.beta * c.components.d + w.gamma * c.components.pq);
  const sum = scores.reduce((a, b) => a + b, 0);
  return contributors.map((c, i) => ({
    ...c,
    score: scores[i]!,
    share: sum > 0 ? scores[i]! / sum : contributors.length ? 1 / contributors.length : 0,
  }));
}
