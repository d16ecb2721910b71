// Starts tfjs's WebAssembly backend in Node (or an Electron main/utility process) with the gradient kernels it lacks.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels, registerWasmSpeedKernels } from './register-wasm-gradient-kernels.js';
import { attachSimdKernels } from './simd/simd-kernels.js';

export interface InitWasmBackendOptions {
  /** Folder holding tfjs-backend-wasm*.wasm; default: the dist/ folder of the installed @tensorflow/tfjs-backend-wasm. */
  readonly wasmDir?: string;
  /** XNNPACK threads (only used by the threaded build, which Node does not get); default: the backend's choice. */
  readonly threads?: number;
}

/** The dist/ folder of the installed @tensorflow/tfjs-backend-wasm, which holds its .wasm binaries. */
export function defaultWasmDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main entry is dist/tf-backend-wasm.node.js, beside the binaries.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

let started: Promise<number> | undefined;

/**
 * Points the wasm backend at its binaries, registers the missing gradient kernels, makes 'wasm' the active tfjs
 * backend and waits until it is ready. Returns the number of threads it runs. Safe to call again: later calls only
 * re-select 'wasm' as the active backend.
 */
export function initWasmBackend(options: InitWasmBackendOptions = {}): Promise<number> {
  registerWasmGradientKernels();
  registerWasmSpeedKernels();
  started ??= start(options).catch((err: unknown) => {
    started = undefined;
    throw err;
  });
  return started.then(async (threads) => {
    if (tf.getBackend() !== 'wasm') await activate();
    return threads;
  });
}

async function start(options: InitWasmBackendOptions): Promise<number> {
  const dir = options.wasmDir ?? defaultWasmDir();
  setWasmPaths(dir.endsWith(path.sep) || dir.endsWith('/') ? dir : dir + path.sep);
  if (options.threads != null) setThreadsCount(options.threads);
  await activate();
  return Math.max(1, getThreadsCount());
}

async function activate(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend did not start');
  await tf.ready();
  // The SIMD kernels run on the backend's own heap; without them (no SIMD, threaded build, or switched off with
  // MODELCOMMONS_WASM_SIMD=0 to compare) the JS and native routes run.
  if (process.env.MODELCOMMONS_WASM_SIMD !== '0') await attachSimdKernels(tf.backend() as BackendWasm);
}
