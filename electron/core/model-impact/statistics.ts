// The statistics of model impact: means with Student-t 95 % intervals, the paired t-test over seeds, and McNemar's
// exact test on paired per-row correctness. Written here because each is a few lines (the t distribution through
// the regularized incomplete beta function, Numerical Recipes' continued fraction) and no small maintained npm
// package covers the set.

/** A mean with its 95 % interval. */
export interface Interval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / (values.length - 1));
}

/** The mean and its 95 % t interval; a single value (or identical values) is its own interval. */
export function meanInterval(values: readonly number[]): Interval {
  const m = mean(values);
  if (values.length < 2) return { mean: m, low: m, high: m };
  const half = tQuantile(0.975, values.length - 1) * (standardDeviation(values) / Math.sqrt(values.length));
  return { mean: m, low: m - half, high: m + half };
}

/** A point: no noise (the trivial predictor, an untouched state's delta). */
export function pointInterval(value: number): Interval {
  return { mean: value, low: value, high: value };
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (Numerical Recipes 6.4). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom (bisection on the CDF). */
export function tQuantile(p: number, df: number): number {
  if (p <= 0 || p >= 1 || !(df > 0)) throw new RangeError(`tQuantile: p must be in (0, 1) and df > 0, not p=${p}, df=${df}`);
  if (p === 0.5) return 0;
  let lo = -1;
  let hi = 1;
  while (tCdf(lo, df) > p) lo *= 2;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Two-sided p-value of the paired t-test that the mean of `differences` is 0. Identical differences: 0 when they
 * are not 0 (the same shift on every seed), 1 when they are all 0.
 */
export function pairedTTestP(differences: readonly number[]): number {
  const n = differences.length;
  const m = mean(differences);
  if (n === 0) return 1;
  const sd = standardDeviation(differences);
  if (n < 2 || sd === 0 || sd < 1e-12 * Math.abs(m)) return m === 0 || n < 2 ? 1 : 0;
  const t = m / (sd / Math.sqrt(n));
  return Math.min(1, 2 * (1 - tCdf(Math.abs(t), n - 1)));
}

/**
 * McNemar's exact two-sided test on discordant pairs: `b` rows right only in the first, `c` right only in the
 * second (a binomial(b + c, ½) test, exact at every size).
 */
export function mcnemarP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  const logChoose = (i: number) => logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

/** The significance level every test here uses. */
export const ALPHA = 0.05;
