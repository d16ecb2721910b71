import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSimdKernelsEnabled } from './simd/simd-kernels.js';
import { compareWithCpu, describeCase, maxAbsDiff, randomTensor, rng, runKernel, setUpBackends, type HostTensor } from '../../testing/wasm-kernel-test-helpers.js';

interface Case {
  readonly name: string;
  readonly xShape: [number, number, number, number];
  readonly filterSize: [number, number];
  readonly strides: [number, number];
  readonly pad: 'same' | 'valid' | number;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** Relu-like inputs: about half the values are exactly 0, so windows tie and the first maximum must win. */
  readonly ties?: boolean;
}

function poolCase(
  batch: number,
  [h, w]: [number, number],
  channels: number,
  filterSize: [number, number],
  strides: [number, number],
  pad: Case['pad'],
  extra: Partial<Pick<Case, 'dimRoundingMode' | 'ties'>> = {},
): Case {
  const xShape: [number, number, number, number] = [batch, h, w, channels];
  return { name: describeCase({ filterSize, strides, pad, ...extra }, { x: xShape }), xShape, filterSize, strides, pad, ...extra };
}

const fixed: Case[] = [
  // The two shapes where tfjs-backend-wasm 4.22's own kernel disagrees with cpu (max abs error 7 and 25 here).
  poolCase(1, [5, 5], 1, [2, 2], [2, 2], 'same'),
  poolCase(1, [6, 6], 1, [2, 2], [1, 1], 'valid'),
  poolCase(1, [5, 5], 1, [3, 3], [2, 2], 'same'),
  poolCase(1, [5, 5], 1, [2, 2], [2, 2], 'valid'),
  poolCase(64, [26, 26], 16, [2, 2], [2, 2], 'valid', { ties: true }), // the MNIST conv net of bench/train-speed.ts
  poolCase(4, [9, 7], 3, [3, 2], [2, 1], 'same'),
  poolCase(2, [8, 8], 5, [3, 3], [3, 3], 'valid'),
  poolCase(3, [7, 7], 2, [1, 1], [2, 2], 'same'),
  poolCase(2, [10, 9], 4, [4, 4], [3, 2], 'same', { ties: true }),
  poolCase(2, [7, 8], 3, [3, 3], [2, 2], 1, { dimRoundingMode: 'ceil' }),
  poolCase(2, [7, 8], 3, [3, 3], [2, 2], 1, { dimRoundingMode: 'floor' }),
];

function randomCases(count: number, seed: number): Case[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Case[] = [];
  while (out.length < count) {
    const f: [number, number] = [pick([1, 2, 3, 4]), pick([1, 2, 3])];
    const strides: [number, number] = [pick([1, 2, 3]), pick([1, 2, 3])];
    const pad = pick(['same', 'valid'] as const);
    const hw: [number, number] = [f[0] + Math.floor(r() * 9), f[1] + Math.floor(r() * 9)];
    out.push(poolCase(pick([1, 2, 7]), hw, pick([1, 3, 4, 8]), f, strides, pad, { ties: r() < 0.4 }));
  }
  return out;
}

const cases = [...fixed, ...randomCases(24, 2024)];

function inputFor(c: Case, seed: number): HostTensor {
  const x = randomTensor(rng(seed), c.xShape);
  if (c.ties) for (let i = 0; i < x.values.length; i++) x.values[i] = Math.max(0, x.values[i]!);
  return x;
}

/** dy and the forward output for x, made on the cpu backend. */
async function gradInputs(c: Case, x: HostTensor, seed: number) {
  const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad, dimRoundingMode: c.dimRoundingMode };
  const y = await runKernel('cpu', 'MaxPool', { x }, attrs);
  const output: HostTensor = { values: y.values, shape: y.shape, dtype: 'float32' };
  return { inputs: { dy: randomTensor(rng(seed + 1), y.shape), input: x, output }, attrs };
}

let maxError = 0;

describe('MaxPoolGrad on wasm', () => {
  beforeAll(setUpBackends);
  afterAll(() => console.log(`MaxPoolGrad max abs error vs cpu: ${maxError.toExponential(2)}`));

  it('replaces the backend kernel', async () => {
    const { maxPoolGrad } = await import('./max-pool-grad.js');
    expect(tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc).toBe(maxPoolGrad);
  });

  // With the SIMD kernel (lanes of 4 channels, scalar for the rest) and without it (the JS loop).
  describe.each([true, false])('SIMD kernels on: %s', (simd) => {
    beforeAll(() => void setSimdKernelsEnabled(simd));
    afterAll(() => void setSimdKernelsEnabled(true));

    it.each(cases.map((c, i) => [c.name, c, i] as const))('matches cpu: %s', async (_name, c, i) => {
      const x = inputFor(c, 100 + i);
      const { inputs, attrs } = await gradInputs(c, x, 200 + i);
      maxError = Math.max(maxError, await compareWithCpu('MaxPoolGrad', inputs, attrs));
    });

    // 2 channels: scalar lanes; 4: one SIMD lane group writing dx outright (tiling windows); 6: both, overlapping.
    it.each([
      [2, [2, 2]],
      [4, [2, 2]],
      [6, [1, 1]],
    ] as const)('passes no gradient through windows of only −∞ and skips NaN like cpu (%i channels, strides %j)', async (c, strides) => {
      const pc = poolCase(1, [4, 4], c, [2, 2], [strides[0], strides[1]], 'valid');
      const x = inputFor(pc, 5);
      const at = (r: number, col: number, ch: number) => (r * 4 + col) * c + ch;
      const v = x.values;
      v[at(0, 0, 0)] = NaN; // window (0,0), channel 0: NaN first, the maximum is elsewhere
      for (const [r, col] of [[0, 2], [0, 3], [1, 2], [1, 3]] as const) v[at(r, col, 0)] = -Infinity; // window (0,1), ch 0: all −∞
      v[at(2, 0, 1)] = NaN; // window (1,0), channel 1: NaN first
      v[at(2, 3, 1)] = NaN; // window (1,1), channel 1: NaN in second place
      v[at(3, 3, c - 1)] = v[at(2, 2, c - 1)]!; // a tie: the first in window order wins
      const { inputs, attrs } = await gradInputs(pc, x, 6);
      await compareWithCpu('MaxPoolGrad', inputs, attrs);
    });
  });

  it('gives tf.grad of maxPool after relu the same gradient as cpu', async () => {
    const r = rng(9);
    const input = randomTensor(r, [3, 12, 12, 4]);
    const grad = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor(input.values, input.shape);
      const g = tf.grad((t: tf.Tensor) => {
        const y = tf.maxPool(tf.relu(t) as tf.Tensor4D, 3, 2, 'same');
        return tf.sum(tf.mul(y, tf.reshape(tf.range(1, 1 + y.size), y.shape)));
      })(x);
      const values = g.dataSync();
      tf.dispose([x, g]);
      return values;
    };
    const expected = await grad('cpu');
    const actual = await grad('wasm');
    expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-4);
  });
});
