// Sweep points from `--set` values (grid and seeded random), each point's manifest checked, and k-fold cuts of the
// training split that leave the test rows alone.
import { describe, expect, it } from 'vitest';
import { Manifest } from '../../../shared/manifest.js';
import { tabularManifest } from '../testing/git-fixtures.js';
import type { TrainingData } from '../training/portable/train-on-data.js';
import { foldData } from './sweep-folds.js';
import { applySweepPoint, parseSweepAxis, sweepPoints } from './sweep-plan.js';
import { meanSd } from './sweep-summary.js';

const manifest = Manifest.parse({
  ...tabularManifest(5),
  model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 3, activation: 'softmax' }] },
});

describe('sweep plan', () => {
  it('parses KEY=V1,V2 and refuses what is not sweepable or not a number', () => {
    expect(parseSweepAxis('training.learningRate=0.1,0.01,0.1')).toEqual({ key: 'training.learningRate', values: [0.1, 0.01] });
    expect(parseSweepAxis('model.layers[1].rate=0,0.5')).toEqual({ key: 'model.layers[1].rate', values: [0, 0.5] });
    expect(() => parseSweepAxis('training.optimizer=adam')).toThrow(/training.optimizer: not a sweepable key/);
    expect(() => parseSweepAxis('training.epochs=3,x')).toThrow(/"x" is not a number/);
    expect(() => parseSweepAxis('training.epochs')).toThrow(/give KEY=V1,V2/);
  });

  it('a grid is every combination; random search is that many distinct ones, the same for the same seed', () => {
    const axes = [parseSweepAxis('training.batchSize=8,16,32'), parseSweepAxis('training.epochs=2,4')];
    const grid = sweepPoints(axes);
    expect(grid).toHaveLength(6);
    expect(grid[1]).toEqual({ 'training.batchSize': 8, 'training.epochs': 4 });
    const random = sweepPoints(axes, { random: 4, seed: 3 });
    expect(random).toHaveLength(4);
    expect(new Set(random.map((p) => JSON.stringify(p))).size).toBe(4);
    expect(sweepPoints(axes, { random: 4, seed: 3 })).toEqual(random);
    expect(sweepPoints(axes, { random: 10 })).toHaveLength(6);
    expect(() => sweepPoints([axes[0]!, axes[0]!])).toThrow(/given twice/);
  });

  it("sets a layer's units or rate, and names the key when the point makes an invalid manifest", () => {
    const m = applySweepPoint(manifest, { 'model.layers[0].units': 32, 'model.layers[1].rate': 0.5, 'training.learningRate': 0.003 });
    expect(m.model.layers![0]!.units).toBe(32);
    expect(m.model.layers![1]!.rate).toBe(0.5);
    expect(m.training.learningRate).toBe(0.003);
    expect(manifest.model.layers![0]!.units).toBe(16); // the project's manifest is not changed
    expect(() => applySweepPoint(manifest, { 'model.layers[0].rate': 0.5 })).toThrow(/layer 0 \(dense\) has no rate/);
    expect(() => applySweepPoint(manifest, { 'model.layers[5].units': 4 })).toThrow(/the model has 3 layers/);
    expect(() => applySweepPoint(manifest, { 'model.layers[1].rate': 2 })).toThrow(/invalid manifest: model.layers.1.rate/);
    expect(() => applySweepPoint(manifest, { 'training.batchSize': 0.5 })).toThrow(/invalid manifest: training.batchSize/);
  });
});

describe('k-fold', () => {
  const rows = (from: number, n: number) => Float32Array.from({ length: n * 2 }, (_, i) => from + Math.floor(i / 2));
  const data: TrainingData = {
    xTrain: rows(0, 7), yTrain: Float32Array.from({ length: 7 }, (_, i) => i), nTrain: 7,
    xVal: rows(7, 3), yVal: Float32Array.from({ length: 3 }, (_, i) => 7 + i), nVal: 3,
    xTest: rows(100, 4), yTest: Float32Array.from({ length: 4 }, (_, i) => 100 + i), nTest: 4,
    nFeatures: 2, labels: null,
  };

  it('holds out each training row exactly once over the folds, keeps features with their labels, never touches test', () => {
    const held: number[] = [];
    for (let index = 0; index < 3; index++) {
      const f = foldData(data, { index, count: 3, seed: 42 });
      expect(f.nTrain + f.nVal).toBe(10);
      expect([...f.yTrain, ...f.yVal].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      for (let r = 0; r < f.nVal; r++) expect([f.xVal[r * 2], f.xVal[r * 2 + 1]]).toEqual([f.yVal[r], f.yVal[r]]);
      expect(f.xTest).toBe(data.xTest);
      held.push(...f.yVal);
    }
    expect(held.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => foldData(data, { index: 3, count: 3, seed: 1 })).toThrow(/Fold 3 is not one of 0…2/);
    expect(() => foldData(data, { index: 0, count: 11, seed: 1 })).toThrow(/11 folds need at least 11 training rows/);
  });

  it('mean ± sd is the sample standard deviation', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1, n: 3 });
    expect(meanSd([5])).toEqual({ mean: 5, sd: 0, n: 1 });
  });
});
