// Identity for the wasm backend without a copy. tfjs's engine clones (runs Identity on) every tensor it saves for the
// backward pass, and tfjs-backend-wasm 4.22's Identity copies the whole buffer: three copies of the 64×26×26×16
// activation map per step of the small MNIST conv net (0.7 ms). Tensors are immutable and the backend counts
// references per buffer (Reshape already shares them this way), so the clone can share the input's buffer, as the
// cpu backend's Identity does.
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export interface IdentityArgs {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
}

export function identity({ inputs: { x }, backend }: IdentityArgs): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
