// Shapley values of contributors to a model's metric. Exact (every coalition, per seed, so the interval is over
// paired seeds) up to EXACT_PLAYER_LIMIT players; beyond that, or when the exact count of new trainings would pass
// the budget, permutation sampling with truncation (TMC-Shapley, Ghorbani & Zou 2019): a permutation stops being
// walked once the prefix's value is within 1 % of |v(all) − v(∅)| of v(all), the rest of its players getting 0;
// the interval is over permutations. Every permutation telescopes to v(prefix) − v(∅), so the values sum to
// v(all) − v(∅) within that 1 %. Truncated permutation sampling was chosen over MSR Banzhaf because it keeps
// efficiency (Banzhaf values do not sum to the total), which the report states as a check.
import { mulberry32, shuffleInPlace } from '../training/portable/seeded-random.js';
import { meanInterval, type Interval } from './statistics.js';

export const EXACT_PLAYER_LIMIT = 8;
/** Truncation tolerance, as a fraction of |v(all) − v(∅)|. */
const TRUNCATION = 0.01;

/** Values of coalitions (lists of player indices): one number per seed, paired across coalitions. */
export type CoalitionOracle = (coalitions: readonly (readonly number[])[]) => Promise<number[][]>;

export interface ShapleyResult {
  readonly kind: 'exact' | 'sampled';
  readonly values: Interval[];
  /** Coalitions (exact) or permutations (sampled). */
  readonly samples: number;
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** Every coalition of `k` players as a list of member indices (index = bit mask). */
export function allCoalitions(k: number): number[][] {
  return Array.from({ length: 2 ** k }, (_, mask) => Array.from({ length: k }, (_, i) => i).filter((i) => mask & (1 << i)));
}

export async function exactShapley(k: number, oracle: CoalitionOracle): Promise<ShapleyResult> {
  const coalitions = allCoalitions(k);
  const v = await oracle(coalitions);
  const seeds = v[0]!.length;
  const weight = Array.from({ length: k }, (_, s) => (factorial(s) * factorial(k - s - 1)) / factorial(k));
  const values = Array.from({ length: k }, (_, i) => {
    const perSeed = Array.from({ length: seeds }, (_, seed) => {
      let phi = 0;
      for (let mask = 0; mask < coalitions.length; mask++) {
        if (mask & (1 << i)) continue;
        phi += weight[coalitions[mask]!.length]! * (v[mask | (1 << i)]![seed]! - v[mask]![seed]!);
      }
      return phi;
    });
    return meanInterval(perSeed);
  });
  return { kind: 'exact', values, samples: coalitions.length };
}

export interface SamplingOptions {
  /** Stop before a wave whose new trainings would pass this many (counted by `cost`). */
  readonly budget: number;
  /** New trainings a list of coalitions would need. */
  readonly cost: (coalitions: readonly (readonly number[])[]) => Promise<number>;
  readonly maxPermutations?: number;
  /** Permutations walked side by side (their prefixes are trained together). */
  readonly wave?: number;
  readonly seed?: number;
}

export async function sampledShapley(k: number, oracle: CoalitionOracle, options: SamplingOptions): Promise<ShapleyResult> {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [fullSeeds, emptySeeds] = await oracle([Array.from({ length: k }, (_, i) => i), []]);
  const full = mean(fullSeeds!);
  const empty = mean(emptySeeds!);
  const tolerance = TRUNCATION * Math.abs(full - empty);
  const random = mulberry32(options.seed ?? 1);
  const marginals: number[][] = Array.from({ length: k }, () => []);
  const maxPermutations = options.maxPermutations ?? 500;
  const wave = options.wave ?? 4;
  let spent = 0;
  let permutations = 0;
  while (permutations < maxPermutations) {
    const batch = Array.from({ length: Math.min(wave, maxPermutations - permutations) }, () => shuffleInPlace(Array.from({ length: k }, (_, i) => i), random));
    const walked = batch.map(() => ({ value: empty, done: false }));
    const marginal: number[][] = batch.map(() => new Array<number>(k).fill(0));
    let stopped = false;
    for (let step = 0; step < k; step++) {
      const active = batch.map((_, b) => b).filter((b) => !walked[b]!.done);
      if (!active.length) break;
      const prefixes = active.map((b) => batch[b]!.slice(0, step + 1));
      const cost = await options.cost(prefixes);
      if (spent + cost > options.budget) {
        stopped = true;
        break;
      }
      spent += cost;
      const values = (await oracle(prefixes)).map(mean);
      active.forEach((b, j) => {
        const player = batch[b]![step]!;
        marginal[b]![player] = values[j]! - walked[b]!.value;
        walked[b]!.value = values[j]!;
        if (Math.abs(full - values[j]!) <= tolerance) walked[b]!.done = true; // truncation: the rest add ~nothing
      });
    }
    if (stopped) break; // a half-walked wave is dropped: its marginals would not telescope
    for (const m of marginal) m.forEach((x, i) => marginals[i]!.push(x));
    permutations += batch.length;
  }
  if (permutations === 0) throw new RangeError(`The training budget (${options.budget}) does not cover one permutation of ${k} players`);
  return { kind: 'sampled', values: marginals.map((m) => meanInterval(m)), samples: permutations };
}
