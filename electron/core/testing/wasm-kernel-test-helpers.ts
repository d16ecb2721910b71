// Test support: run one kernel on the cpu and on the wasm backend with the same data, compare, and check for leaks.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle does (as in the app, which trains with layers).
import '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { mulberry32 } from '../training/portable/seeded-random.js';
import { initWasmBackend } from '../training/wasm-kernels/wasm-backend.js';

export interface HostTensor {
  readonly values: Float32Array | Int32Array;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
}

export interface KernelResult {
  readonly values: Float32Array | Int32Array;
  readonly shape: number[];
  readonly dtype: string;
}

/** Starts wasm (with the gradient kernels) and cpu once per test file. */
export async function setUpBackends(): Promise<void> {
  await initWasmBackend();
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A small deterministic PRNG (mulberry32), so a failing case can be reproduced. */
export const rng = mulberry32;

export function randomTensor(random: () => number, shape: number[]): HostTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = random() * 2 - 1;
  return { values, shape, dtype: 'float32' };
}

/**
 * Runs `kernelName` through the engine on `backend`, returns its output, and asserts that nothing leaked: neither an
 * engine tensor nor a backend buffer (the gradient kernels' intermediates live only on the backend).
 */
export async function runKernel(
  backend: 'cpu' | 'wasm',
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: object,
): Promise<KernelResult> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.engine().backend.numDataIds();
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) tensors[name] = tf.tensor(t.values, t.shape, t.dtype);
  const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result: KernelResult = { values: out.dataSync() as Float32Array | Int32Array, shape: out.shape, dtype: out.dtype };
  out.dispose();
  for (const t of Object.values(tensors)) t.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
  return result;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

export interface CompareOptions {
  readonly tolerance?: number;
  /** What the cpu reference runs on, when it needs other inputs/attrs (e.g. a zero-expanded filter for dilations). */
  readonly cpuInputs?: Record<string, HostTensor>;
  readonly cpuAttrs?: object;
  /** Turns the cpu reference's output into the expected wasm output. */
  readonly mapExpected?: (cpu: KernelResult) => KernelResult;
}

/** Compares wasm with cpu; returns the max abs error (asserting it is below the tolerance, 1e-4 by default). */
export async function compareWithCpu(
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: object,
  options: CompareOptions = {},
): Promise<number> {
  const cpu = await runKernel('cpu', kernelName, options.cpuInputs ?? inputs, options.cpuAttrs ?? attrs);
  const expected = options.mapExpected ? options.mapExpected(cpu) : cpu;
  const actual = await runKernel('wasm', kernelName, inputs, attrs);
  expect(actual.shape).toEqual(expected.shape);
  const error = maxAbsDiff(actual.values, expected.values);
  expect(error).toBeLessThan(options.tolerance ?? 1e-4);
  // A trivially zero result would pass any comparison: make sure the case computed something.
  expect(expected.values.some((v) => v !== 0)).toBe(true);
  return error;
}

