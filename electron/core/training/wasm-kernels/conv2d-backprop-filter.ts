// Conv2DBackpropFilter for the wasm backend (tfjs issue #8474): the filter gradient of conv2d, computed as one native
// (XNNPACK) conv2d over the transposed input and output gradient.
//
//   dW[i, j, c, o] = Σ_{n, y, x} X[n, y·sh + i − top, x·sw + j − left, c] · dY[n, y, x, o]
//
// which is conv2d(Xᵀ = X transposed to [C_in, H, W, N], dYᵀ = dY transposed to [H_out, W_out, N, C_out]) with
// stride 1 and the forward strides as dilations: batch = input channel, channels = batch, taps = output pixels.
// Its output [C_in, fh, fw, C_out] is transposed back to the filter layout [fh, fw, C_in, C_out].
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

export interface Conv2DBackpropFilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}

export function conv2DBackpropFilter({ inputs, backend, attrs }: Conv2DBackpropFilterArgs): TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = backend_util.convertConv2DDataFormat(dataFormat ?? 'NHWC');
  const info = backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
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
