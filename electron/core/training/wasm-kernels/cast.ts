// Cast for the wasm backend that shares the buffer when the dtype does not change. tfjs-backend-wasm 4.22 copies the
// buffer even then, and the relu gradient casts Step's float32 mask to float32 on every backward pass (0.2 ms for
// the 64×26×26×16 map of the small MNIST conv net). A real conversion converts element by element (to bool: x ≠ 0,
// as on the cpu backend).
import { Cast, type CastAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export interface CastArgs {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: CastAttrs;
}

export function cast({ inputs: { x }, backend, attrs: { dtype } }: CastArgs): TensorInfo {
  if (dtype === x.dtype) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  }
  if (x.dtype === 'string' || dtype === 'string' || dtype === 'complex64' || x.dtype === 'complex64') {
    throw new Error(`Cast from ${x.dtype} to ${dtype} is not supported by the wasm backend`);
  }
  const out = backend.makeOutput(x.shape, dtype);
  // Views after makeOutput: an allocation may replace the heap's buffer.
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  if (dtype === 'bool') {
    // x ≠ 0, as on the cpu backend (a plain typed-array copy would turn 0.5 into 0).
    for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
  } else {
    to.set(from);
  }
  return out;
}

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
