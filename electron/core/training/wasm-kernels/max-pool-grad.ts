// MaxPoolGrad for the wasm backend (the backward pass of maxPooling2d), replacing tfjs-backend-wasm 4.22's own, which
// is both slow (12 ms for the 64×26×26×16 map of a small MNIST conv net, half of its whole training step) and wrong
// where pooling windows overlap or 'same' padding cuts a window at the bottom/right edge (it disagrees with the cpu
// backend and TensorFlow there).
//
// A plain JavaScript loop over the wasm heap, reading x and dy and writing dx in place with no copies: every x element
// is read once per window that covers it, every dy element once. Composing native kernels was tried and is slower:
// MaxPoolWithArgmax + ScatterNd cannot work (the wasm MaxPoolWithArgmax ignores includeBatchInIndex) and a mask built
// from Reshape/Tile/Equal took 81 ms. Each window's gradient goes to the first maximum in row-major window order, as
// in the cpu backend; a window of only NaN/−∞ passes no gradient.
import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, simdKernelsFor } from './simd/simd-kernels.js';

export interface MaxPoolGradArgs {
  inputs: { dy: TensorInfo; input: TensorInfo; output?: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}

export function maxPoolGrad({ inputs, backend, attrs }: MaxPoolGradArgs): TensorInfo {
  const { dy, input } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inChannels: channels, outHeight, outWidth } = info;
  const expected = [batchSize, outHeight, outWidth, channels];
  if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`MaxPoolGrad: dy has shape [${dy.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  const dx = backend.makeOutput(input.shape, 'float32');
  const simd = simdKernelsFor(backend);
  if (simd) {
    // kernels.wat's max_pool_grad: the same choice, four channels at a time.
    const { inHeight, inWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
    // Windows that tile the input (every element in exactly one window) let it write dx without zeroing it first.
    const tiles =
      channels % 4 === 0 &&
      strideHeight === filterHeight &&
      strideWidth === filterWidth &&
      outHeight * strideHeight - padInfo.top >= inHeight &&
      outWidth * strideWidth - padInfo.left >= inWidth;
    simd.max_pool_grad(
      heapOffset(backend, input), heapOffset(backend, dy), heapOffset(backend, dx),
      batchSize, inHeight, inWidth, channels, outHeight, outWidth,
      filterHeight, filterWidth, strideHeight, strideWidth, padInfo.top, padInfo.left, tiles ? 1 : 0,
    );
    return dx;
  }
  // Views are taken after makeOutput: an allocation may grow (and so replace) the heap's buffer.
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  scatterWindowMaxima(x, g, out, info);
  return dx;
}

/**
 * For every pooling window and channel, adds dy to dx at the window's first maximum of x. The scan keeps only the
 * index of the best element and moves it with a bit mask instead of a branch: on real data "is this one bigger" is a
 * coin toss, and the mispredicted branches made a branching loop twice as slow (3.8 ms against 2.0 ms here).
 */
function scatterWindowMaxima(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowStride = inWidth * c;
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * rowStride;
    for (let yo = 0; yo < outHeight; yo++) {
      const r0 = yo * strideHeight - top;
      const rStart = Math.max(r0, 0);
      const rEnd = Math.min(r0 + filterHeight, inHeight);
      for (let xo = 0; xo < outWidth; xo++, dyAt += c) {
        const c0 = xo * strideWidth - left;
        const cStart = Math.max(c0, 0);
        const cEnd = Math.min(c0 + filterWidth, inWidth);
        if (rStart >= rEnd || cStart >= cEnd) continue;
        const corner = image + rStart * rowStride + cStart * c;
        for (let ch = 0; ch < c; ch++) {
          let at = corner + ch;
          for (let r = rStart; r < rEnd; r++) {
            let i = image + r * rowStride + cStart * c + ch;
            for (let col = cStart; col < cEnd; col++, i += c) {
              const take = -((x[i]! > x[at]!) as unknown as number) | 0; // all ones when x[i] is the new maximum
              at = (i & take) | (at & ~take);
            }
          }
          // A NaN or −∞ in the window's first place stops the scan above from moving; rare, so rescan exactly.
          if (!(x[at]! > -Infinity)) at = firstMaximum(x, image, rowStride, c, ch, rStart, rEnd, cStart, cEnd);
          if (at >= 0) dx[at] = dx[at]! + dy[dyAt + ch]!;
        }
      }
    }
  }
}

/** The index of the first element greater than all before it and than −∞ (−1 if none), as the cpu backend picks. */
function firstMaximum(
  x: Float32Array,
  image: number,
  rowStride: number,
  c: number,
  ch: number,
  rStart: number,
  rEnd: number,
  cStart: number,
  cEnd: number,
): number {
  let best = -Infinity;
  let at = -1;
  for (let r = rStart; r < rEnd; r++) {
    for (let col = cStart; col < cEnd; col++) {
      const i = image + r * rowStride + col * c + ch;
      if (x[i]! > best) {
        best = x[i]!;
        at = i;
      }
    }
  }
  return at;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
