// The reset_after GRU against Keras's equations written out by hand in plain loops, on small weights.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backends.js';
import { GRU_RESET_AFTER_CLASS, GruResetAfter } from './gru-reset-after.js';
import { normalizeKeras } from './keras-config.js';

beforeAll(async () => {
  await activateBackend('cpu');
});

let s = 3;
const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 4294967296 - 0.5);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Keras GRU, reset_after=True (keras/src/layers/rnn/gru.py): with x·W + b_in and h·U + b_rec split into z, r, h
 * thirds, z = σ(xz + hz), r = σ(xr + hr), ĥ = tanh(xh + r ⊙ hh), h' = z ⊙ h + (1 − z) ⊙ ĥ.
 */
function referenceGru(x: number[][][], W: number[][], U: number[][], b: number[][], units: number, backwards: boolean): number[][][] {
  return x.map((sequence) => {
    let h = new Array<number>(units).fill(0);
    const out: number[][] = [];
    const steps = backwards ? [...sequence].reverse() : sequence;
    for (const xt of steps) {
      const xp = Array.from({ length: 3 * units }, (_, j) => xt.reduce((sum, v, i) => sum + v * W[i]![j]!, b[0]![j]!));
      const hp = Array.from({ length: 3 * units }, (_, j) => h.reduce((sum, v, i) => sum + v * U[i]![j]!, b[1]![j]!));
      h = h.map((prev, k) => {
        const z = sigmoid(xp[k]! + hp[k]!);
        const r = sigmoid(xp[units + k]! + hp[units + k]!);
        const candidate = Math.tanh(xp[2 * units + k]! + r * hp[2 * units + k]!);
        return z * prev + (1 - z) * candidate;
      });
      out.push(h);
    }
    return out;
  });
}

const matrix = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, rand));

describe('GRU with reset_after (Keras weights: kernel [in, 3u], recurrent_kernel [u, 3u], bias [2, 3u])', () => {
  const batch = 2;
  const steps = 5;
  const features = 3;
  const units = 4;
  const W = matrix(features, 3 * units);
  const U = matrix(units, 3 * units);
  const b = matrix(2, 3 * units);
  const x = Array.from({ length: batch }, () => matrix(steps, features));

  for (const backwards of [false, true]) {
    it(`matches the hand-written Keras equations step by step${backwards ? ' (go_backwards)' : ''}`, () => {
      const layer = new GruResetAfter({ units, returnSequences: true, goBackwards: backwards });
      const input = tfl.input({ shape: [steps, features] });
      const model = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
      layer.setWeights([tf.tensor(W), tf.tensor(U), tf.tensor(b)]);
      const got = (model.predict(tf.tensor(x)) as tf.Tensor).arraySync() as number[][][];
      const want = referenceGru(x, W, U, b, units, backwards);
      got.flat(2).forEach((v, i) => expect(v).toBeCloseTo(want.flat(2)[i]!, 5));
      model.dispose();
    });
  }

  it('returns the last state without return_sequences, and is built from a Keras config by its class name', async () => {
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [{ class_name: GRU_RESET_AFTER_CLASS, config: { name: 'gru', units, reset_after: true, batch_input_shape: [null, steps, features] } }],
      },
    };
    const model = await tfl.models.modelFromJSON({ modelTopology: topology as never });
    model.layers[0]!.setWeights([tf.tensor(W), tf.tensor(U), tf.tensor(b)]);
    const got = (model.predict(tf.tensor(x)) as tf.Tensor).arraySync() as number[][];
    const want = referenceGru(x, W, U, b, units, false).map((seq) => seq.at(-1)!);
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i]!, 5));
    expect(model.countParams()).toBe(3 * units * (features + units) + 2 * 3 * units);
    model.dispose();
  });

  it('runs inside Bidirectional (a Keras config through the translator): forward and backward last states side by side', async () => {
    const gru = { class_name: 'GRU', config: { name: 'gru', units, reset_after: true, return_sequences: false } };
    const keras = {
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'Bidirectional', config: { name: 'bidirectional', layer: gru, merge_mode: 'concat', batch_input_shape: [null, steps, features] } }] },
    };
    const model = await tfl.models.modelFromJSON({ modelTopology: normalizeKeras(keras, 'm').topology as never });
    const [W2, U2, b2] = [matrix(features, 3 * units), matrix(units, 3 * units), matrix(2, 3 * units)];
    model.layers[0]!.setWeights([W, U, b, W2, U2, b2].map((m) => tf.tensor(m)));
    const got = (model.predict(tf.tensor(x)) as tf.Tensor).arraySync() as number[][];
    const forward = referenceGru(x, W, U, b, units, false).map((seq) => seq.at(-1)!);
    const backward = referenceGru(x, W2, U2, b2, units, true).map((seq) => seq.at(-1)!);
    got.forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo([...forward[i]!, ...backward[i]!][k]!, 5)));
    model.dispose();
  });

  it('learns: gradients flow through every weight (the loss of a fit falls)', async () => {
    const input = tfl.input({ shape: [steps, features] });
    const gru = new GruResetAfter({ units, kernelInitializer: { className: 'GlorotUniform', config: { seed: 1 } }, recurrentInitializer: { className: 'GlorotUniform', config: { seed: 2 } } });
    const out = tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }).apply(gru.apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const xs = tf.randomUniform([16, steps, features], -1, 1, 'float32', 4);
    const ys = tf.reshape(tf.sum(xs, [1, 2]), [16, 1]);
    const before = gru.getWeights().map((w) => Array.from(w.dataSync()));
    const history = await model.fit(xs, ys, { epochs: 15, batchSize: 16, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    gru.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).not.toEqual(before[i]));
    model.dispose();
  });
});
