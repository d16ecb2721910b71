// k-fold cross-validation on data already loaded: the training split (train and validation rows together) is cut
// into K seeded folds; fold k is the validation rows, the other K-1 folds the training rows; the test rows are never
// touched, so every fold is scored on the same test split.
import { AppError } from '../app-error.js';
import { mulberry32, seededPermutation } from '../training/data/seeded-random.js';
import type { TrainingData } from '../training/portable/train-on-data.js';
import type { FoldSpec } from '../training/portable/trainer-protocol.js';

export type { FoldSpec };

export function checkFoldCount(count: number): void {
  if (!Number.isInteger(count) || count < 2 || count > 100) throw new AppError('invalid-request', `--folds takes a whole number from 2 to 100, not ${count}`);
}

/** The rows of fold `index` as validation, the rest of the training split as training rows; test unchanged. */
export function foldData<T extends TrainingData>(data: T, fold: FoldSpec): T {
  checkFoldCount(fold.count);
  if (!Number.isInteger(fold.index) || fold.index < 0 || fold.index >= fold.count) throw new AppError('invalid-request', `Fold ${fold.index} is not one of 0…${fold.count - 1}`);
  const n = data.nTrain + data.nVal;
  if (n < fold.count) throw new AppError('training', `${fold.count} folds need at least ${fold.count} training rows; this data has ${n}`);
  const f = data.nFeatures;
  const yWidth = data.nTrain > 0 ? data.yTrain.length / data.nTrain : data.yVal.length / Math.max(1, data.nVal);
  const rowX = (i: number) => (i < data.nTrain ? data.xTrain.subarray(i * f, (i + 1) * f) : data.xVal.subarray((i - data.nTrain) * f, (i - data.nTrain + 1) * f));
  const rowY = (i: number) =>
    i < data.nTrain ? data.yTrain.subarray(i * yWidth, (i + 1) * yWidth) : data.yVal.subarray((i - data.nTrain) * yWidth, (i - data.nTrain + 1) * yWidth);
  const order = seededPermutation(n, mulberry32(fold.seed));
  // Shuffled position p goes to fold p mod K: fold sizes differ by at most one row.
  const valRows: number[] = [];
  const trainRows: number[] = [];
  order.forEach((row, p) => (p % fold.count === fold.index ? valRows : trainRows).push(row));
  const ascending = (a: number, b: number) => a - b;
  const gather = (rows: number[]) => {
    rows.sort(ascending);
    const x = new Float32Array(rows.length * f);
    const y = new Float32Array(rows.length * yWidth);
    rows.forEach((row, i) => {
      x.set(rowX(row), i * f);
      y.set(rowY(row), i * yWidth);
    });
    return { x, y, n: rows.length };
  };
  const train = gather(trainRows);
  const val = gather(valRows);
  return { ...data, xTrain: train.x, yTrain: train.y, nTrain: train.n, xVal: val.x, yVal: val.y, nVal: val.n };
}
