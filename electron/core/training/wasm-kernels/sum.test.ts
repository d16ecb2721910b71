import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadingAxes } from './sum.js';
import { setSimdKernelsEnabled } from './simd/simd-kernels.js';
import { compareWithCpu, describeCase, randomTensor, rng, runKernel, setUpBackends, type HostTensor } from '../../testing/wasm-kernel-test-helpers.js';

// Leading axes go through the loop; the others through the backend's own kernel, checked here too.
const cases: [number[], number | number[], boolean][] = [
  [[64, 26, 26, 16], [0, 1, 2], false], // the conv bias gradient of the MNIST net in bench/train-speed.ts
  [[8, 12, 12, 16], [0, 1, 2], true],
  [[64, 10], [0], false], // a dense bias gradient
  [[64, 10], 0, true],
  [[5, 4, 3], [1, 0], false], // axes in any order
  [[5, 4, 3], [-3], false],
  [[7, 1, 3], [0, 1], false],
  [[300, 2], [0], false],
  [[5, 4, 3], [2], false], // innermost: native
  [[5, 4, 3], [1], true], // middle: native
  [[5, 4, 3], [0, 1, 2], false], // everything: native (float32 sums: keep them short to stay within 1e-4)
  [[6], [0], false],
  [[1, 7], [0], false], // batch 1
  [[130, 9], [0], false], // rows past one block of 64, columns past a multiple of 4
];

let maxError = 0;

describe('Sum on wasm', () => {
  beforeAll(setUpBackends);
  afterAll(() => console.log(`Sum max abs error vs cpu: ${maxError.toExponential(2)}`));

  it('replaces the backend kernel', async () => {
    const { sum } = await import('./sum.js');
    expect(tf.getKernel('Sum', 'wasm')?.kernelFunc).toBe(sum);
  });

  it('takes the leading-axes route only for a prefix of the axes that leaves some behind', () => {
    expect(leadingAxes([4, 5, 6], [0, 1])).toBe(2);
    expect(leadingAxes([4, 5, 6], [1, 0])).toBe(2);
    expect(leadingAxes([4, 5, 6], [-3])).toBe(1);
    expect(leadingAxes([4, 5, 6], [0, 2])).toBe(0);
    expect(leadingAxes([4, 5, 6], [0, 1, 2])).toBe(0);
    expect(leadingAxes([4, 5, 6], [2])).toBe(0);
  });

  describe.each([true, false])('SIMD kernels on: %s', (simd) => {
    beforeAll(() => void setSimdKernelsEnabled(simd));
    afterAll(() => void setSimdKernelsEnabled(true));

    it.each(cases.map(([shape, axis, keepDims]) => [describeCase({ axis, keepDims }, { x: shape }), shape, axis, keepDims] as const))(
      'matches cpu: %s',
      async (_name, shape, axis, keepDims) => {
        const x = randomTensor(rng(shape.reduce((a, b) => a * 7 + b, 1)), shape);
        maxError = Math.max(maxError, await compareWithCpu('Sum', { x }, { axis, keepDims }));
      },
    );
  });

  it('sums int32 exactly through the native kernel', async () => {
    const x: HostTensor = { values: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2], dtype: 'int32' };
    const out = await runKernel('wasm', 'Sum', { x }, { axis: [0], keepDims: false });
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.values)).toEqual([9, 12]);
  });
});
