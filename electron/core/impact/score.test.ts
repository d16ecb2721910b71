// Tests of score.ts: weights, the C = αG + βD + γPQ components, and shares that sum to 1.
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, resolveWeights, scoreContributors, type ScoreInput } from './score.js';

const input = (over: Partial<ScoreInput>): ScoreInput => ({ codeCommits: 0, codeLines: 0, docCommits: 0, docLines: 0, interactions: 0, ...over });
const sum = (xs: readonly { share: number }[]) => xs.reduce((s, x) => s + x.share, 0);

describe('score', () => {
  it('fills weights from the defaults and rejects bad ones', () => {
    expect(resolveWeights()).toEqual(DEFAULT_WEIGHTS);
    expect(resolveWeights({ gamma: 0.5 })).toEqual({ ...DEFAULT_WEIGHTS, gamma: 0.5 });
    expect(() => resolveWeights({ alpha: -1 })).toThrow(RangeError);
    expect(() => resolveWeights({ beta: Number.NaN })).toThrow(RangeError);
  });

  it('computes C = α·G + β·D + γ·PQ from shares of each component', () => {
    const w = { alpha: 0.5, beta: 0.3, gamma: 0.2 };
    const scores = scoreContributors(
      [input({ codeCommits: 3, codeLines: 300 }), input({ codeCommits: 1, codeLines: 100, docCommits: 2, docLines: 50 }), input({ interactions: 4 })],
      w,
    );
    expect(scores[0]!.score).toBeCloseTo(0.5 * 0.75);
    expect(scores[1]!.score).toBeCloseTo(0.5 * 0.25 + 0.3 * 1);
    expect(scores[2]!.score).toBeCloseTo(0.2 * 1);
    expect(sum(scores)).toBeCloseTo(1);
    expect(scores[0]!.share).toBeCloseTo(0.375 / 1);
    expect(scores[1]!.components).toEqual({ g: 0.25, d: 1, pq: 0 });
    expect(scores[2]!.components).toEqual({ g: 0, d: 0, pq: 1 });
  });

  it('averages commits and lines, using the half that exists when the other is zero for everyone', () => {
    const scores = scoreContributors([input({ codeCommits: 1, codeLines: 0 }), input({ codeCommits: 3 })], { alpha: 1, beta: 0, gamma: 0 });
    expect(scores.map((s) => s.score)).toEqual([0.25, 0.75]);
    const mixed = scoreContributors([input({ codeCommits: 1, codeLines: 90 }), input({ codeCommits: 1, codeLines: 10 })], { alpha: 1, beta: 0, gamma: 0 });
    expect(mixed[0]!.score).toBeCloseTo(0.5 * 0.5 + 0.5 * 0.9);
  });

  it('gives equal shares when every score is zero, and nothing for nobody', () => {
    const zero = scoreContributors([input({}), input({})], DEFAULT_WEIGHTS);
    expect(zero.map((s) => s.share)).toEqual([0.5, 0.5]);
    const noWeights = scoreContributors([input({ codeCommits: 2 }), input({ docCommits: 1 }), input({})], { alpha: 0, beta: 0, gamma: 0 });
    expect(noWeights.every((s) => s.score === 0)).toBe(true);
    expect(sum(noWeights)).toBeCloseTo(1);
    expect(scoreContributors([], DEFAULT_WEIGHTS)).toEqual([]);
  });
});
