import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2D } from './conv2d.js';
import { setSimdKernelsEnabled } from './simd/simd-kernels.js';
import { compareWithCpu, describeCase, randomConvCases, randomTensor, rng, setUpBackends, type Pad } from '../../testing/wasm-kernel-test-helpers.js';

interface Case {
  readonly name: string;
  readonly xShape: [number, number, number, number];
  readonly filterShape: [number, number, number, number];
  readonly attrs: { strides: number | [number, number]; pad: Pad; dataFormat: 'NHWC'; dilations: number | [number, number] };
}

function makeCase(
  batch: number,
  [h, w]: [number, number],
  cin: number,
  cout: number,
  [fh, fw]: [number, number],
  strides: number | [number, number],
  pad: Pad,
  dilations: number | [number, number] = 1,
): Case {
  const xShape: [number, number, number, number] = [batch, h, w, cin];
  const filterShape: [number, number, number, number] = [fh, fw, cin, cout];
  const attrs = { strides, pad, dataFormat: 'NHWC' as const, dilations };
  return { name: describeCase(attrs, { x: xShape, filter: filterShape }), xShape, filterShape, attrs };
}

// The direct SIMD route takes up to 4 input channels and output channels in multiples of 4; the rest is native.
const fixed: Case[] = [
  makeCase(2, [28, 28], 1, 16, [3, 3], 1, 'valid'), // the first conv of the MNIST net in bench/train-speed.ts
  makeCase(1, [5, 5], 1, 4, [3, 3], 1, 'same'),
  makeCase(3, [9, 8], 3, 20, [3, 3], [2, 1], 'same'), // a block of 16 and one of 4
  makeCase(2, [10, 10], 4, 8, [5, 5], 3, 'valid'),
  makeCase(2, [6, 7], 2, 12, [3, 2], 2, [[0, 0], [2, 0], [1, 1], [0, 0]]),
  makeCase(2, [9, 9], 2, 4, [3, 3], 1, 'same', 2), // dilated
  makeCase(1, [11, 8], 1, 16, [2, 3], 1, 'valid', [3, 2]),
  makeCase(2, [6, 6], 3, 5, [3, 3], 1, 'same'), // output channels not a multiple of 4: native
  makeCase(2, [6, 6], 8, 8, [3, 3], 1, 'same'), // many input channels: native
];

function randomCases(count: number, seed: number): Case[] {
  return randomConvCases(count, seed, { in: [1, 2, 3, 4], out: [4, 8, 16, 28] }, makeCase);
}

/**
 * tfjs-backend-wasm 4.22's own Conv2D is wrong (errors ~2) for 'same' padding when a stride exceeds the filter size
 * there, e.g. x[2,6,9,1] filter[1,5] stride 2. The direct route is right; the native one is only run on other cases.
 */
function nativeIsWrong(c: Case): boolean {
  const [sh, sw] = typeof c.attrs.strides === 'number' ? [c.attrs.strides, c.attrs.strides] : c.attrs.strides;
  return c.attrs.pad === 'same' && (c.filterShape[0] < sh || c.filterShape[1] < sw);
}

let maxError = 0;

describe('Conv2D on wasm', () => {
  beforeAll(setUpBackends);
  afterAll(() => console.log(`Conv2D max abs error vs cpu: ${maxError.toExponential(2)}`));

  it('replaces the backend kernel', () => {
    expect(tf.getKernel('Conv2D', 'wasm')?.kernelFunc).toBe(conv2D);
  });

  describe.each([true, false])('SIMD kernels on: %s', (simd) => {
    beforeAll(() => void setSimdKernelsEnabled(simd));
    afterAll(() => void setSimdKernelsEnabled(true));

    const all = [...fixed, makeCase(2, [6, 9], 1, 4, [1, 5], 2, 'same'), ...randomCases(16, 77)];
    it.each(all.filter((c) => simd || !nativeIsWrong(c)).map((c) => [c.name, c] as const))('matches cpu: %s', async (_name, c) => {
      const r = rng(c.xShape.reduce((a, b) => a * 13 + b, 5));
      const error = await compareWithCpu('Conv2D', { x: randomTensor(r, c.xShape), filter: randomTensor(r, c.filterShape) }, c.attrs);
      maxError = Math.max(maxError, error);
    });
  });
});
