// A faster BatchMatMul for the wasm backend when an operand is transposed. tfjs 4.22's wasm kernel multiplies a
// transposed operand about ten times slower than a plain one (measured: 64×784ᵀ·64×128 in 4.9 ms against 0.46 ms
// for an explicit Transpose and a plain product), and the backward pass of every dense layer is made of exactly
// those products. This kernel transposes first with the native Transpose kernel, then runs the native product.
import { BatchMatMul, getKernel, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, simdKernelsFor } from './simd/simd-kernels.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

let nativeBatchMatMul: KernelFunc | null = null;

/**
 * Remembers the backend's own kernel and returns the config that replaces it — keeping the native kernel's
 * setupFunc, which binds the wasm function the native kernelFunc calls. Null when already replaced.
 */
export function replacementBatchMatMulConfig(): KernelConfig | null {
  const native = getKernel(BatchMatMul, 'wasm');
  if (!native || native.kernelFunc === (batchMatMulViaTranspose as unknown as KernelFunc)) return null;
  nativeBatchMatMul = native.kernelFunc;
  return { ...batchMatMulViaTransposeConfig, ...(native.setupFunc ? { setupFunc: native.setupFunc } : {}) };
}

export function batchMatMulViaTranspose(args: { inputs: { a?: TensorInfo; b?: TensorInfo }; backend: unknown; attrs?: NamedAttrMap }): TensorInfo {
  const native = nativeBatchMatMul;
  if (!native) throw new Error('the native wasm BatchMatMul kernel was not captured');
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as MatMulAttrs;
  const backend = args.backend as BackendWasm;
  if (!transposeA && !transposeB) return native(args as Parameters<KernelFunc>[0]) as TensorInfo;
  if (transposeA && !transposeB) {
    const direct = matMulTransposedADirect(a, b, backend);
    if (direct) return direct;
  }

  const transpose = getKernel('Transpose', 'wasm')!.kernelFunc;
  const made: TensorInfo[] = [];
  const swapLastTwo = (x: TensorInfo): TensorInfo => {
    const rank = x.shape.length;
    const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
    const out = transpose({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
    made.push(out);
    return out;
  };
  try {
    return native({
      inputs: { a: transposeA ? swapLastTwo(a) : a, b: transposeB ? swapLastTwo(b) : b },
      backend,
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    }) as TensorInfo;
  } finally {
    for (const t of made) backend.disposeData(t.dataId);
  }
}

/** Up to this many columns of B, Aᵀ·B by kernels.wat's matmul_at_b beats Transpose + XNNPACK (bench/wasm-kernels.ts). */
const MAX_DIRECT_COLUMNS = 16;

/**
 * Aᵀ·B (A [batch, k, m], B [batch, k, n], n small: the weight gradient xᵀ·dy of a dense layer with few units) by
 * kernels.wat's matmul_at_b, no transpose of A; null when the case is not one it takes (or no SIMD kernels).
 */
function matMulTransposedADirect(a: TensorInfo, b: TensorInfo, backend: BackendWasm): TensorInfo | null {
  const simd = simdKernelsFor(backend);
  if (!simd || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length !== 3 || b.shape.length !== 3) return null;
  const [batch, k, m] = a.shape as [number, number, number];
  const [batchB, kB, n] = b.shape as [number, number, number];
  if (batch !== batchB || k !== kB || n > MAX_DIRECT_COLUMNS || k * m * n === 0) return null;
  const out = backend.makeOutput([batch, m, n], 'float32');
  const scratch = backend.makeOutput([n * m], 'float32');
  try {
    const [pa, pb, pc, ps] = [heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out), heapOffset(backend, scratch)];
    for (let i = 0; i < batch; i++) simd.matmul_at_b(pa + i * k * m * 4, pb + i * k * n * 4, pc + i * m * n * 4, ps, k, m, n);
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return out;
}

export const batchMatMulViaTransposeConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMulViaTranspose as unknown as KernelFunc,
};
