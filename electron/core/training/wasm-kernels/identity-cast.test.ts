import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor, rng, runKernel, setUpBackends, type HostTensor } from '../../testing/wasm-kernel-test-helpers.js';

const floats = randomTensor(rng(1), [3, 4, 5]);
const ints: HostTensor = { values: Int32Array.from([-3, 0, 7, 2, -1, 0]), shape: [2, 3], dtype: 'int32' };
const halves: HostTensor = { values: Float32Array.from([0.5, 0, -2.75, 3, -0.25, 0]), shape: [6], dtype: 'float32' };

describe('Identity and Cast on wasm', () => {
  beforeAll(setUpBackends);

  it('replace the backend kernels', async () => {
    const { identity } = await import('./identity.js');
    const { cast } = await import('./cast.js');
    expect(tf.getKernel('Identity', 'wasm')?.kernelFunc).toBe(identity);
    expect(tf.getKernel('Cast', 'wasm')?.kernelFunc).toBe(cast);
  });

  it.each([
    ['Identity of floats', 'Identity', floats, {}],
    ['Identity of ints', 'Identity', ints, {}],
    ['Cast float32 → float32', 'Cast', floats, { dtype: 'float32' }],
    ['Cast float32 → int32', 'Cast', halves, { dtype: 'int32' }],
    ['Cast float32 → bool', 'Cast', halves, { dtype: 'bool' }],
    ['Cast int32 → float32', 'Cast', ints, { dtype: 'float32' }],
    ['Cast int32 → bool', 'Cast', ints, { dtype: 'bool' }],
  ] as const)('%s matches cpu exactly', async (_name, kernel, x, attrs) => {
    const expected = await runKernel('cpu', kernel, { x }, attrs);
    const actual = await runKernel('wasm', kernel, { x }, attrs);
    expect(actual.dtype).toBe(expected.dtype);
    expect(actual.shape).toEqual(expected.shape);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
  });

  it('shares the buffer, which lives until its last tensor is freed', async () => {
    await tf.setBackend('wasm');
    const buffers = tf.engine().backend.numDataIds();
    const x = tf.tensor(floats.values, floats.shape);
    const copy = tf.clone(x);
    const same = tf.cast(x, 'float32');
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1);
    x.dispose();
    copy.dispose();
    expect(Array.from(same.dataSync())).toEqual(Array.from(floats.values));
    same.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
});
