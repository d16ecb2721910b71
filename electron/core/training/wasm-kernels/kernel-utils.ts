// Shared plumbing of the wasm gradient kernels: run other (fast, native) wasm kernels from inside a kernel and free
// every intermediate they made, plus the conv geometry the three conv kernels share.
import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type Pair = [number, number];
export type PadSpec = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

export function toPair(value: number | readonly number[] | undefined, fallback = 1): Pair {
  if (value == null) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  return [value[0] ?? fallback, value[1] ?? value[0] ?? fallback];
}

/**
 * Runs registered wasm kernels (Conv2D, Transpose, ScatterNd, …) on the kernel's own backend, bypassing the engine:
 * nothing is taped or counted as a tensor. Every TensorInfo a run returns holds one reference on the backend; `dispose`
 * drops them all except the one handed out with `keep`.
 */
export class WasmKernelScope {
  private readonly owned: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: object = {}): TensorInfo {
    const kernel = getKernel(kernelName, 'wasm');
    if (kernel == null) throw new Error(`wasm gradient kernels need the wasm kernel '${kernelName}', which is not registered`);
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs: attrs as NamedAttrMap });
    const outs = Array.isArray(out) ? out : [out];
    this.owned.push(...outs);
    const first = outs[0];
    if (first == null) throw new Error(`wasm kernel '${kernelName}' returned no output`);
    return first;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /** A fresh tensor on the backend, its contents undefined: fill it through backend.typedArrayFromHeap. */
  output(shape: number[], dtype: 'float32' | 'int32'): TensorInfo {
    const out = this.backend.makeOutput(shape, dtype);
    this.owned.push(out);
    return out;
  }

  /** A fresh tensor on the backend holding `values`. */
  write(values: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32'): TensorInfo {
    const out = this.backend.makeOutput(shape, dtype);
    this.owned.push(out);
    this.backend.typedArrayFromHeap(out).set(values);
    return out;
  }

  /** Takes `info` out of the scope: the caller (the engine, for a kernel's result) now owns its reference. */
  keep(info: TensorInfo): TensorInfo {
    const at = this.owned.lastIndexOf(info);
    if (at < 0) throw new Error('a wasm gradient kernel tried to return a tensor it did not create');
    this.owned.splice(at, 1);
    return info;
  }

  dispose(): void {
    for (const info of this.owned.splice(0)) this.backend.disposeData(info.dataId);
  }
}

/** Runs `body` in a scope and returns its result, freeing every other intermediate even when `body` throws. */
export function inWasmScope(backend: BackendWasm, body: (scope: WasmKernelScope) => TensorInfo): TensorInfo {
  const scope = new WasmKernelScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}

/**
 * The input rows/cols a correlation must see so that its output has exactly `outSize` positions: `before` zeros are
 * padded in front and `after` behind; a negative amount means that many input rows/cols are never read and must be
 * cropped instead (native kernels take no negative padding).
 */
export interface Span {
  readonly padBefore: number;
  readonly padAfter: number;
  readonly cropBefore: number;
  readonly cropAfter: number;
}

export function span(before: number, after: number): Span {
  return {
    padBefore: Math.max(before, 0),
    padAfter: Math.max(after, 0),
    cropBefore: Math.max(-before, 0),
    cropAfter: Math.max(-after, 0),
  };
}

/** Crops an NHWC tensor's spatial axes as the spans say (no-op when nothing is cropped). */
export function cropSpatial(scope: WasmKernelScope, x: TensorInfo, rows: Span, cols: Span): TensorInfo {
  if (rows.cropBefore + rows.cropAfter + cols.cropBefore + cols.cropAfter === 0) return x;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const height = h - rows.cropBefore - rows.cropAfter;
  const width = w - cols.cropBefore - cols.cropAfter;
  if (height <= 0 || width <= 0) throw new Error('wasm gradient kernel: padding leaves no input to read');
  return scope.slice(x, [0, rows.cropBefore, cols.cropBefore, 0], [n, height, width, c]);
}

export function explicitPad(rows: Span, cols: Span): PadSpec {
  return [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ];
}

export function assertShape(what: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new Error(`${what} has shape [${actual.join(', ')}], expected [${expected.join(', ')}]`);
  }
}
