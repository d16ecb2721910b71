import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { makeAugmenter } from './augment.js';
import { mulberry32 } from './seeded-random.js';
import { trainOnData, type TrainingData } from './train-on-data.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** `count` copies of a 3 × 4 one-channel image whose pixel (y, x) is 10·y + x. */
function ramps(count: number): Float32Array {
  const out = new Float32Array(count * 12);
  for (let i = 0; i < count; i++) for (let p = 0; p < 12; p++) out[i * 12 + p] = 10 * Math.floor(p / 4) + (p % 4);
  return out;
}

const mirrored = (image: number[]) => [0, 1, 2].flatMap((y) => image.slice(y * 4, y * 4 + 4).reverse());

describe('image augmentation', () => {
  it('a horizontal flip mirrors about half the images exactly and leaves the others as they were', () => {
    const rows = ramps(64);
    makeAugmenter({ flip: 'horizontal' }, [3, 4, 1], mulberry32(5))(rows, 64);
    const original = [...ramps(1)];
    let flipped = 0;
    for (let i = 0; i < 64; i++) {
      const image = [...rows.subarray(i * 12, i * 12 + 12)];
      if (image.join() === original.join()) continue;
      expect(image).toEqual(mirrored(original));
      flipped++;
    }
    expect(flipped).toBeGreaterThan(20);
    expect(flipped).toBeLessThan(44);
  });

  it('is the same for the same seed and different for another', () => {
    const spec = { flip: 'both', rotate: 15, shift: 0.1, zoom: 0.2 } as const;
    const run = (seed: number) => {
      const rows = ramps(8);
      makeAugmenter(spec, [3, 4, 1], mulberry32(seed))(rows, 8);
      return rows;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('keeps a uniform image uniform (edges fill with the nearest pixel) and changes only the first `count` rows', () => {
    const rows = new Float32Array(3 * 12).fill(0.25);
    rows.fill(9, 24);
    makeAugmenter({ rotate: 40, shift: 0.3, zoom: 0.5 }, [3, 4, 1], mulberry32(3))(rows, 2);
    for (const v of rows.subarray(0, 24)) expect(v).toBeCloseTo(0.25, 6);
    expect([...rows.subarray(24)]).toEqual(new Array(12).fill(9));
  });

  it('training with augmentation changes the training curve but never the validation or test rows', async () => {
    const n = 48;
    const x = new Float32Array(n * 16);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      for (let p = 0; p < 16; p++) x[i * 16 + p] = (p % 4 < 2) === (i % 2 === 0) ? 0.9 : 0.1;
    }
    const data: TrainingData = {
      xTrain: x.slice(0, 32 * 16),
      yTrain: y.slice(0, 32),
      nTrain: 32,
      xVal: x.slice(32 * 16, 40 * 16),
      yVal: y.slice(32, 40),
      nVal: 8,
      xTest: x.slice(40 * 16),
      yTest: y.slice(40),
      nTest: 8,
      nFeatures: 16,
      labels: ['left', 'right'],
    };
    const frozen = { xVal: data.xVal.slice(), xTest: data.xTest.slice() };
    const manifest = (augment?: object) =>
      Manifest.parse({
        name: 'halves',
        task: 'classification',
        data: { images: { train: 'img', size: [4, 4], channels: 1, ...(augment ? { augment } : {}) } },
        model: { layers: [{ type: 'dense', units: 2, activation: 'softmax' }] },
        training: { epochs: 3, batchSize: 8, learningRate: 0.05, seed: 1 },
      });
    const losses = async (m: Manifest) => {
      const out: number[] = [];
      await trainOnData(data, m, (msg) => msg.kind === 'epoch' && out.push(msg.record.loss));
      return out;
    };
    const plain = await losses(manifest());
    const augmented = await losses(manifest({ flip: 'horizontal', shift: 0.25 }));
    expect(augmented).not.toEqual(plain);
    expect(await losses(manifest({ flip: 'horizontal', shift: 0.25 }))).toEqual(augmented);
    expect(data.xVal).toEqual(frozen.xVal);
    expect(data.xTest).toEqual(frozen.xTest);
  });
});
