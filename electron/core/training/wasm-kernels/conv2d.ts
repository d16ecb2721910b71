// Conv2D for the wasm backend with few input channels (a first layer on images), replacing the native XNNPACK kernel
// there: kernels.wat's conv2d reads x and the filter in place, 16 output channels at a time in f32x4 registers. The
// native kernel took 0.95 ms for the MNIST conv net's first layer (x [64, 28, 28, 1], 16 3×3 filters), partly to
// re-pack the filter, a new buffer after every optimizer step. Every other case goes to the backend's own kernel.
import {
  backend_util,
  Conv2D,
  getKernel,
  type Conv2DAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, simdKernelsFor } from './simd/simd-kernels.js';

export interface Conv2DArgs {
  inputs: { x: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DAttrs;
}

/** Up to this many input channels the direct loop beats XNNPACK (bench/wasm-kernels.ts). */
const MAX_DIRECT_IN_CHANNELS = 4;

let nativeConv2D: KernelFunc | null = null;

/** Remembers the backend's own Conv2D (with its setupFunc) and returns the config that replaces it; null when done. */
export function replacementConv2DConfig(): KernelConfig | null {
  const native = getKernel(Conv2D, 'wasm');
  if (!native || native.kernelFunc === (conv2D as unknown as KernelFunc)) return null;
  nativeConv2D = native.kernelFunc;
  return { ...conv2DConfig, ...(native.setupFunc ? { setupFunc: native.setupFunc } : {}) };
}

export function conv2D(args: Conv2DArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs;
  const simd = simdKernelsFor(backend);
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  const info =
    simd && x.dtype === 'float32' && filter.dtype === 'float32' && x.shape.length === 4
      ? backend_util.computeConv2DInfo(
          x.shape as [number, number, number, number],
          filter.shape as [number, number, number, number],
          strides,
          dilations,
          pad,
          dimRoundingMode,
          false,
          backend_util.convertConv2DDataFormat(dataFormat),
        )
      : null;
  if (!simd || !info || info.dataFormat !== 'channelsLast' || info.inChannels > MAX_DIRECT_IN_CHANNELS || info.outChannels % 4 !== 0) {
    if (!nativeConv2D) throw new Error('the native wasm Conv2D kernel was not captured');
    return nativeConv2D(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  }
  const out = backend.makeOutput(info.outShape, 'float32');
  simd.conv2d(
    heapOffset(backend, x), heapOffset(backend, filter), heapOffset(backend, out),
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left,
  );
  return out;
}

export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  kernelFunc: conv2D as unknown as KernelFunc,
};
