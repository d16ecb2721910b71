// End to end: small tfjs-layers models train on the wasm backend, and take the same steps there as on cpu.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { rng, setUpBackends } from '../../testing/wasm-kernel-test-helpers.js';

interface Task {
  readonly build: () => tfl.Sequential;
  readonly data: () => { xs: tf.Tensor; ys: tf.Tensor };
}

const seeded = (seed: number) => tfl.initializers.glorotUniform({ seed });

/** 2 classes of 8×8×2 images: bright top half vs bright bottom half, plus noise. */
function imageData(): { xs: tf.Tensor; ys: tf.Tensor } {
  const r = rng(1);
  const n = 16;
  const values = new Float32Array(n * 8 * 8 * 2);
  const labels = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    labels[i * 2 + cls] = 1;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        for (let c = 0; c < 2; c++) {
          const bright = (y < 4) === (cls === 0) ? 1 : 0;
          values[((i * 8 + y) * 8 + x) * 2 + c] = bright + (r() - 0.5) * 0.5;
        }
      }
    }
  }
  return { xs: tf.tensor4d(values, [n, 8, 8, 2]), ys: tf.tensor2d(labels, [n, 2]) };
}

/** 2 classes of 6-token sequences: tokens from [0, 10) vs from [10, 20). */
function tokenData(): { xs: tf.Tensor; ys: tf.Tensor } {
  const r = rng(2);
  const n = 16;
  const tokens = new Float32Array(n * 6);
  const labels = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    labels[i * 2 + cls] = 1;
    for (let t = 0; t < 6; t++) tokens[i * 6 + t] = cls * 10 + Math.floor(r() * 10);
  }
  return { xs: tf.tensor2d(tokens, [n, 6]), ys: tf.tensor2d(labels, [n, 2]) };
}

const tasks: Record<string, Task> = {
  'conv2d + maxPooling2d + flatten + dense': {
    build: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({
            inputShape: [8, 8, 2],
            filters: 4,
            kernelSize: 3,
            strides: 1,
            padding: 'same',
            activation: 'relu',
            kernelInitializer: seeded(1),
          }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: seeded(2) }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: seeded(3) }),
        ],
      }),
    data: imageData,
  },
  'embedding + globalAveragePooling1d + dense': {
    build: () =>
      tfl.sequential({
        layers: [
          tfl.layers.embedding({
            inputDim: 20,
            outputDim: 8,
            inputLength: 6,
            embeddingsInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 4 }),
          }),
          tfl.layers.globalAveragePooling1d(),
          tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: seeded(5) }),
        ],
      }),
    data: tokenData,
  },
  'depthwiseConv2d + averagePooling2d + flatten + dense': {
    build: () =>
      tfl.sequential({
        layers: [
          tfl.layers.depthwiseConv2d({
            inputShape: [8, 8, 2],
            kernelSize: 3,
            depthMultiplier: 2,
            strides: 2,
            padding: 'same',
            depthwiseInitializer: seeded(6),
          }),
          tfl.layers.averagePooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: seeded(7) }),
        ],
      }),
    data: imageData,
  },
};

async function train(backend: 'cpu' | 'wasm', task: Task, optimizer: () => tf.Optimizer, epochs: number): Promise<number[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const model = task.build();
  model.compile({ optimizer: optimizer(), loss: 'categoricalCrossentropy' });
  const { xs, ys } = task.data();
  const history = await model.fit(xs, ys, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
  tf.dispose([xs, ys]);
  model.dispose();
  model.optimizer.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return history.history.loss as number[];
}

describe('training on the wasm backend', () => {
  beforeAll(setUpBackends);

  it.each(Object.entries(tasks))('%s: adam lowers the loss', async (_name, task) => {
    const losses = await train('wasm', task, () => tf.train.adam(0.02), 12);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.9);
  });

  it.each(Object.entries(tasks))('%s: sgd takes the same steps as on cpu', async (_name, task) => {
    const wasm = await train('wasm', task, () => tf.train.sgd(0.1), 4);
    const cpu = await train('cpu', task, () => tf.train.sgd(0.1), 4);
    expect(wasm).toHaveLength(4);
    expect(cpu.at(-1)!).toBeLessThan(cpu[0]!); // the steps did move the weights
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i]! - cpu[i]!)).toBeLessThan(1e-4);
  });
});
