import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import { loadTabularData } from './index.js';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temporary project holding `files` (paths relative to its root). */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-impute-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** No validation rows unless a test asks: these tests are about the fills. */
function manifest(data: Record<string, unknown>, task: 'classification' | 'regression' = 'classification'): Manifest {
  const split = { validation: 0, ...(data.split as object | undefined) };
  return Manifest.parse({ name: 'fixture', task, data: { normalize: 'none', ...data, split }, model: { layers: [{ type: 'dense', units: 2 }] } });
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}

function column(x: Float32Array, nFeatures: number, at: number): number[] {
  const out: number[] = [];
  for (let i = at; i < x.length; i += nFeatures) out.push(x[i]!);
  return out;
}

async function trainingError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).kind).toBe('training');
  return (error as AppError).message;
}

// age: 1, 2, 3, 10 and one missing in training → mean 4, median 2.5.
const train = csv([['age', 'city', 'y'], [1, 'paris', 'a'], [2, 'rome', 'b'], ['', 'paris', 'a'], [3, 'oslo', 'b'], [10, '', 'a']]);
// The test file's ages (1000, missing) would move every statistic if they were used.
const test = csv([['age', 'city', 'y'], [1000, 'rome', 'a'], ['', '', 'b']]);

describe('data.impute', () => {
  it('"mean" fills numeric columns with the training mean, in both splits', async () => {
    const dir = project({ 'train.csv': train, 'test.csv': test });
    const data = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', features: ['age'], impute: 'mean' }));
    expect([...data.xTrain]).toEqual([1, 2, 4, 3, 10]);
    expect([...data.xTest]).toEqual([1000, 4]);
  });

  it('"median" uses the training median (the middle pair averaged)', async () => {
    const dir = project({ 'train.csv': train, 'test.csv': test });
    const data = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', features: ['age'], impute: 'median' }));
    expect([...data.xTrain]).toEqual([1, 2, 2.5, 3, 10]);
    expect([...data.xTest]).toEqual([1000, 2.5]);
  });

  it('"mostFrequent" fills a categorical column with its most frequent training category', async () => {
    const dir = project({ 'train.csv': train, 'test.csv': test });
    const data = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', features: ['city'], impute: 'mostFrequent' }));
    expect(data.featureNames).toEqual(['city=oslo', 'city=paris', 'city=rome']);
    expect(column(data.xTrain, 3, 1)).toEqual([1, 0, 1, 0, 1]); // the missing city of line 6 became "paris"
    expect([...data.xTest]).toEqual([0, 0, 1, 0, 1, 0]);
  });

  it('"mostFrequent" breaks a tie by code-unit order', async () => {
    const dir = project({ 'd.csv': csv([['c', 'y'], ['b', 'p'], ['a', 'q'], ['', 'p'], ['b', 'q'], ['a', 'p']]) });
    const data = await loadTabularData(dir, manifest({ train: 'd.csv', test: 'd.csv', label: 'y', impute: 'mostFrequent' }));
    expect(data.featureNames).toEqual(['c=a', 'c=b']);
    expect(column(data.xTrain, 2, 0)).toEqual([0, 1, 1, 0, 1]);
  });

  it('fits on the training split only: test values never change the fill value', async () => {
    const base = [[1, 'a'], [2, 'b'], [3, 'a'], [4, 'b'], ['', 'a'], [6, 'b'], [7, 'a'], [8, 'b'], [9, 'a'], [10, 'b']] as const;
    const fills: number[] = [];
    for (const outlier of [0, 1e6]) {
      const dir = project({
        'train.csv': csv([['x', 'y'], ...base.map((r) => [...r])]),
        'test.csv': csv([['x', 'y'], [outlier, 'a'], ['', 'b']]),
      });
      const data = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', impute: 'mean' }));
      fills.push(data.xTrain[4]!);
      expect(data.xTest[1]).toBe(data.xTrain[4]);
    }
    expect(fills).toEqual([Math.fround(50 / 9), Math.fround(50 / 9)]); // (1+2+3+4+6+7+8+9+10) / 9 either way

    // A seeded split of one file: the fill is the mean of the training rows alone.
    const rows = Array.from({ length: 20 }, (_, i) => [i === 3 ? '' : i * i, i % 2 ? 'p' : 'q']);
    const dir = project({ 'd.csv': csv([['x', 'y'], ...rows]) });
    const data = await loadTabularData(dir, manifest({ train: 'd.csv', label: 'y', impute: 'mean', split: { test: 0.25, seed: 5 } }));
    const trainValues = [...data.xTrain];
    const known = trainValues.filter((v) => Number.isInteger(Math.sqrt(v)));
    const filled = trainValues.filter((v) => !Number.isInteger(Math.sqrt(v)));
    const expected = Math.fround(known.reduce((s, v) => s + v, 0) / known.length);
    expect(filled.length + [...data.xTest].filter((v) => !Number.isInteger(Math.sqrt(v))).length).toBe(1);
    expect([...filled, ...[...data.xTest].filter((v) => !Number.isInteger(Math.sqrt(v)))]).toEqual([expected]);
  });

  it('"constant" fills numeric and categorical columns with imputeValue; a text value for a numeric column is an error', async () => {
    const dir = project({ 'train.csv': train, 'test.csv': test });
    const numeric = await loadTabularData(
      dir,
      manifest({ train: 'train.csv', test: 'test.csv', label: 'y', features: ['age'], impute: 'constant', imputeValue: -1 }),
    );
    expect([...numeric.xTrain]).toEqual([1, 2, -1, 3, 10]);
    expect([...numeric.xTest]).toEqual([1000, -1]);

    const text = await loadTabularData(
      dir,
      manifest({ train: 'train.csv', test: 'test.csv', label: 'y', features: ['city'], impute: 'constant', imputeValue: 'unknown' }),
    );
    expect(text.featureNames).toEqual(['city=oslo', 'city=paris', 'city=rome', 'city=unknown']);
    expect(column(text.xTrain, 4, 3)).toEqual([0, 0, 0, 0, 1]);
    expect(column(text.xTest, 4, 3)).toEqual([0, 1]);

    expect(
      await trainingError(
        loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', features: ['age'], impute: 'constant', imputeValue: 'none' })),
      ),
    ).toBe('data.imputeValue "none" is not a number, but column "age" is numeric');
  });

  it('a per-column object imputes just the columns it names, each its own way', async () => {
    const dir = project({ 'train.csv': train, 'test.csv': test });
    const data = await loadTabularData(
      dir,
      manifest({ train: 'train.csv', test: 'test.csv', label: 'y', impute: { age: 'median', city: 'mostFrequent' } }),
    );
    expect(data.featureNames).toEqual(['age', 'city=oslo', 'city=paris', 'city=rome']);
    expect([...data.xTest]).toEqual([1000, 0, 0, 1, 2.5, 0, 1, 0]);

    const partial = project({ 'd.csv': train });
    expect(await trainingError(loadTabularData(partial, manifest({ train: 'd.csv', test: 'd.csv', label: 'y', impute: { age: 'mean' } })))).toBe(
      'd.csv line 6, column "city": missing value',
    );
    expect(
      await trainingError(loadTabularData(partial, manifest({ train: 'd.csv', test: 'd.csv', label: 'y', features: ['age'], impute: { city: 'mostFrequent' } }))),
    ).toBe('data.impute names "city", which is not a feature column of d.csv');
  });

  it('names the column when a strategy does not fit its type', async () => {
    const dir = project({ 'train.csv': train, 'test.csv': test });
    const load = (impute: unknown, features?: string[]) =>
      loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', impute, ...(features ? { features } : {}) }));
    expect(await trainingError(load('mean'))).toBe(
      'data.impute: column "city" is categorical (text), so "mean" cannot fill it; use "mostFrequent" or "constant"',
    );
    expect(await trainingError(load({ age: 'mostFrequent' }, ['age']))).toBe(
      'data.impute: column "age" is numeric, so "mostFrequent" cannot fill it; use "mean", "median" or "constant"',
    );
    // A single strategy skips columns with nothing missing, so "median" over complete categorical columns is fine.
    const complete = project({ 'd.csv': csv([['n', 'c', 'y'], [1, 'u', 'p'], ['', 'v', 'q'], [3, 'u', 'p']]) });
    const data = await loadTabularData(complete, manifest({ train: 'd.csv', test: 'd.csv', label: 'y', impute: 'median' }));
    expect(column(data.xTrain, 3, 0)).toEqual([1, 2, 3]);
  });

  it('fails when the training split has no value to compute a statistic from', async () => {
    const dir = project({ 'train.csv': csv([['x', 'y'], ['', 'p'], ['', 'q']]), 'test.csv': csv([['x', 'y'], [5, 'p']]) });
    expect(await trainingError(loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', impute: 'mean' })))).toBe(
      'data.impute: column "x" has no values in the training split to compute the mean from',
    );
  });

  it('reads missing and null JSONL values as missing too', async () => {
    const dir = project({ 'd.jsonl': ['{"x": 2, "y": "p"}', '{"y": "q"}', '{"x": null, "y": "p"}', '{"x": 4, "y": "q"}'].join('\n') });
    const data = await loadTabularData(dir, manifest({ train: 'd.jsonl', test: 'd.jsonl', label: 'y', impute: 'mean' }));
    expect([...data.xTrain]).toEqual([2, 3, 3, 4]);
  });

  it('never imputes a label: a missing label stays an error', async () => {
    const dir = project({ 'd.csv': csv([['x', 'y'], [1, 'p'], [2, ''], [3, 'q']]) });
    expect(await trainingError(loadTabularData(dir, manifest({ train: 'd.csv', label: 'y', impute: 'mostFrequent' })))).toBe(
      'd.csv line 3, column "y": missing value',
    );
    const r = project({ 'd.csv': csv([['x', 'y'], [1, 1], [2, ''], [3, 2]]) });
    expect(await trainingError(loadTabularData(r, manifest({ train: 'd.csv', label: 'y', impute: 'mean' }, 'regression')))).toBe(
      'd.csv line 3, column "y": missing value',
    );
    expect(Manifest.safeParse({ name: 'm', task: 'regression', data: { train: 'd.csv', label: 'y', impute: { y: 'mean' } }, model: { layers: [{ type: 'dense' }] } }).success).toBe(false);
  });

  it('without impute, a missing value is still the error naming file, line and column', async () => {
    const dir = project({ 'train.csv': train });
    expect(await trainingError(loadTabularData(dir, manifest({ train: 'train.csv', label: 'y' })))).toBe(
      'train.csv line 4, column "age": missing value',
    );
  });

  it('the manifest asks for imputeValue exactly with "constant", and refuses impute with images', () => {
    const parse = (data: Record<string, unknown>) =>
      Manifest.safeParse({ name: 'm', task: 'classification', data, model: { layers: [{ type: 'dense' }] } });
    expect(parse({ train: 'd.csv', label: 'y', impute: 'constant' }).success).toBe(false);
    expect(parse({ train: 'd.csv', label: 'y', impute: 'constant', imputeValue: 0 }).success).toBe(true);
    expect(parse({ train: 'd.csv', label: 'y', impute: { a: 'mean', b: 'constant' }, imputeValue: 'x' }).success).toBe(true);
    expect(parse({ train: 'd.csv', label: 'y', impute: 'mean', imputeValue: 0 }).success).toBe(false);
    expect(parse({ train: 'd.csv', label: 'y', impute: 'average' }).success).toBe(false);
    expect(parse({ images: { train: 'img', size: [8, 8] }, impute: 'mean' }).success).toBe(false);
  });
});
