// Loads the WebAssembly SIMD kernels (kernels.wat) onto the memory of a tfjs wasm backend, so the JS kernel files can
// run them on tensors in place: every pointer is a tensor's offset on the backend's heap.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SIMD_KERNELS_WASM_BASE64 } from './simd-kernels.wasm.js';

/** The exports of kernels.wat; pointers are byte offsets on the backend's heap, all tensors float32 NHWC. */
export interface SimdKernels {
  conv2d_backprop_filter(
    x: number, dy: number, dw: number,
    n: number, h: number, w: number, c: number, oh: number, ow: number, co: number,
    fh: number, fw: number, sh: number, sw: number, top: number, left: number,
  ): void;
  max_pool_grad(
    x: number, dy: number, dx: number,
    n: number, h: number, w: number, c: number, oh: number, ow: number,
    fh: number, fw: number, sh: number, sw: number, top: number, left: number, tiles: number,
  ): void;
  sum_rows(x: number, out: number, scratch: number, rows: number, cols: number): void;
  add_bias(a: number, b: number, out: number, rows: number, cols: number): void;
  matmul_at_b(a: number, b: number, c: number, scratch: number, k: number, m: number, n: number): void;
  conv2d(
    x: number, w: number, out: number,
    n: number, h: number, wd: number, c: number, oh: number, ow: number, co: number,
    fh: number, fw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number,
  ): void;
}

// The project's TS libs have no DOM, where the WebAssembly types live: the little used here, declared by hand.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: object }>;
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface EmscriptenHeap {
  asm?: { memory?: unknown };
  wasmMemory?: unknown;
}

const instances = new WeakMap<BackendWasm, SimdKernels>();
let compiled: Promise<object> | undefined;
let enabled = true;
let lastError: unknown;

function moduleBytes(): Uint8Array {
  const binary = atob(SIMD_KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The backend's WebAssembly.Memory: Emscripten exports it from the module (asm.memory) in the single-threaded build. */
export function backendMemory(backend: BackendWasm): WasmMemory | undefined {
  const heap = backend.wasm as unknown as EmscriptenHeap;
  const memory = heap.asm?.memory ?? heap.wasmMemory;
  return memory instanceof WebAssemblyApi.Memory ? memory : undefined;
}

/**
 * Instantiates the kernels on `backend`'s memory (async: browsers refuse to compile modules over 4 KB synchronously on
 * the main thread). Returns false, leaving the JS kernels in charge, where that cannot work: no WebAssembly SIMD, or a
 * shared memory (the threaded build, which this module does not import).
 */
export async function attachSimdKernels(backend: BackendWasm): Promise<boolean> {
  if (instances.has(backend)) return true;
  const memory = backendMemory(backend);
  if (!memory) return false;
  try {
    compiled ??= WebAssemblyApi.compile(moduleBytes());
    const instance = await WebAssemblyApi.instantiate(await compiled, { env: { memory } });
    instances.set(backend, instance.exports as unknown as SimdKernels);
    return true;
  } catch (err) {
    lastError = err;
    return false;
  }
}

/** The kernels attached to `backend`, or undefined (not attached, or switched off): the caller takes its JS route. */
export function simdKernelsFor(backend: BackendWasm): SimdKernels | undefined {
  return enabled ? instances.get(backend) : undefined;
}

/** Switches the SIMD routes off (or back on), e.g. to compare them with the JS ones; returns the previous setting. */
export function setSimdKernelsEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Why the last attach failed, for diagnostics. */
export function simdKernelsError(): unknown {
  return lastError;
}

/** A tensor's byte offset on the heap. Take it after allocating outputs: growing the heap keeps offsets but not views. */
export function heapOffset(backend: BackendWasm, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId) as { memoryOffset: number } | undefined;
  if (data == null) throw new Error('SIMD kernel: tensor has no data on the wasm backend');
  return data.memoryOffset;
}
