import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { defaultWasmDir, initWasmBackend } from './wasm-backend.js';
import { registerWasmGradientKernels, wasmGradientKernelConfigs } from './register-wasm-gradient-kernels.js';

describe('initWasmBackend', () => {
  it('finds the .wasm binaries in the installed package', () => {
    const dir = defaultWasmDir();
    for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      expect(fs.existsSync(path.join(dir, name))).toBe(true);
    }
  });

  it('starts wasm with the gradient kernels and can be called again', async () => {
    const threads = await initWasmBackend();
    expect(tf.getBackend()).toBe('wasm');
    expect(threads).toBeGreaterThanOrEqual(1);
    for (const config of wasmGradientKernelConfigs) expect(tf.getKernel(config.kernelName, 'wasm')).toBe(config);

    await tf.setBackend('cpu');
    expect(await initWasmBackend()).toBe(threads);
    expect(tf.getBackend()).toBe('wasm');
    expect(registerWasmGradientKernels()).toEqual([]);
  });

  it('registers exactly the kernels tfjs-backend-wasm 4.22 lacks for training', () => {
    expect(wasmGradientKernelConfigs.map((c) => c.kernelName).sort()).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
    ]);
    // The other backward kernels of the supported layers are native to the package.
    for (const name of ['Conv2DBackpropInput', 'MaxPoolGrad', 'AvgPoolGrad', 'FusedBatchNorm', 'GatherV2', 'Softmax']) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
    }
    for (const config of wasmGradientKernelConfigs) expect(config.backendName).toBe('wasm');
  });
});
