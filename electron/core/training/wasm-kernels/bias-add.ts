// Add for the wasm backend when one operand is a bias broadcast along the last axis ([…, C] + [C], the forward pass
// of every conv and dense layer). tfjs-backend-wasm 4.22 broadcasts with a generic index loop: 0.9 ms for the
// 64×26×26×16 map of the small MNIST conv net, against 0.2 ms for kernels.wat's add_bias. Every other case (and
// every case without the SIMD kernels) goes to the backend's own kernel.
import { Add, getKernel, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, simdKernelsFor } from './simd/simd-kernels.js';

export interface AddArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: Record<string, never>;
}

let nativeAdd: KernelFunc | null = null;

/** Remembers the backend's own Add (with its setupFunc) and returns the config that replaces it; null when done. */
export function replacementAddConfig(): KernelConfig | null {
  const native = getKernel(Add, 'wasm');
  if (!native || native.kernelFunc === (biasAdd as unknown as KernelFunc)) return null;
  nativeAdd = native.kernelFunc;
  return { ...biasAddConfig, ...(native.setupFunc ? { setupFunc: native.setupFunc } : {}) };
}

/** Whether `bias` broadcasts along the last axis of `x`: its shape is [C] (or [1, …, 1, C]) with C = x's last dim. */
export function isLastAxisBias(x: readonly number[], bias: readonly number[]): boolean {
  if (bias.length === 0 || bias.length > x.length || x.length < 2) return false;
  const channels = x[x.length - 1]!;
  return bias[bias.length - 1] === channels && bias.slice(0, -1).every((d) => d === 1) && util.sizeFromShape([...x]) > channels;
}

export function biasAdd(args: AddArgs): TensorInfo {
  const { inputs, backend } = args;
  const simd = simdKernelsFor(backend);
  const { a, b } = inputs;
  const floats = a.dtype === 'float32' && b.dtype === 'float32';
  // Addition of floats commutes exactly, so either operand may be the bias.
  const [x, bias] = floats && isLastAxisBias(a.shape, b.shape) ? [a, b] : floats && isLastAxisBias(b.shape, a.shape) ? [b, a] : [];
  if (!simd || !x || !bias) {
    if (!nativeAdd) throw new Error('the native wasm Add kernel was not captured');
    return nativeAdd(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  }
  const cols = x.shape[x.shape.length - 1]!;
  const out = backend.makeOutput(x.shape, 'float32');
  simd.add_bias(heapOffset(backend, x), heapOffset(backend, bias), heapOffset(backend, out), util.sizeFromShape(x.shape) / cols, cols);
  return out;
}

export const biasAddConfig: KernelConfig = {
  kernelName: Add,
  backendName: 'wasm',
  kernelFunc: biasAdd as unknown as KernelFunc,
};
