// Which two commits the Results view's Bisect searches between, from the analysis on screen: good is the best
// trained commit before the first drop beyond seed noise, bad the worst trained commit from that drop on; the core
// then trains (or reuses) about log2(n) states between them and names the first bad commit's author.
import type { ModelImpact } from '../../../../shared/impact';

export interface BisectRange {
  readonly good: string;
  readonly bad: string;
}

/** Null when nothing dropped beyond noise, or no trained commit lies before the drop to call good. */
export function bisectRange(model: Pick<ModelImpact, 'commits' | 'bisect' | 'higherIsBetter'>): BisectRange | null {
  const firstDrop = model.bisect[0];
  if (!firstDrop) return null;
  const at = model.commits.findIndex((c) => c.sha === firstDrop.sha);
  if (at < 0) return null;
  const better = (a: number, b: number) => (model.higherIsBetter ? a > b : a < b);
  const pick = (from: number, to: number, best: boolean) => {
    let chosen: ModelImpact['commits'][number] | null = null;
    for (const c of model.commits.slice(from, to)) {
      if (!c.trained) continue;
      if (!chosen || (best ? better(c.metric.mean, chosen.metric.mean) : better(chosen.metric.mean, c.metric.mean))) chosen = c;
    }
    return chosen;
  };
  const good = pick(0, at, true);
  const bad = pick(at, model.commits.length, false);
  return good && bad ? { good: good.sha, bad: bad.sha } : null;
}
