// Tests of score.ts: weights, the C = αG + βD + γPQ components (each category normalized on its own), and
// shares that sum to 1.
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from './categories.js';
import { DEFAULT_WEIGHTS, resolveWeights, scoreContributors, type CategoryAmounts, type ScoreInput } from './score.js';

const none: CategoryAmounts = { commits: 0, lines: 0, files: 0, bytes: 0 };
const input = (cats: Partial<Record<Category, Partial<CategoryAmounts>>> = {}, over: Partial<Omit<ScoreInput, 'categories'>> = {}): ScoreInput => ({
  categories: Object.fromEntries(CATEGORIES.map((k) => [k, { ...none, ...cats[k] }])) as Record<Category, CategoryAmounts>,
  interactions: 0,
  questions: 0,
  ...over,
});
const sum = (xs: readonly { share: number }[]) => xs.reduce((s, x) => s + x.share, 0);

describe('score', () => {
  it('fills weights from the defaults and rejects bad ones', () => {
    expect(resolveWeights()).toEqual(DEFAULT_WEIGHTS);
    expect(resolveWeights({ gamma: 0.5, delta: 0 })).toEqual({ ...DEFAULT_WEIGHTS, gamma: 0.5, delta: 0 });
    expect(() => resolveWeights({ alpha: -1 })).toThrow(RangeError);
    expect(() => resolveWeights({ beta: Number.NaN })).toThrow(RangeError);
  });

  it('computes C = α·G + β·D + γ·PQ from shares of each component', () => {
    const w = { alpha: 0.5, beta: 0.3, gamma: 0.2, delta: 0 };
    const scores = scoreContributors(
      [input({ code: { commits: 3, lines: 300 } }), input({ code: { commits: 1, lines: 100 }, docs: { commits: 2, lines: 50 } }), input({}, { interactions: 4 })],
      w,
    );
    expect(scores[0]!.score).toBeCloseTo(0.5 * 0.75);
    expect(scores[1]!.score).toBeCloseTo(0.5 * 0.25 + 0.3 * 1);
    expect(scores[2]!.score).toBeCloseTo(0.2 * 1);
    expect(sum(scores)).toBeCloseTo(1);
    expect(scores[0]!.share).toBeCloseTo(0.375 / 1);
    expect(scores[1]!.components).toEqual({ g: 0.25, d: 1, pq: 0, m: 0 });
    expect(scores[2]!.components).toEqual({ g: 0, d: 0, pq: 1, m: 0 });
  });

  it('averages commits and lines, using the half that exists when the other is zero for everyone', () => {
    const scores = scoreContributors([input({ code: { commits: 1 } }), input({ code: { commits: 3 } })], { alpha: 1, beta: 0, gamma: 0, delta: 0 });
    expect(scores.map((s) => s.score)).toEqual([0.25, 0.75]);
    const mixed = scoreContributors([input({ code: { commits: 1, lines: 90 } }), input({ code: { commits: 1, lines: 10 } })], { alpha: 1, beta: 0, gamma: 0, delta: 0 });
    expect(mixed[0]!.score).toBeCloseTo(0.5 * 0.5 + 0.5 * 0.9);
  });

  it('normalizes each category before averaging: a data set is not worth less than one config line', () => {
    // One person adds 2,000 images (binary: no lines) and 719 rows of a table; another changes one config line;
    // a third writes all the code.
    const people = [
      input({ data: { commits: 2, lines: 719, files: 2000 } }),
      input({ config: { commits: 1, lines: 1 } }),
      input({ code: { commits: 10, lines: 5000 } }),
    ];
    const [data, config, code] = scoreContributors(people, { alpha: 0.5, beta: 0.5, gamma: 0, delta: 0 });
    expect(data!.components.d).toBe(1);
    expect(config!.components.g).toBeCloseTo(0.5); // config is one of the two code-side categories someone has
    expect(code!.components.g).toBeCloseTo(0.5);
    expect(data!.score).toBeGreaterThanOrEqual(config!.score);
    // Binary files alone carry a category: files stand in for the lines nobody has.
    const images = scoreContributors([input({ data: { commits: 1, files: 30 } }), input({ data: { commits: 1, files: 10 } })], { alpha: 0, beta: 1, gamma: 0, delta: 0 });
    expect(images.map((s) => s.components.d)).toEqual([0.5 * 0.5 + 0.5 * 0.75, 0.5 * 0.5 + 0.5 * 0.25]);
  });

  it('makes PQ half questions (issues opened + answers) and half reviews, or reviews alone without a forge', () => {
    const withForge = scoreContributors([input({}, { questions: 3, interactions: 0 }), input({}, { questions: 1, interactions: 2 })], { alpha: 0, beta: 0, gamma: 1, delta: 0 });
    expect(withForge.map((s) => s.components.pq)).toEqual([0.5 * 0.75, 0.5 * 0.25 + 0.5 * 1]);
    const without = scoreContributors([input({}, { interactions: 1 }), input({}, { interactions: 3 })], { alpha: 0, beta: 0, gamma: 1, delta: 0 });
    expect(without.map((s) => s.components.pq)).toEqual([0.25, 0.75]);
  });

  it('gives equal shares when every score is zero, and nothing for nobody', () => {
    const zero = scoreContributors([input(), input()], DEFAULT_WEIGHTS);
    expect(zero.map((s) => s.share)).toEqual([0.5, 0.5]);
    const noWeights = scoreContributors([input({ code: { commits: 2 } }), input({ docs: { commits: 1 } }), input()], { alpha: 0, beta: 0, gamma: 0, delta: 0 });
    expect(noWeights.every((s) => s.score === 0)).toBe(true);
    expect(sum(noWeights)).toBeCloseTo(1);
    expect(scoreContributors([], DEFAULT_WEIGHTS)).toEqual([]);
  });
});
