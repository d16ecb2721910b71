import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileKernels, kernelsModuleSource, OUTPUT_FILE } from '../../../../../scripts/build-wasm-kernels.js';
import { setUpBackends } from '../../../testing/wasm-kernel-test-helpers.js';
import { simdKernelsFor } from './simd-kernels.js';
import { SIMD_KERNELS_WASM_BASE64 } from './simd-kernels.wasm.js';

describe('SIMD kernels module', () => {
  beforeAll(setUpBackends);

  // The committed bytes are what kernels.wat compiles to with wabt from npm: proof that they build from source and
  // are not stale (regenerate with npx tsx scripts/build-wasm-kernels.ts).
  it('is exactly what kernels.wat compiles to', async () => {
    const bytes = await compileKernels();
    expect(Buffer.from(SIMD_KERNELS_WASM_BASE64, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(fs.readFileSync(OUTPUT_FILE, 'utf8')).toBe(kernelsModuleSource(bytes));
  });

  it('is attached to the wasm backend on its own memory', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const simd = simdKernelsFor(backend);
    expect(simd).toBeDefined();
    // add_bias on two tensors of the backend's heap, read back through the backend.
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2, 5]);
    const b = tf.tensor1d([10, 20, 30, 40, 50]);
    const out = tf.add(x, b);
    expect(Array.from(out.dataSync())).toEqual([11, 22, 33, 44, 55, 16, 27, 38, 49, 60]);
    tf.dispose([x, b, out]);
  });
});
