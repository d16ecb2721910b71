import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchMatMulViaTranspose } from './batch-mat-mul-via-transpose.js';
import { compareWithCpu, randomTensor, rng, setUpBackends } from './test-helpers.js';

const cases = [
  { name: 'dense weight gradient (aᵀ·g)', a: [64, 784], b: [64, 128], transposeA: true, transposeB: false },
  { name: 'dense input gradient (g·bᵀ)', a: [64, 128], b: [784, 128], transposeA: false, transposeB: true },
  { name: 'both transposed', a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { name: 'batched (rank 3)', a: [4, 6, 5], b: [4, 6, 3], transposeA: true, transposeB: false },
  { name: 'plain product goes straight to the native kernel', a: [9, 4], b: [4, 6], transposeA: false, transposeB: false },
];

describe('BatchMatMul on wasm with transposed operands', () => {
  beforeAll(setUpBackends);

  it('replaces the backend kernel', () => {
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(batchMatMulViaTranspose);
  });

  it.each(cases.map((c) => [c.name, c] as const))('matches cpu: %s', async (_name, c) => {
    const random = rng(c.a.length * 100 + c.b[0]!);
    await compareWithCpu('BatchMatMul', { a: randomTensor(random, c.a), b: randomTensor(random, c.b) }, { transposeA: c.transposeA, transposeB: c.transposeB });
  });
});
