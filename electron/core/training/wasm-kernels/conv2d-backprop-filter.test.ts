import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  conv2DBackpropFilterDirect,
  conv2DBackpropFilterViaConv,
  conv2DBackpropFilterViaPatches,
  type Conv2DBackpropFilterArgs,
} from './conv2d-backprop-filter.js';
import { setSimdKernelsEnabled } from './simd/simd-kernels.js';
import { compareWithCpu, describeCase, maxAbsDiff, randomConvCases, randomTensor, rng, setUpBackends, type Pad } from '../../testing/wasm-kernel-test-helpers.js';

interface Case {
  readonly name: string;
  readonly xShape: [number, number, number, number];
  readonly dyShape: [number, number, number, number];
  readonly attrs: {
    strides: number | [number, number];
    pad: Pad;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
}

function makeCase(
  batch: number,
  [h, w]: [number, number],
  cin: number,
  cout: number,
  [fh, fw]: [number, number],
  strides: number | [number, number],
  pad: Pad,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): Case {
  const xShape: [number, number, number, number] = dataFormat === 'NHWC' ? [batch, h, w, cin] : [batch, cin, h, w];
  const filterShape: [number, number, number, number] = [fh, fw, cin, cout];
  const format = dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst';
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, undefined, false, format);
  const dyShape: [number, number, number, number] =
    dataFormat === 'NHWC' ? [batch, info.outHeight, info.outWidth, cout] : [batch, cout, info.outHeight, info.outWidth];
  const attrs = { strides, pad, dataFormat, filterShape };
  return { name: describeCase(attrs, { x: xShape, dy: dyShape }), xShape, dyShape, attrs };
}

const fixed: Case[] = [
  makeCase(1, [5, 5], 1, 1, [3, 3], 1, 'valid'),
  makeCase(2, [28, 28], 1, 16, [3, 3], 1, 'valid'), // the first conv of the MNIST net in bench/train-speed.ts (batch 64 there)
  makeCase(1, [6, 6], 3, 4, [3, 3], 1, 'same'),
  makeCase(4, [8, 8], 3, 8, [3, 3], 2, 'same'),
  makeCase(4, [8, 8], 3, 8, [3, 3], 2, 'valid'), // the last input row/col is never read: cropped
  makeCase(2, [9, 7], 5, 2, [2, 3], [2, 1], 'same'),
  makeCase(3, [7, 9], 2, 3, [1, 1], 2, 'same'), // stride > filter: padding would be negative
  makeCase(2, [10, 10], 4, 4, [5, 5], 3, 'valid'),
  makeCase(2, [6, 5], 3, 2, [3, 3], 1, 1), // numeric padding
  makeCase(2, [6, 7], 2, 3, [3, 2], 2, [[0, 0], [2, 0], [1, 1], [0, 0]]), // explicit, asymmetric
  makeCase(1, [4, 4], 6, 5, [4, 4], 1, 'valid'), // filter covers the whole input
  makeCase(8, [12, 12], 8, 16, [3, 3], 1, 'same'),
  makeCase(2, [7, 6], 3, 4, [3, 3], 2, 'same', 'NCHW'),
  makeCase(3, [9, 8], 2, 23, [3, 3], [2, 1], 'same'), // output channels: a block of 16, one of 4, 3 single
  makeCase(1, [11, 11], 1, 32, [5, 5], 2, 'valid'),
  makeCase(16, [6, 6], 4, 20, [3, 2], 1, [[0, 0], [1, 2], [0, 1], [0, 0]]),
];

function randomCases(count: number, seed: number): Case[] {
  return randomConvCases(count, seed, { in: [1, 2, 3, 8], out: [1, 3, 4, 7] }, makeCase);
}

let maxError = 0;

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(setUpBackends);
  afterAll(() => console.log(`Conv2DBackpropFilter max abs error vs cpu: ${maxError.toExponential(2)}`));

  it('is registered for the wasm backend', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  // With the SIMD kernels (direct route up to 4 input channels) and without (the JS patch and native conv routes).
  describe.each([true, false])('SIMD kernels on: %s', (simd) => {
    beforeAll(() => void setSimdKernelsEnabled(simd));
    afterAll(() => void setSimdKernelsEnabled(true));

    it.each([...fixed, ...randomCases(16, 1234)].map((c) => [c.name, c] as const))('matches cpu: %s', async (_name, c) => {
      const r = rng(c.xShape.reduce((a, b) => a * 31 + b, 7));
      const error = await compareWithCpu(
        'Conv2DBackpropFilter',
        { x: randomTensor(r, c.xShape), dy: randomTensor(r, c.dyShape) },
        c.attrs,
      );
      maxError = Math.max(maxError, error);
    });
  });

  // The kernel picks a route by input channels (patches up to 4, conv beyond): run both on every kind of shape.
  it.each(
    [...fixed, makeCase(2, [9, 9], 8, 5, [3, 3], 2, 'same'), makeCase(2, [7, 7], 16, 4, [2, 2], 1, 'valid')].map(
      (c) => [c.name, c] as const,
    ),
  )('routes agree: %s', async (_name, c) => {
    await tf.setBackend('wasm');
    const r = rng(c.xShape.reduce((a, b) => a * 17 + b, 3));
    const x = tf.tensor(randomTensor(r, c.xShape).values, c.xShape);
    const dy = tf.tensor(randomTensor(r, c.dyShape).values, c.dyShape);
    const backend = tf.engine().backend as unknown as BackendWasm;
    const args = { inputs: { x, dy }, backend, attrs: c.attrs } as unknown as Conv2DBackpropFilterArgs;
    const format = c.attrs.dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst';
    const info = tf.backend_util.computeConv2DInfo(c.xShape, c.attrs.filterShape, c.attrs.strides, 1, c.attrs.pad, undefined, false, format);
    const viaConv = conv2DBackpropFilterViaConv(args, info);
    const viaPatches = conv2DBackpropFilterViaPatches(args, info);
    expect(viaPatches.shape).toEqual(c.attrs.filterShape);
    expect(maxAbsDiff(backend.readSync(viaPatches.dataId) as Float32Array, backend.readSync(viaConv.dataId) as Float32Array)).toBeLessThan(1e-4);
    if (c.attrs.dataFormat === 'NHWC') {
      const direct = conv2DBackpropFilterDirect(args, info); // any channel count, though only used up to 4
      expect(maxAbsDiff(backend.readSync(direct.dataId) as Float32Array, backend.readSync(viaConv.dataId) as Float32Array)).toBeLessThan(1e-4);
      backend.disposeData(direct.dataId);
    }
    backend.disposeData(viaConv.dataId);
    backend.disposeData(viaPatches.dataId);
    tf.dispose([x, dy]);
  });

  it('gives tf.grad of conv2d the same filter and input gradients as cpu', async () => {
    const r = rng(99);
    const x = randomTensor(r, [3, 9, 9, 4]);
    const w = randomTensor(r, [3, 3, 4, 6]);
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const xt = tf.tensor(x.values, x.shape);
      const wt = tf.tensor(w.values, w.shape);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))),
      )([xt, wt]);
      const out = [dx!.dataSync(), dw!.dataSync()];
      tf.dispose([xt, wt, dx!, dw!]);
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const [cpuDx, cpuDw] = await grads('cpu');
    const [wasmDx, wasmDw] = await grads('wasm');
    let error = 0;
    for (const [a, b] of [
      [wasmDx!, cpuDx!],
      [wasmDw!, cpuDw!],
    ] as const) {
      for (let i = 0; i < a.length; i++) error = Math.max(error, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
    }
    expect(error).toBeLessThan(1e-4);
  });
});
