import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { biasAdd, isLastAxisBias } from './bias-add.js';
import { setSimdKernelsEnabled } from './simd/simd-kernels.js';
import { compareWithCpu, describeCase, randomTensor, rng, runKernel, setUpBackends, type HostTensor } from '../../testing/wasm-kernel-test-helpers.js';

// Bias shapes go through kernels.wat's add_bias; every other broadcast through the backend's own kernel.
const cases: [number[], number[]][] = [
  [[64, 26, 26, 16], [16]], // the conv bias of the MNIST net in bench/train-speed.ts
  [[64, 10], [10]], // a dense bias
  [[10], [64, 10]], // bias first
  [[3, 5, 7], [1, 1, 7]],
  [[1, 4, 6], [6]], // batch 1
  [[5, 3], [5, 3]], // same shapes: native
  [[5, 3], [5, 1]], // other broadcast: native
  [[5, 3], []], // scalar: native
  [[3], [3]], // nothing to broadcast: native
];

describe('Add on wasm', () => {
  beforeAll(setUpBackends);

  it('replaces the backend kernel', () => {
    expect(tf.getKernel('Add', 'wasm')?.kernelFunc).toBe(biasAdd);
  });

  it('recognizes a bias along the last axis only', () => {
    expect(isLastAxisBias([4, 5, 6], [6])).toBe(true);
    expect(isLastAxisBias([4, 5, 6], [1, 1, 6])).toBe(true);
    expect(isLastAxisBias([4, 6], [1, 1, 6])).toBe(false);
    expect(isLastAxisBias([4, 6], [4, 6])).toBe(false);
    expect(isLastAxisBias([4, 6], [1])).toBe(false);
    expect(isLastAxisBias([6], [6])).toBe(false);
  });

  describe.each([true, false])('SIMD kernels on: %s', (simd) => {
    beforeAll(() => void setSimdKernelsEnabled(simd));
    afterAll(() => void setSimdKernelsEnabled(true));

    it.each(cases.map(([a, b]) => [describeCase({}, { a, b }), a, b] as const))('matches cpu: %s', async (_name, a, b) => {
      const r = rng(a.length * 31 + b.length);
      await compareWithCpu('Add', { a: randomTensor(r, a), b: randomTensor(r, b) }, {});
    });
  });

  it('adds int32 through the native kernel', async () => {
    const a: HostTensor = { values: Int32Array.from([1, 2, 3, 4]), shape: [2, 2], dtype: 'int32' };
    const b: HostTensor = { values: Int32Array.from([10, 20]), shape: [2], dtype: 'int32' };
    const out = await runKernel('wasm', 'Add', { a, b }, {});
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.values)).toEqual([11, 22, 13, 24]);
  });
});
