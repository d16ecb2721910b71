// UnsortedSegmentSum for the wasm backend (the gradient of gather, so of every embedding layer): a native ScatterNd
// that adds row i of x into row segmentIds[i] of a zero tensor (ScatterNd sums duplicate indices), O(rows × row size).
//
// As in TensorFlow, segmentIds may cover the leading k axes of x, and ids outside [0, numSegments) are dropped: those
// rows are sent to one extra scratch segment that is sliced off afterwards.
import {
  UnsortedSegmentSum,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { inWasmScope } from './kernel-utils.js';

export interface UnsortedSegmentSumArgs {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: BackendWasm;
  attrs: UnsortedSegmentSumAttrs;
}

export function unsortedSegmentSum({ inputs, backend, attrs }: UnsortedSegmentSumArgs): TensorInfo {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`);
  }
  const idsRank = segmentIds.shape.length;
  if (idsRank > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(
      `UnsortedSegmentSum: segmentIds shape [${segmentIds.shape.join(', ')}] must be a prefix of x shape [${x.shape.join(', ')}]`,
    );
  }
  const rows = util.sizeFromShape(segmentIds.shape);
  const rowShape = x.shape.slice(idsRank);
  const outShape = [numSegments, ...rowShape];
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';

  return inWasmScope(backend, (scope) => {
    if (rows === 0 || util.sizeFromShape(outShape) === 0) {
      return scope.run('Fill', {}, { shape: outShape, value: 0, dtype });
    }
    const ids = backend.readSync(segmentIds.dataId) as ArrayLike<number>;
    let inRange = true;
    for (let i = 0; i < rows; i++) {
      const id = ids[i]!;
      if (!(id >= 0 && id < numSegments)) {
        inRange = false;
        break;
      }
    }
    const updates = scope.reshape(x, [rows, ...rowShape]);
    if (inRange && segmentIds.dtype === 'int32') {
      const indices = scope.reshape(segmentIds, [rows, 1]);
      return scope.run('ScatterNd', { indices, updates }, { shape: outShape });
    }
    // Remap: out-of-range (or non-integer) ids go to the scratch segment `numSegments`.
    const remapped = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const id = ids[i]!;
      remapped[i] = Number.isInteger(id) && id >= 0 && id < numSegments ? id : numSegments;
    }
    const indices = scope.write(remapped, [rows, 1], 'int32');
    const withScratch = scope.run('ScatterNd', { indices, updates }, { shape: [numSegments + 1, ...rowShape] });
    return scope.slice(
      withScratch,
      outShape.map(() => 0),
      outShape,
    );
  });
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