/** Σ a·b over all elements (float64). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

export interface DepthwiseCase {
  readonly name: string;
  readonly xShape: [number, number, number, number];
  readonly filterShape: [number, number, number, number];
  readonly dyShape: [number, number, number, number];
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: Pad;
}

export function depthwiseCase(
  batch: number,
  [h, w]: [number, number],
  channels: number,
  multiplier: number,
  [fh, fw]: [number, number],
  strides: [number, number],
  dilations: [number, number],
  pad: Pad,
): DepthwiseCase {
  const xShape: [number, number, number, number] = [batch, h, w, channels];
  const filterShape: [number, number, number, number] = [fh, fw, channels, multiplier];
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, undefined, true);
  const dyShape: [number, number, number, number] = [batch, info.outHeight, info.outWidth, channels * multiplier];
  const name = describeCase({ strides, dilations, pad }, { x: xShape, filter: filterShape, dy: dyShape });
  return { name, xShape, filterShape, dyShape, strides, dilations, pad };
}

/** Fixed edge cases plus seeded random ones: strides 1/2/3, dilations, same/valid/numeric/explicit padding. */
export function depthwiseCases(randomCount: number, seed: number): DepthwiseCase[] {
  const fixed = [
    depthwiseCase(1, [5, 5], 1, 1, [3, 3], [1, 1], [1, 1], 'valid'),
    depthwiseCase(1, [6, 6], 3, 1, [3, 3], [1, 1], [1, 1], 'same'),
    depthwiseCase(4, [8, 8], 3, 2, [3, 3], [2, 2], [1, 1], 'same'),
    depthwiseCase(4, [8, 8], 3, 2, [3, 3], [2, 2], [1, 1], 'valid'),
    depthwiseCase(2, [9, 7], 5, 3, [2, 3], [2, 1], [1, 1], 'same'),
    depthwiseCase(3, [7, 9], 2, 1, [1, 1], [2, 2], [1, 1], 'same'),
    depthwiseCase(2, [10, 10], 4, 2, [5, 5], [3, 3], [1, 1], 'valid'),
    depthwiseCase(2, [6, 5], 3, 2, [3, 3], [1, 1], [1, 1], 1),
    depthwiseCase(2, [6, 7], 2, 2, [3, 2], [2, 2], [1, 1], [[0, 0], [2, 0], [1, 1], [0, 0]]),
    depthwiseCase(2, [9, 9], 3, 1, [3, 3], [1, 1], [2, 2], 'same'),
    depthwiseCase(2, [9, 10], 2, 2, [3, 2], [1, 1], [2, 3], 'valid'),
    depthwiseCase(1, [11, 8], 4, 3, [2, 3], [1, 1], [3, 2], 'same'),
    depthwiseCase(8, [12, 12], 16, 1, [3, 3], [1, 1], [1, 1], 'same'),
  ];
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const random: DepthwiseCase[] = [];
  while (random.length < randomCount) {
    const f: [number, number] = [pick([1, 2, 3, 5]), pick([1, 2, 3, 5])];
    const dilated = r() < 0.3;
    const strides = dilated ? ([1, 1] as [number, number]) : pick<[number, number]>([[1, 1], [2, 2], [1, 2], [3, 3]]);
    const dilations = dilated ? pick<[number, number]>([[2, 2], [1, 2], [3, 1]]) : ([1, 1] as [number, number]);
    const hw: [number, number] = [(f[0] - 1) * dilations[0] + 1 + Math.floor(r() * 8), (f[1] - 1) * dilations[1] + 1 + Math.floor(r() * 8)];
    random.push(
      depthwiseCase(pick([1, 2, 5]), hw, pick([1, 2, 3, 8]), pick([1, 2, 4]), f, strides, dilations, pick(['same', 'valid'] as const)),
    );
  }
  return [...fixed, ...random];
}

/** The shape of one seeded random conv case: what makeCase-style builders take. */
export type ConvCaseMaker<C> = (
  batch: number,
  hw: [number, number],
  inChannels: number,
  outChannels: number,
  filter: [number, number],
  strides: number | [number, number],
  pad: 'same' | 'valid',
) => C;

/** `count` seeded random conv cases: filters 1–5, inputs up to 8 larger, strides 1/2/3, same/valid padding. */
export function randomConvCases<C>(count: number, seed: number, channels: { in: readonly number[]; out: readonly number[] }, make: ConvCaseMaker<C>): C[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const cases: C[] = [];
  while (cases.length < count) {
    const f: [number, number] = [pick([1, 2, 3, 5]), pick([1, 2, 3, 5])];
    const hw: [number, number] = [f[0] + Math.floor(r() * 9), f[1] + Math.floor(r() * 9)];
    const strides = pick<number | [number, number]>([1, 2, [1, 2], [2, 2], 3]);
    cases.push(make(pick([1, 2, 5]), hw, pick(channels.in), pick(channels.out), f, strides, pick(['same', 'valid'] as const)));
  }
  return cases;
}

/** A dilated filter as the equivalent undilated one: (d − 1) zeros between taps. */
export function expandFilter(filter: HostTensor, [dh, dw]: [number, number]): HostTensor {
  const [fh, fw, c, m] = filter.shape as [number, number, number, number];
  const eh = (fh - 1) * dh + 1;
  const ew = (fw - 1) * dw + 1;
  const values = new Float32Array(eh * ew * c * m);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = (i * fw + j) * c * m;
      values.set(filter.values.subarray(from, from + c * m), (i * dh * ew + j * dw) * c * m);
    }
  }
  return { values, shape: [eh, ew, c, m], dtype: 'float32' };
}

/** The taps of an undilated filter gradient that a dilated filter has: every d-th row and column. */
export function subsampleFilter(grad: KernelResult, [dh, dw]: [number, number]): KernelResult {
  const [eh, ew, c, m] = grad.shape as [number, number, number, number];
  const fh = (eh - 1) / dh + 1;
  const fw = (ew - 1) / dw + 1;
  const values = new Float32Array(fh * fw * c * m);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = (i * dh * ew + j * dw) * c * m;
      values.set(grad.values.subarray(from, from + c * m), (i * fw + j) * c * m);
    }
  }
  return { values, shape: [fh, fw, c, m], dtype: grad.dtype };
}

export function describeCase(attrs: object, shapes: Record<string, number[]>): string {
  const parts = Object.entries(shapes).map(([k, s]) => `${k}[${s.join(',')}]`);
  return `${parts.join(' ')} ${JSON.stringify(attrs)}`;
}
