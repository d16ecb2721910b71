// Conv2DBackpropFilter for the wasm backend (tfjs issue #8474): the filter gradient of conv2d,
//
//   dW[i, j, c, o] = Σ_{n, y, x} X[n, y·sh + i − top, x·sw + j − left, c] · dY[n, y, x, o]
//
// by one of two routes, whichever is faster for the shape:
// - patches (few input channels, e.g. a first layer on images): the input's patches as a [fh·fw·C_in, N·H_out·W_out]
//   matrix times dY as [N·H_out·W_out, C_out], one native BatchMatMul;
// - conv (more channels): conv2d(Xᵀ = X transposed to [C_in, H, W, N], dYᵀ = dY transposed to [H_out, W_out, N,
//   C_out]) with stride 1 and the forward strides as dilations: batch = input channel, channels = batch, taps = output
//   pixels. Its output [C_in, fh, fw, C_out] is transposed back to the filter layout [fh, fw, C_in, C_out].
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertShape, cropSpatial, explicitPad, inWasmScope, span } from './kernel-utils.js';
import { heapOffset, simdKernelsFor } from './simd/simd-kernels.js';

export interface Conv2DBackpropFilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}

/** Past this many elements (32 MiB) the patch matrix costs more memory than the conv route is worth saving. */
const MAX_PATCH_ELEMENTS = 8 * 2 ** 20;

export function conv2DBackpropFilter(args: Conv2DBackpropFilterArgs): TensorInfo {
  const info = conv2DInfo(args);
  if (useDirectRoute(args, info)) return conv2DBackpropFilterDirect(args, info);
  const patchElements = info.filterHeight * info.filterWidth * info.inChannels * info.batchSize * info.outHeight * info.outWidth;
  // Measured (bench/wasm-kernels.ts): patches win up to 4 input channels (1.6 against 4.3 ms for the 1-channel MNIST
  // conv, 1.0 against 1.5 ms at 4 channels), tie at 8 and lose beyond.
  return info.inChannels <= 4 && patchElements <= MAX_PATCH_ELEMENTS
    ? conv2DBackpropFilterViaPatches(args, info)
    : conv2DBackpropFilterViaConv(args, info);
}

/** Up to this many input channels the direct SIMD loop beats the native routes (bench/wasm-kernels.ts). */
const MAX_DIRECT_IN_CHANNELS = 4;

function useDirectRoute({ inputs, backend }: Conv2DBackpropFilterArgs, info: backend_util.Conv2DInfo): boolean {
  return (
    simdKernelsFor(backend) != null &&
    info.dataFormat === 'channelsLast' &&
    inputs.x.dtype === 'float32' &&
    inputs.dy.dtype === 'float32' &&
    info.inChannels <= MAX_DIRECT_IN_CHANNELS
  );
}

/**
 * The direct route: kernels.wat's conv2d_backprop_filter reads x and dY in place and writes dW, accumulating over
 * each output row in f32x4 registers (four output channels a lane). No patch matrix, and no XNNPACK product, which
 * re-packs its fresh right operand (dY) every step.
 */
export function conv2DBackpropFilterDirect({ inputs, backend }: Conv2DBackpropFilterArgs, info: backend_util.Conv2DInfo): TensorInfo {
  const simd = simdKernelsFor(backend);
  if (!simd) throw new Error('Conv2DBackpropFilter: the SIMD kernels are not attached to this backend');
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  assertShape('Conv2DBackpropFilter dy', inputs.dy.shape, [batchSize, outHeight, outWidth, outChannels]);
  const dW = backend.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  simd.conv2d_backprop_filter(
    heapOffset(backend, inputs.x), heapOffset(backend, inputs.dy), heapOffset(backend, dW),
    batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels,
    filterHeight, filterWidth, strideHeight, strideWidth, padInfo.top, padInfo.left,
  );
  return dW;
}

function conv2DInfo({ inputs, attrs }: Conv2DBackpropFilterArgs) {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = backend_util.convertConv2DDataFormat(dataFormat ?? 'NHWC');
  return backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
}

/**
 * The patch route: the input's patches as a matrix P [fh·fw·C_in, N·H_out·W_out] written by a loop over the heap,
 * then dW = P · dY (dY seen as [N·H_out·W_out, C_out]) by one native BatchMatMul; no transposes, which the wasm
 * backend does slowly.
 */
