// Sum for the wasm backend that reduces leading axes with a loop over the heap. tfjs-backend-wasm 4.22 reduces only
// innermost axes, so for leading ones (the bias gradient of every conv and dense layer: Σ over batch and pixels) it
// first transposes the whole tensor, and its Transpose is slow: 1.8 ms for the 64×26×26×16 map of the small MNIST
// conv net; the loop takes 1.0 ms. A native ones[1, R] · x[R, C] product was tried: 0.1 ms when x is the same buffer
// every call, but 2.2 ms in training, where XNNPACK packs a fresh x as its weights every time. Every other case goes
// to the backend's own kernel.
import {
  backend_util,
  getKernel,
  Sum,
  util,
  type KernelConfig,
  type KernelFunc,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, simdKernelsFor } from './simd/simd-kernels.js';

export interface SumArgs {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: SumAttrs;
}

let nativeSum: KernelFunc | null = null;

/** Remembers the backend's own Sum (with its setupFunc) and returns the config that replaces it; null when done. */
export function replacementSumConfig(): KernelConfig | null {
  const native = getKernel(Sum, 'wasm');
  if (!native || native.kernelFunc === (sum as unknown as KernelFunc)) return null;
  nativeSum = native.kernelFunc;
  return { ...sumConfig, ...(native.setupFunc ? { setupFunc: native.setupFunc } : {}) };
}

/** How many leading axes `axis` names, when it names exactly axes 0 … k−1 with k < rank (else 0). */
export function leadingAxes(shape: readonly number[], axis: number | number[]): number {
  const axes = util.parseAxisParam(axis, shape as number[]).sort((a, b) => a - b);
  const k = axes.length;
  if (k === 0 || k >= shape.length || axes.some((a, i) => a !== i)) return 0;
  return k;
}

export function sum(args: SumArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const { axis, keepDims } = attrs;
  const k = x.dtype === 'float32' ? leadingAxes(x.shape, axis) : 0;
  const rows = util.sizeFromShape(x.shape.slice(0, k));
  if (k === 0 || rows === 0 || util.sizeFromShape(x.shape) === 0) {
    if (!nativeSum) throw new Error('the native wasm Sum kernel was not captured');
    return nativeSum(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  }
  const kept = x.shape.slice(k);
  const cols = util.sizeFromShape(kept);
  const outShape = keepDims ? backend_util.expandShapeToKeepDim(kept, Array.from({ length: k }, (_, i) => i)) : kept;
  const out = backend.makeOutput(outShape, 'float32');
  const simd = simdKernelsFor(backend);
  if (simd) {
    // kernels.wat's sum_rows, with float64 accumulators in a scratch buffer of `cols` doubles.
    const scratch = backend.makeOutput([cols * 2], 'float32');
    try {
      simd.sum_rows(heapOffset(backend, x), heapOffset(backend, out), heapOffset(backend, scratch), rows, cols);
    } finally {
      backend.disposeData(scratch.dataId);
    }
    return out;
  }
  // Views after the allocation, which may replace the heap's buffer.
  sumRows(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array, rows, cols);
  return out;
}

/** out[c] = Σ_r x[r·cols + c], accumulated in float64 like the cpu backend. */
function sumRows(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  const acc = new Float64Array(cols);
  let i = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) acc[c] = acc[c]! + x[i++]!;
  out.set(acc);
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
