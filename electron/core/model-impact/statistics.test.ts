// Tests of statistics.ts against published values (t tables, McNemar's exact binomial, scipy's ttest_rel).
import { describe, expect, it } from 'vitest';
import { mcnemarP, meanInterval, pairedTTestP, tCdf, tQuantile } from './statistics.js';

describe('statistics', () => {
  it('gives the t table quantiles', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.7764, 4);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.2281, 4);
    expect(tQuantile(0.975, 1000)).toBeCloseTo(1.9623, 3);
    expect(tQuantile(0.025, 5)).toBeCloseTo(-2.5706, 4);
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 12);
  });

  it('makes a mean interval with the t quantile', () => {
    const i = meanInterval([1, 2, 3]);
    expect(i.mean).toBe(2);
    expect(i.high - i.mean).toBeCloseTo(4.3027 * (1 / Math.sqrt(3)), 3);
    expect(meanInterval([5])).toEqual({ mean: 5, low: 5, high: 5 });
  });

  it('matches scipy.stats.ttest_rel on paired differences', () => {
    // ttest_rel([0.9, 0.8, 0.85], [0.7, 0.72, 0.6]) → p = 0.072740 (differences 0.2, 0.08, 0.25)
    expect(pairedTTestP([0.2, 0.08, 0.25])).toBeCloseTo(0.07274, 5);
    expect(pairedTTestP([0, 0, 0])).toBe(1);
    expect(pairedTTestP([0.1, 0.1, 0.1])).toBe(0);
  });

  it("gives McNemar's exact two-sided p", () => {
    // binom_test(2, 12, 0.5) = 0.03857
    expect(mcnemarP(10, 2)).toBeCloseTo(0.03857, 4);
    expect(mcnemarP(2, 10)).toBeCloseTo(0.03857, 4);
    expect(mcnemarP(5, 5)).toBe(1);
    expect(mcnemarP(0, 0)).toBe(1);
  });
});
