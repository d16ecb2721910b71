// DepthwiseConv2dNativeBackpropFilter for the wasm backend: the filter gradient of depthwiseConv2d, computed as one
// native (XNNPACK) depthwise conv over the batch folded into the channels, then a sum over the batch.
//
//   dW[i, j, c, m] = Σ_n Σ_{y, x} X[n, y·sh + i·dh − top, x·sw + j·dw − left, c] · dY[n, y, x, c·M + m]
//
// With X folded to [1, H, W, N·C] (channel n·C + c) and dY to a filter [H_out, W_out, N·C, M], the inner Σ_{y,x} is
// depthwiseConv2d(X, dY) with the forward dilations as strides and the forward strides as dilations; its output
// [1, fh, fw, N·C·M] is summed over n.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertShape, cropSpatial, explicitPad, inWasmScope, span } from './kernel-utils.js';

export interface DepthwiseConv2dNativeBackpropFilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}

export function depthwiseConv2dNativeBackpropFilter({
  inputs,
  backend,
  attrs,
}: DepthwiseConv2dNativeBackpropFilterArgs): TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations ?? 1,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize: n, inHeight, inWidth, inChannels: c, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  const m = outChannels / c;

  return inWasmScope(backend, (scope) => {
    assertShape('DepthwiseConv2dNativeBackpropFilter dy', inputs.dy.shape, [n, outHeight, outWidth, outChannels]);
    const rows = span(padInfo.top, (outHeight - 1) * strideHeight + info.effectiveFilterHeight - inHeight - padInfo.top);
    const cols = span(padInfo.left, (outWidth - 1) * strideWidth + info.effectiveFilterWidth - inWidth - padInfo.left);

    const xCropped = cropSpatial(scope, inputs.x, rows, cols);
    const [, h, w] = xCropped.shape as [number, number, number, number];
    // [N, H, W, C] → [H, W, N, C] → [1, H, W, N·C]
    const xFolded = scope.reshape(scope.transpose(xCropped, [1, 2, 0, 3]), [1, h, w, n * c]);
    // [N, Ho, Wo, C·M] → [N, Ho, Wo, C, M] → [Ho, Wo, N, C, M] → [Ho, Wo, N·C, M]
    const dy5 = scope.reshape(inputs.dy, [n, outHeight, outWidth, c, m]);
    const dyFilter = scope.reshape(scope.transpose(dy5, [1, 2, 0, 3, 4]), [outHeight, outWidth, n * c, m]);

    const perImage = scope.run(
      'DepthwiseConv2dNative',
      { x: xFolded, filter: dyFilter },
      {
        strides: [dilationHeight, dilationWidth],
        dilations: [strideHeight, strideWidth],
        pad: explicitPad(rows, cols),
        dimRoundingMode: undefined,
      },
    ); // [1, fh, fw, N·C·M]
    assertShape('DepthwiseConv2dNativeBackpropFilter result', perImage.shape, [1, filterHeight, filterWidth, n * c * m]);
    if (n === 1) return scope.reshape(perImage, [filterHeight, filterWidth, c, m]);
    const summed = scope.run(
      'Sum',
      { x: scope.reshape(perImage, [filterHeight, filterWidth, n, c * m]) },
      { axis: [2], keepDims: false },
    );
    return scope.reshape(summed, [filterHeight, filterWidth, c, m]);
  });
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as KernelFunc,
};
