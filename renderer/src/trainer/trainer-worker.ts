// A module Web Worker that trains one job on a GPU backend of the browser (WebGPU or WebGL through OffscreenCanvas,
// falling back to cpu) with the same loop as the Node training process, and posts the same `FromTrainer` messages.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { toErrorShape } from '../../../electron/core/app-error.js';
import { mulberry32 } from '../../../electron/core/training/data/seeded-random.js';
import { trainOnData } from '../../../electron/core/training/train-on-data.js';
import type { BrowserBackend, FromTrainer, ToBrowserTrainer } from './browser-trainer-protocol.js';

interface ActiveBackend {
  readonly backend: string;
  readonly device: string;
}

const post = (m: FromTrainer) => self.postMessage(m);

self.onmessage = (event: MessageEvent<ToBrowserTrainer>) => {
  const message = event.data;
  if (message.kind !== 'start') return;
  const { job } = message;
  // This worker only trains: seeding Math.random makes unseeded draws (dropout masks) repeat, as in the Node trainer.
  Math.random = mulberry32(job.manifest.training.seed ^ 0x5eed);
  activate(job.backend)
    .then(({ backend, device }) => trainOnData(job.data, job.manifest, post, { backend, device }))
    .then((result) => post({ kind: 'done', result }))
    .catch((err: unknown) => post({ kind: 'failed', message: toErrorShape(err).message }));
};

/** Starts the asked-for backend or the next one down (webgpu → webgl → cpu), saying in `device` why it fell back. */
async function activate(choice: BrowserBackend): Promise<ActiveBackend> {
  const order: BrowserBackend[] = choice === 'webgpu' ? ['webgpu', 'webgl', 'cpu'] : choice === 'webgl' ? ['webgl', 'cpu'] : ['cpu'];
  const misses: string[] = [];
  for (const name of order) {
    try {
      const active = await starters[name]();
      return misses.length ? { ...active, device: `${active.device} — ${misses.join('; ')}` } : active;
    } catch (err) {
      misses.push(`${name} unavailable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(misses.join('; '));
}

const starters: Record<BrowserBackend, () => Promise<ActiveBackend>> = {
  webgpu: async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: GpuAdapterInfo } | null> } }).gpu;
    if (!gpu) throw new Error('no navigator.gpu in this context');
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter');
    // Loaded only when asked: the WebGPU backend is large and most contexts here have no adapter.
    await import('@tensorflow/tfjs-backend-webgpu');
    await use('webgpu');
    const info = adapter.info;
    const name = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ');
    return { backend: 'webgpu', device: `GPU (WebGPU${name ? `, ${name}` : ''})` };
  },
  webgl: async () => {
    if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') throw new Error('no OffscreenCanvas in this worker');
    await use('webgl');
    const version = tf.env().getNumber('WEBGL_VERSION');
    const renderer = webglRenderer();
    return { backend: 'webgl', device: `GPU (WebGL ${version}${renderer ? `, ${renderer}` : ''})` };
  },
  cpu: async () => {
    await use('cpu');
    return { backend: 'cpu', device: 'CPU (plain JavaScript)' };
  },
};

interface GpuAdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
}

async function use(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend did not start`);
  await tf.ready();
}

/** The GPU adapter's name (e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …))"), where the context tells it. */
function webglRenderer(): string | null {
  const gl = (tf.backend() as MathBackendWebGL).gpgpu?.gl;
  if (!gl) return null;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const value: unknown = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof value === 'string' && value ? value : null;
}
