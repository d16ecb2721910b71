// Bisect on the model's metric: when the state at `bad` is worse than the state at `good` beyond seed noise (the
// paired comparison of analyze-model-impact), binary search the model-touching commits between them for the
// first whose state is worse than good's, and name its author. About log2(n) states are trained, not n.
import type { ModelBisectResult } from '../../../shared/impact.js';
import { AppError } from '../app-error.js';
import { compareStates, prepareAnalysis, type ModelImpactOptions } from './analyze-model-impact.js';
import { meanInterval } from './statistics.js';

/** The yardstick defaults to the test split at `good` (the labels known to be right), else at `bad`. */
export interface BisectOptions extends Omit<ModelImpactOptions, 'method' | 'budget' | 'exactPlayerLimit' | 'rev'> {
  /** Default: the first commit of the range. */
  readonly good?: string;
  /** Default: HEAD. */
  readonly bad?: string;
}

export async function bisectModel(dir: string, options: BisectOptions): Promise<ModelBisectResult> {
  const p = await prepareAnalysis(dir, { ...options, rev: options.bad ?? 'HEAD', ...((options.evaluation ?? options.good) ? { evaluation: options.evaluation ?? options.good } : {}) });
  try {
    const { commits, scorer, yardstick } = p;
    const goodSha = options.good ? await p.git.resolve(options.good) : commits[0]!.commit.sha;
    if (!goodSha) throw new AppError('not-found', `No commit named ${options.good}`);
    const goodAt = commits.findIndex((c) => c.commit.sha === goodSha);
    if (goodAt < 0) throw new AppError('invalid-request', `${options.good} is not on the first-parent line of ${options.bad ?? 'HEAD'}`);
    const goodState = commits[goodAt]!.state;
    const good = await scorer.score(goodState);
    const bad = await scorer.score(p.headState);
    const worse = (after: typeof good) => {
      const cmp = compareStates(good, after, yardstick.metric);
      return cmp.significant && (yardstick.higherIsBetter ? cmp.delta.mean < 0 : cmp.delta.mean > 0);
    };
    const result = {
      metric: yardstick.metric,
      higherIsBetter: yardstick.higherIsBetter,
      good: { sha: goodSha, metric: meanInterval([...good.values]) },
      bad: { sha: p.head, metric: meanInterval([...bad.values]) },
    };
    if (!worse(bad)) return { ...result, dropped: false, firstBad: null, steps: [], trainings: scorer.trainingsRun };
    // Candidates: model-touching commits after good; the last one's state is bad's.
    const candidates = commits.slice(goodAt + 1).filter((c) => c.touchesModel);
    let lo = -1; // index of the last known not-worse candidate (-1: good itself)
    let hi = candidates.length - 1; // a known worse one
    const steps: ModelBisectResult['steps'] = [];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const scored = await scorer.score(candidates[mid]!.state);
      const isBad = worse(scored);
      steps.push({ sha: candidates[mid]!.commit.sha, metric: meanInterval([...scored.values]), bad: isBad });
      if (isBad) hi = mid;
      else lo = mid;
    }
    const first = candidates[hi]!;
    const firstScore = await scorer.score(first.state);
    return {
      ...result,
      dropped: true,
      firstBad: { sha: first.commit.sha, author: first.commit.author.name, email: first.commit.author.email, metric: meanInterval([...firstScore.values]) },
      steps,
      trainings: scorer.trainingsRun,
    };
  } finally {
    p.dispose();
  }
}
