import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, maxAbsDiff, randomTensor, rng, runKernel, setUpBackends, type HostTensor } from '../../testing/wasm-kernel-test-helpers.js';

function ids(random: () => number, count: number, low: number, high: number): HostTensor {
  const values = new Int32Array(count);
  for (let i = 0; i < count; i++) values[i] = low + Math.floor(random() * (high - low));
  return { values, shape: [count], dtype: 'int32' };
}

interface Case {
  readonly name: string;
  readonly xShape: number[];
  readonly numSegments: number;
  /** Ids are drawn from [low, high): beyond [0, numSegments) they must be dropped. */
  readonly low: number;
  readonly high: number;
}

const cases: Case[] = [
  { name: 'a vector', xShape: [20], numSegments: 5, low: 0, high: 5 },
  { name: 'rows, many duplicates', xShape: [64, 8], numSegments: 4, low: 0, high: 4 },
  { name: 'rows, sparse segments', xShape: [10, 3], numSegments: 50, low: 0, high: 50 },
  { name: 'rank-3 rows', xShape: [12, 3, 5], numSegments: 7, low: 0, high: 7 },
  { name: 'embedding-sized', xShape: [256, 32], numSegments: 300, low: 0, high: 300 },
  { name: 'out-of-range ids are dropped', xShape: [40, 6], numSegments: 6, low: -3, high: 9 },
  { name: 'a single row', xShape: [1, 4], numSegments: 3, low: 0, high: 3 },
];

let maxError = 0;

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(setUpBackends);
  afterAll(() => console.log(`UnsortedSegmentSum max abs error vs cpu: ${maxError.toExponential(2)}`));

  it('is registered for the wasm backend', () => {
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it.each(cases.map((c) => [c.name, c] as const))('matches cpu: %s', async (_name, c) => {
    const r = rng(c.xShape[0]! * 13 + c.numSegments);
    const inputs = { x: randomTensor(r, c.xShape), segmentIds: ids(r, c.xShape[0]!, c.low, c.high) };
    maxError = Math.max(maxError, await compareWithCpu('UnsortedSegmentSum', inputs, { numSegments: c.numSegments }));
  });

  it('sums int32 values exactly', async () => {
    const x: HostTensor = { values: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), shape: [4, 2], dtype: 'int32' };
    const segmentIds: HostTensor = { values: Int32Array.from([2, 0, 2, -1]), shape: [4], dtype: 'int32' };
    const out = await runKernel('wasm', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 3 });
    expect(out.dtype).toBe('int32');
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(out.values)).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('takes ids over the leading axes of x (rank-2 ids) like the flattened rank-1 case', async () => {
    const r = rng(3);
    const x = randomTensor(r, [4, 5, 3]);
    const flatIds = ids(r, 20, 0, 6);
    const error = await compareWithCpu(
      'UnsortedSegmentSum',
      { x, segmentIds: { ...flatIds, shape: [4, 5] } },
      { numSegments: 6 },
      { cpuInputs: { x: { ...x, shape: [20, 3] }, segmentIds: flatIds } },
    );
    maxError = Math.max(maxError, error);
  });

  it('returns zeros for no rows', async () => {
    const out = await runKernel(
      'wasm',
      'UnsortedSegmentSum',
      {
        x: { values: new Float32Array(0), shape: [0, 3], dtype: 'float32' },
        segmentIds: { values: new Int32Array(0), shape: [0], dtype: 'int32' },
      },
      { numSegments: 2 },
    );
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.values)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects ids that do not match the leading axes of x', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([4, 2]);
    const segmentIds = tf.tensor1d([0, 1, 2], 'int32');
    expect(() => tf.engine().runKernel('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 3 })).toThrow(/prefix/);
    tf.dispose([x, segmentIds]);
  });

  it('gives tf.grad of gather (an embedding lookup) the same gradient as cpu', async () => {
    const r = rng(8);
    const table = randomTensor(r, [50, 16]);
    const lookups = ids(r, 6 * 10, 0, 50);
    const grad = async (backend: string) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const params = tf.tensor(table.values, table.shape);
      const indices = tf.tensor(lookups.values, [6, 10], 'int32');
      const g = tf.grad((p: tf.Tensor) => tf.sum(tf.square(tf.gather(p, indices))))(params);
      const values = g.dataSync();
      tf.dispose([params, indices, g]);
      expect(tf.memory().numTensors).toBe(before);
      return values;
    };
    const expected = await grad('cpu');
    const actual = await grad('wasm');
    expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-4);
    expect(expected.some((v) => v !== 0)).toBe(true);
  });
});
