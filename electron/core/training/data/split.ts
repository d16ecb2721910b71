// Seeded train/test splits: stratified by class for classification, a plain shuffle for regression.
import { AppError } from '../../app-error.js';
import { mulberry32, shuffleInPlace } from './seeded-random.js';

export interface RowSplit {
  /** Row indices, ascending. */
  readonly train: number[];
  /** Row indices, ascending. */
  readonly test: number[];
}

/** sklearn's train_test_split size: ceil(fraction × n) test rows (with a little slack for float error). */
export function testRowCount(n: number, fraction: number): number {
  return Math.ceil(fraction * n - 1e-9);
}

/**
 * Splits rows 0 … n-1 into kept rows (`train`) and held-out rows (`test`, or the validation rows when `heldOut`
 * is 'validation'). With `classes` (a class index per row) the split is stratified: each class gets its share of
 * the held-out rows (largest remainder, ties to the lower class index), and which of its rows go is a seeded
 * shuffle per class. Deterministic for a given seed.
 */
export function splitRows(
  n: number,
  fraction: number,
  seed: number,
  file: string,
  classes?: ArrayLike<number>,
  heldOut: 'test' | 'validation' = 'test',
): RowSplit {
  const nTest = testRowCount(n, fraction);
  if (n - nTest < 1 || nTest < 1) {
    const rows = heldOut === 'test' ? `${n} row${n === 1 ? '' : 's'}` : `${n} training row${n === 1 ? '' : 's'}`;
    throw new AppError(
      'training',
      `${file} has ${rows}: split.${heldOut} = ${fraction} leaves the ${nTest < 1 ? heldOut : 'training'} split empty`,
    );
  }
  const random = mulberry32(seed);
  const test: number[] = [];
  const train: number[] = [];
  if (!classes) {
    const order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), random);
    order.forEach((row, i) => (i < nTest ? test : train).push(row));
  } else {
    const byClass: number[][] = [];
    for (let i = 0; i < n; i++) (byClass[classes[i]!] ??= []).push(i);
    const groups = Array.from(byClass, (rows) => rows ?? []);
    const quota = groups.map((rows) => (rows.length * nTest) / n);
    const take = quota.map((q) => Math.floor(q + 1e-9));
    let leftover = nTest - take.reduce((s, t) => s + t, 0);
    const byRemainder = groups
      .map((_, c) => c)
      .filter((c) => take[c]! < groups[c]!.length)
      .sort((a, b) => quota[b]! - take[b]! - (quota[a]! - take[a]!) || a - b);
    for (const c of byRemainder) {
      if (leftover <= 0) break;
      take[c]! += 1;
      leftover--;
    }
    groups.forEach((rows, c) => {
      const order = shuffleInPlace([...rows], random);
      order.forEach((row, i) => (i < take[c]! ? test : train).push(row));
    });
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), test: test.sort(ascending) };
}
