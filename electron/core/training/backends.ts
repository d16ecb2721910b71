// Chooses and starts the tfjs backend of a training process: tfjs-node-gpu (CUDA) > tfjs-node > wasm > cpu among
// those installed, or the one asked for. tfjs-node and tfjs-node-gpu are optional: absent, they are skipped.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import os from 'node:os';
import { notInstalledReason, OPTIONAL_BACKEND_PACKAGES, PROCESS_BACKENDS, type BackendChoice, type ProcessBackend } from '../../../shared/backends.js';
import { AppError } from '../app-error.js';
import type { ActiveBackend } from './portable/probe-target.js';

export type { ActiveBackend };

/** A backend of this process (`auto` resolved). */
export type ConcreteBackend = ProcessBackend;
type Concrete = ConcreteBackend;

const loaders: Record<Concrete, () => Promise<ActiveBackend>> = {
  'tfjs-node-gpu': async () => {
    await import('@tensorflow/tfjs-node-gpu' as string);
    await use('tensorflow');
    return { backend: 'tfjs-node-gpu', device: 'GPU (CUDA via libtensorflow)' };
  },
  'tfjs-node': async () => {
    await import('@tensorflow/tfjs-node' as string);
    await use('tensorflow');
    return { backend: 'tfjs-node', device: `CPU (libtensorflow, ${os.cpus().length} cores)` };
  },
  wasm: async () => {
    const { initWasmBackend } = await import('./wasm-kernels/index.js');
    const threads = await initWasmBackend();
    return { backend: 'wasm', device: `CPU (WebAssembly SIMD, ${threads} thread${threads === 1 ? '' : 's'})` };
  },
  cpu: async () => {
    await use('cpu');
    return { backend: 'cpu', device: 'CPU (plain JavaScript)' };
  },
};

async function use(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend did not start`);
  await tf.ready();
}

/** Starts one backend; a failure is the loader's own error (see unavailableReason for a person's words). */
export function startBackend(choice: Concrete): Promise<ActiveBackend> {
  return loaders[choice]();
}

export async function activateBackend(choice: BackendChoice): Promise<ActiveBackend> {
  if (choice !== 'auto') {
    try {
      return await loaders[choice]();
    } catch (err) {
      throw new AppError('training', `The ${choice} backend is not available here: ${unavailableReason(choice, err)}`);
    }
  }
  for (const name of PROCESS_BACKENDS) {
    try {
      return await loaders[name]();
    } catch {
      // not installed or not loadable: try the next one
    }
  }
  throw new AppError('training', 'No training backend could start');
}

export function unavailableReason(choice: Concrete, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const pkg = OPTIONAL_BACKEND_PACKAGES[choice];
  if (pkg && /Cannot find (package|module)/.test(message)) return notInstalledReason(pkg);
  return message.split('\n')[0]!;
}
