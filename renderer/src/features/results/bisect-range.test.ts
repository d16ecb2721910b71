// The Bisect action's range: from the best trained commit before the first drop beyond noise to the worst from it on.
import { describe, expect, it } from 'vitest';
import type { ModelImpactCommit } from '../../../../shared/impact';
import { bisectRange } from './bisect-range';

const commit = (sha: string, mean: number, trained = true): ModelImpactCommit => ({
  sha,
  author: sha,
  email: `${sha}@x.org`,
  credit: [`${sha}@x.org`],
  touchesModel: trained,
  trained,
  metric: { mean, low: mean, high: mean },
  delta: { mean: 0, low: 0, high: 0 },
  significant: false,
  pValue: null,
  mcnemarP: null,
  problem: null,
  runs: [],
});
const drop = (sha: string) => ({ sha, author: sha, email: `${sha}@x.org`, delta: { mean: -0.3, low: -0.4, high: -0.2 } });

describe('bisectRange', () => {
  const commits = [commit('root', 0.5, false), commit('a', 0.8), commit('docs', 0.9, false), commit('b', 0.85), commit('bad', 0.55), commit('worse', 0.5), commit('fix', 0.9)];

  it('spans the best point before the first drop to the worst one after it, skipping untrained commits', () => {
    expect(bisectRange({ commits, bisect: [drop('bad')], higherIsBetter: true })).toEqual({ good: 'b', bad: 'worse' });
  });

  it('reads "best" the other way for a loss', () => {
    const losses = [commit('a', 0.2), commit('b', 0.1), commit('bad', 0.6), commit('worse', 0.7), commit('fix', 0.1)];
    expect(bisectRange({ commits: losses, bisect: [drop('bad')], higherIsBetter: false })).toEqual({ good: 'b', bad: 'worse' });
  });

  it('offers nothing without a drop, or without a trained commit before it', () => {
    expect(bisectRange({ commits, bisect: [], higherIsBetter: true })).toBeNull();
    expect(bisectRange({ commits: [commit('root', 0.5, false), commit('bad', 0.4)], bisect: [drop('bad')], higherIsBetter: true })).toBeNull();
  });
});
