// DepthwiseConv2dNativeBackpropInput for the wasm backend: the input gradient of depthwiseConv2d (a transposed
// depthwise conv), computed as one native (XNNPACK) depthwise conv of the zero-upsampled output gradient with the
// 180°-rotated filter, then a sum over the channel multiplier.
//
//   dX[n, h, w, c] = Σ_{i, j, m} dYᵤ[n, h + top − i·dh, w + left − j·dw, c·M + m] · W[i, j, c, m]
//
// where dYᵤ is dY with (stride − 1) zeros inserted between rows and between columns. Flipping W turns this into an
// ordinary correlation with dilation (dh, dw), top padding (eff. filter height − 1 − top), over C·M channels with
// multiplier 1; the M partial results of each input channel are then summed.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertShape, cropSpatial, explicitPad, inWasmScope, span, type WasmKernelScope } from './kernel-utils.js';

export interface DepthwiseConv2dNativeBackpropInputArgs {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}

export function depthwiseConv2dNativeBackpropInput({
  inputs,
  backend,
  attrs,
}: DepthwiseConv2dNativeBackpropInputArgs): TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const filterShape = inputs.filter.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(inputShape, filterShape, strides, dilations ?? 1, pad, dimRoundingMode, true);
  const { batchSize: n, inHeight, inWidth, inChannels: c, outHeight, outWidth, outChannels: k } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  const m = k / c;

  return inWasmScope(backend, (scope) => {
    assertShape('DepthwiseConv2dNativeBackpropInput dy', inputs.dy.shape, [n, outHeight, outWidth, k]);
    const upsampled = upsample(scope, inputs.dy, strideHeight, strideWidth); // [N, Ho·sh, Wo·sw, K]
    const [, upHeight, upWidth] = upsampled.shape as [number, number, number, number];

    const top = info.effectiveFilterHeight - 1 - padInfo.top;
    const left = info.effectiveFilterWidth - 1 - padInfo.left;
    const rows = span(top, inHeight + info.effectiveFilterHeight - 1 - upHeight - top);
    const cols = span(left, inWidth + info.effectiveFilterWidth - 1 - upWidth - left);

    const flipped = scope.reshape(scope.run('Reverse', { x: inputs.filter }, { dims: [0, 1] }), [
      filterHeight,
      filterWidth,
      k,
      1,
    ]);
    const perChannel = scope.run(
      'DepthwiseConv2dNative',
      { x: cropSpatial(scope, upsampled, rows, cols), filter: flipped },
      {
        strides: [1, 1],
        dilations: [dilationHeight, dilationWidth],
        pad: explicitPad(rows, cols),
        dimRoundingMode: undefined,
      },
    ); // [N, H, W, C·M]
    assertShape('DepthwiseConv2dNativeBackpropInput result', perChannel.shape, [n, inHeight, inWidth, k]);
    if (m === 1) return perChannel;
    const summed = scope.run(
      'Sum',
      { x: scope.reshape(perChannel, [n, inHeight, inWidth, c, m]) },
      { axis: [4], keepDims: false },
    );
    return summed;
  });
}

/** Inserts (stride − 1) zeros after every row and column: [N, H, W, K] → [N, H·sh, W·sw, K]. */
function upsample(scope: WasmKernelScope, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, h, w, k] = dy.shape as [number, number, number, number];
  const spread = scope.reshape(dy, [n, h, 1, w, 1, k]);
  const padded = scope.run(
    'PadV2',
    { x: spread },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  return scope.reshape(padded, [n, h * sh, w * sw, k]);
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as KernelFunc,
};
