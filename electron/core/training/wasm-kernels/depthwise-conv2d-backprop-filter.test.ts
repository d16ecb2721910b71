import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareWithCpu,
  depthwiseCases,
  dot,
  randomTensor,
  rng,
  runKernel,
  setUpBackends,
  subsampleFilter,
  type DepthwiseCase,
} from '../../testing/wasm-kernel-test-helpers.js';

const isDilated = (c: DepthwiseCase) => c.dilations[0] > 1 || c.dilations[1] > 1;
const cases = depthwiseCases(14, 4321);
let maxError = 0;

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  beforeAll(setUpBackends);
  afterAll(() => console.log(`DepthwiseConv2dNativeBackpropFilter max abs error vs cpu: ${maxError.toExponential(2)}`));

  it('is registered for the wasm backend', () => {
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(cases.map((c) => [c.name, c] as const))('matches cpu: %s', async (_name, c) => {
    const r = rng(c.xShape.reduce((a, b) => a * 31 + b, 11) + c.filterShape[3]);
    const inputs = { x: randomTensor(r, c.xShape), dy: randomTensor(r, c.dyShape) };
    const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: c.filterShape };
    // tfjs's cpu kernel ignores dilations in its loops; for a dilated case its reference is the gradient of the
    // equivalent undilated (zero-expanded) filter, sampled at the dilated taps.
    const options = isDilated(c)
      ? {
          cpuAttrs: {
            ...attrs,
            dilations: [1, 1],
            filterShape: [
              (c.filterShape[0] - 1) * c.dilations[0] + 1,
              (c.filterShape[1] - 1) * c.dilations[1] + 1,
              c.filterShape[2],
              c.filterShape[3],
            ],
          },
          mapExpected: (cpu: Parameters<typeof subsampleFilter>[0]) => subsampleFilter(cpu, c.dilations),
        }
      : {};
    maxError = Math.max(maxError, await compareWithCpu('DepthwiseConv2dNativeBackpropFilter', inputs, attrs, options));
  });

  it.each(cases.filter(isDilated).map((c) => [c.name, c] as const))(
    'is the adjoint of the native dilated depthwise conv: %s',
    async (_name, c) => {
      // <depthwiseConv2d(x, W), dy> = <W, dW(x, dy)> for every W, with the forward pass run natively on wasm.
      const r = rng(77 + c.xShape[1]);
      const x = randomTensor(r, c.xShape);
      const w = randomTensor(r, c.filterShape);
      const dy = randomTensor(r, c.dyShape);
      const convAttrs = { strides: c.strides, dilations: c.dilations, pad: c.pad };
      const y = await runKernel('wasm', 'DepthwiseConv2dNative', { x, filter: w }, convAttrs);
      const dW = await runKernel('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
        ...convAttrs,
        filterShape: c.filterShape,
      });
      const lhs = dot(y.values, dy.values);
      expect(Math.abs(lhs - dot(w.values, dW.values))).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
    },
  );
});
