import { describe, expect, it } from 'vitest';
import { AppError } from '../../app-error.js';
import { splitRows, testRowCount } from './split.js';

describe('splitRows', () => {
  it('takes ceil(fraction × n) test rows, forgiving float error', () => {
    expect(testRowCount(10, 0.3)).toBe(3); // 0.3 × 10 = 3.0000000000000004 in floating point
    expect(testRowCount(10, 0.25)).toBe(3);
    expect(testRowCount(100, 0.2)).toBe(20);
    expect(testRowCount(7, 0.01)).toBe(1);
  });

  it('partitions the rows, each split in ascending order', () => {
    const { train, test } = splitRows(50, 0.2, 42, 'd.csv');
    expect(test).toHaveLength(10);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(test).toEqual([...test].sort((a, b) => a - b));
    expect(splitRows(50, 0.2, 42, 'd.csv')).toEqual({ train, test });
    expect(splitRows(50, 0.2, 43, 'd.csv').test).not.toEqual(test);
  });

  it('stratifies with largest-remainder shares', () => {
    // 6 of class 0, 3 of class 1, 1 of class 2; fraction 0.3 → 3 test rows.
    // Shares 1.8 / 0.9 / 0.3 → floors 1 / 0 / 0, remainders .8 / .9 / .3 → the 2 left go to classes 1 and 0.
    const classes = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2];
    const { train, test } = splitRows(10, 0.3, 1, 'd.csv', classes);
    const count = (rows: number[], c: number) => rows.filter((r) => classes[r] === c).length;
    expect([0, 1, 2].map((c) => count(test, c))).toEqual([2, 1, 0]);
    expect([0, 1, 2].map((c) => count(train, c))).toEqual([4, 2, 1]);
  });

  it('refuses a split that leaves a side empty', () => {
    expect(() => splitRows(1, 0.5, 1, 'd.csv')).toThrow(AppError);
    expect(() => splitRows(4, 0.9, 1, 'd.csv')).toThrow('d.csv has 4 rows: split.test = 0.9 leaves the training split empty');
    expect(() => splitRows(0, 0.2, 1, 'd.csv')).toThrow(/empty/);
  });
});