export function conv2DBackpropFilterViaPatches({ inputs, backend }: Conv2DBackpropFilterArgs, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  return inWasmScope(backend, (scope) => {
    let x = inputs.x;
    let dy = inputs.dy;
    if (info.dataFormat === 'channelsFirst') {
      x = scope.transpose(x, [0, 2, 3, 1]);
      dy = scope.transpose(dy, [0, 2, 3, 1]);
    }
    assertShape('Conv2DBackpropFilter dy', dy.shape, [batchSize, outHeight, outWidth, outChannels]);
    const taps = filterHeight * filterWidth * inChannels;
    const positions = batchSize * outHeight * outWidth;
    const patches = scope.output([1, taps, positions], 'float32');
    // Views after the allocation, which may replace the heap's buffer.
    writePatches(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(patches) as Float32Array, info);
    const dY = scope.reshape(dy, [1, positions, outChannels]);
    const dW = scope.run('BatchMatMul', { a: patches, b: dY }, { transposeA: false, transposeB: false });
    return scope.reshape(dW, [filterHeight, filterWidth, inChannels, outChannels]);
  });
}

/** P[(i, j, c), (n, y, x)] = X[n, y·sh + i − top, x·sw + j − left, c], 0 where that is padding. */
function writePatches(x: Float32Array, p: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  let at = 0;
  for (let i = 0; i < filterHeight; i++) {
    for (let j = 0; j < filterWidth; j++) {
      // The output columns whose tap (i, j) reads a real input column: [xLo, xHi).
      const xLo = Math.min(outWidth, Math.max(0, Math.ceil((left - j) / strideWidth)));
      const xHi = Math.max(xLo, Math.min(outWidth, Math.ceil((w + left - j) / strideWidth)));
      for (let ch = 0; ch < c; ch++) {
        for (let b = 0; b < batchSize; b++) {
          for (let y = 0; y < outHeight; y++) {
            const r = y * strideHeight + i - top;
            if (r < 0 || r >= h) {
              p.fill(0, at, at + outWidth);
              at += outWidth;
              continue;
            }
            const row = (b * h + r) * w * c + ch;
            let xo = 0;
            for (; xo < xLo; xo++) p[at++] = 0;
            let from = row + (xo * strideWidth + j - left) * c;
            const step = strideWidth * c;
            for (; xo < xHi; xo++, from += step) p[at++] = x[from]!;
            for (; xo < outWidth; xo++) p[at++] = 0;
          }
        }
      }
    }
  }
}

/** The conv route: one native Conv2D of the transposed input with the transposed output gradient as its filter. */
export function conv2DBackpropFilterViaConv({ inputs, backend }: Conv2DBackpropFilterArgs, info: backend_util.Conv2DInfo): TensorInfo {
  const format = info.dataFormat;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;

  return inWasmScope(backend, (scope) => {
    // The native kernels are NHWC-only: bring NCHW operands over first.
    let x = inputs.x;
    let dy = inputs.dy;
    if (format === 'channelsFirst') {
      x = scope.transpose(x, [0, 2, 3, 1]);
      dy = scope.transpose(dy, [0, 2, 3, 1]);
    }
    assertShape('Conv2DBackpropFilter dy', dy.shape, [batchSize, outHeight, outWidth, outChannels]);

    // Rows/cols of the padded input the forward pass read; beyond them (bottom/right) input is never used.
    const rows = span(padInfo.top, (outHeight - 1) * strideHeight + filterHeight - inHeight - padInfo.top);
    const cols = span(padInfo.left, (outWidth - 1) * strideWidth + filterWidth - inWidth - padInfo.left);

    const xT = scope.transpose(cropSpatial(scope, x, rows, cols), [3, 1, 2, 0]); // [C_in, H, W, N]
    const dyT = scope.transpose(dy, [1, 2, 0, 3]); // [H_out, W_out, N, C_out]
    const dW = scope.run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: explicitPad(rows, cols),
        dataFormat: 'NHWC',
        dilations: [strideHeight, strideWidth],
        dimRoundingMode: undefined,
      },
    ); // [C_in, fh, fw, C_out]
    assertShape('Conv2DBackpropFilter result', dW.shape, [inChannels, filterHeight, filterWidth, outChannels]);
    return scope.transpose(dW, [1, 2, 0, 3]);
  });
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
