import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchMatMulViaTranspose } from './batch-mat-mul-via-transpose.js';
import { setSimdKernelsEnabled } from './simd/simd-kernels.js';
import { compareWithCpu, randomTensor, rng, setUpBackends } from '../../testing/wasm-kernel-test-helpers.js';

const cases = [
  { name: 'dense weight gradient (aᵀ·g)', a: [64, 784], b: [64, 128], transposeA: true, transposeB: false },
  { name: 'dense input gradient (g·bᵀ)', a: [64, 128], b: [784, 128], transposeA: false, transposeB: true },
  { name: 'both transposed', a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { name: 'batched (rank 3)', a: [4, 6, 5], b: [4, 6, 3], transposeA: true, transposeB: false },
  { name: 'plain product goes straight to the native kernel', a: [9, 4], b: [4, 6], transposeA: false, transposeB: false },
  { name: 'dense weight gradient, 10 units (aᵀ·g, SIMD)', a: [64, 2704], b: [64, 10], transposeA: true, transposeB: false },
  { name: 'aᵀ·g, 16 columns (SIMD)', a: [1, 33, 17], b: [1, 33, 16], transposeA: true, transposeB: false },
  { name: 'aᵀ·g, 17 columns (native)', a: [33, 9], b: [33, 17], transposeA: true, transposeB: false },
  { name: 'aᵀ·g batched, batch 1 row (SIMD)', a: [3, 1, 6], b: [3, 1, 3], transposeA: true, transposeB: false },
];

describe('BatchMatMul on wasm with transposed operands', () => {
  beforeAll(setUpBackends);

  it('replaces the backend kernel', () => {
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(batchMatMulViaTranspose);
  });

  describe.each([true, false])('SIMD kernels on: %s', (simd) => {
    beforeAll(() => void setSimdKernelsEnabled(simd));
    afterAll(() => void setSimdKernelsEnabled(true));

    it.each(cases.map((c) => [c.name, c] as const))('matches cpu: %s', async (_name, c) => {
      const random = rng(c.a.length * 100 + c.b[0]!);
      await compareWithCpu('BatchMatMul', { a: randomTensor(random, c.a), b: randomTensor(random, c.b) }, { transposeA: c.transposeA, transposeB: c.transposeB });
    });
  });
});
