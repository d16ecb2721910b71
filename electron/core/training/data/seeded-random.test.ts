import { describe, expect, it } from 'vitest';
import { mulberry32, randomIndex, seededPermutation, shuffleInPlace } from './seeded-random.js';

describe('seeded random', () => {
  it('repeats the same sequence for a seed (pinned, so that splits never change silently)', () => {
    // Pinned from this implementation (the reference mulberry32 step); a change here changes every split.
    const random = mulberry32(42);
    expect([random(), random(), random()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(Array.from(seededPermutation(10, mulberry32(7)))).toEqual([6, 5, 8, 1, 2, 3, 4, 7, 9, 0]);
  });

  it('draws floats in [0, 1) that differ between seeds and spread evenly', () => {
    const a = mulberry32(1);
    const b = mulberry32(2);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(Array.from({ length: 5 }, () => b())).not.toEqual(draws.slice(0, 5));
    const buckets = new Array<number>(10).fill(0);
    for (const v of draws) buckets[Math.floor(v * 10)]! += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(900); // each tenth holds about 1,000 of 10,000
  });

  it('treats seeds as 32-bit unsigned, as the manifest allows any integer', () => {
    const negative = mulberry32(-1);
    const wrapped = mulberry32(0xffffffff);
    expect([negative(), negative()]).toEqual([wrapped(), wrapped()]);
  });

  it('shuffles to a permutation, deterministically', () => {
    const order = Array.from(seededPermutation(1000, mulberry32(9)));
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const letters = shuffleInPlace(['a', 'b', 'c', 'd', 'e'], mulberry32(3));
    expect(shuffleInPlace(['a', 'b', 'c', 'd', 'e'], mulberry32(3))).toEqual(letters);
    expect(shuffleInPlace([], mulberry32(3))).toEqual([]);
  });

  it('picks indices inside the range', () => {
    const random = mulberry32(5);
    for (let i = 0; i < 1000; i++) {
      const k = randomIndex(random, 3);
      expect(k === 0 || k === 1 || k === 2).toBe(true);
    }
    expect(randomIndex(() => 0.9999999999999999, 3)).toBe(2);
  });
});
