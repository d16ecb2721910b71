import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareWithCpu,
  depthwiseCases,
  dot,
  expandFilter,
  randomTensor,
  rng,
  runKernel,
  setUpBackends,
  type DepthwiseCase,
} from '../../testing/wasm-kernel-test-helpers.js';

const isDilated = (c: DepthwiseCase) => c.dilations[0] > 1 || c.dilations[1] > 1;
const cases = depthwiseCases(14, 8765);
let maxError = 0;

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  beforeAll(setUpBackends);
  afterAll(() => console.log(`DepthwiseConv2dNativeBackpropInput max abs error vs cpu: ${maxError.toExponential(2)}`));

  it('is registered for the wasm backend', () => {
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'wasm')).toBeDefined();
  });

  it.each(cases.map((c) => [c.name, c] as const))('matches cpu: %s', async (_name, c) => {
    const r = rng(c.xShape.reduce((a, b) => a * 37 + b, 5) + c.filterShape[3]);
    const inputs = { dy: randomTensor(r, c.dyShape), filter: randomTensor(r, c.filterShape) };
    const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, inputShape: c.xShape };
    // tfjs's cpu kernel ignores dilations in its loops; for a dilated case its reference runs on the equivalent
    // undilated (zero-expanded) filter.
    const options = isDilated(c)
      ? { cpuInputs: { ...inputs, filter: expandFilter(inputs.filter, c.dilations) }, cpuAttrs: { ...attrs, dilations: [1, 1] } }
      : {};
    maxError = Math.max(maxError, await compareWithCpu('DepthwiseConv2dNativeBackpropInput', inputs, attrs, options));
  });

  it.each(cases.filter(isDilated).map((c) => [c.name, c] as const))(
    'is the adjoint of the native dilated depthwise conv: %s',
    async (_name, c) => {
      // <depthwiseConv2d(x, W), dy> = <x, dX(dy, W)> for every x, with the forward pass run natively on wasm.
      const r = rng(91 + c.xShape[2]);
      const x = randomTensor(r, c.xShape);
      const w = randomTensor(r, c.filterShape);
      const dy = randomTensor(r, c.dyShape);
      const convAttrs = { strides: c.strides, dilations: c.dilations, pad: c.pad };
      const y = await runKernel('wasm', 'DepthwiseConv2dNative', { x, filter: w }, convAttrs);
      const dX = await runKernel('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, {
        ...convAttrs,
        inputShape: c.xShape,
      });
      const lhs = dot(y.values, dy.values);
      expect(Math.abs(lhs - dot(x.values, dX.values))).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
    },
  );

  it('gives tf.grad of depthwiseConv2d the same input and filter gradients as cpu', async () => {
    const r = rng(5);
    const x = randomTensor(r, [3, 9, 8, 4]);
    const w = randomTensor(r, [3, 3, 4, 2]);
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const xt = tf.tensor(x.values, x.shape);
      const wt = tf.tensor(w.values, w.shape);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))),
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
