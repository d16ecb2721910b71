// A module Web Worker that trains one job on a GPU backend of the browser (WebGPU or WebGL through OffscreenCanvas,
// falling back to cpu) with the same loop as the Node training process, and posts the same `FromTrainer` messages;
// or probes WebGPU/WebGL on the job's model with the Node host's probe, for `auto`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type * as tfl from '@tensorflow/tfjs-layers';
import { toErrorShape } from '../../../electron/core/portable/app-error.js';
import { buildModel } from '../../../electron/core/training/portable/build-model.js';
import { mulberry32 } from '../../../electron/core/training/portable/seeded-random.js';
import { measureEach, missingKernel, modelProbeTarget, type ActiveBackend } from '../../../electron/core/training/portable/probe-target.js';
import { trainOnData } from '../../../electron/core/training/portable/train-on-data.js';
import type { Manifest } from '../../../shared/manifest.js';
import { adapterName, isSoftwareAdapter, isSoftwareRenderer, requestGpuAdapter } from './software-renderer.js';
import type { BrowserBackend, BrowserProbeJob, CheckpointArtifacts, FromTrainer, ProbeFigure, ToBrowserTrainer, TrainingData } from './browser-trainer-protocol.js';

const post = (m: FromTrainer, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
/** trainOnData's progress messages (started, batch, epoch), passed on as they come. */
const progress = (m: Parameters<Parameters<typeof trainOnData>[2]>[0]) => {
  if (m.kind === 'started' || m.kind === 'batch' || m.kind === 'epoch') post(m);
};

self.onmessage = (event: MessageEvent<ToBrowserTrainer>) => {
  const message = event.data;
  // This worker only trains: seeding Math.random makes unseeded draws (dropout masks) repeat, as in the Node trainer.
  Math.random = mulberry32(message.job.manifest.training.seed ^ 0x5eed);
  if (message.kind === 'probe') {
    void probe(message.job).then((probes) => post({ kind: 'probed', probes }));
    return;
  }
  const { job } = message;
  let checkpoint: CheckpointArtifacts | null = null;
  activate(job.backend, preflight(job.manifest, job.data))
    .then(({ backend, device }) =>
      trainOnData(job.data, job.manifest, progress, {
        backend,
        device,
        ...(job.checkpoint ? { checkpoint: async (model: tfl.LayersModel) => void (checkpoint = await artifactsOf(model)) } : {}),
      }),
    )
    .then(({ checkpointDir: _none, ...result }) => {
      const saved = checkpoint as CheckpointArtifacts | null;
      post({ kind: 'done', result, checkpoint: saved }, saved ? [saved.weightData.buffer as ArrayBuffer] : []);
    })
    .catch((err: unknown) => post({ kind: 'failed', message: toErrorShape(err).message }));
};

/** The job's model on its data as the Node host's probe builds it: `measure(0)` is the preflight step alone. */
function probeTarget(manifest: Manifest, data: TrainingData) {
  const classes = manifest.task === 'classification' ? (data.labels?.length ?? null) : null;
  return modelProbeTarget(async () => buildModel(manifest, data.nFeatures, classes), data, manifest.task, manifest.training.batchSize);
}

/** Runs one step of every kernel training and evaluation need, so a missing kernel shows before the run starts. */
function preflight(manifest: Manifest, data: TrainingData): () => Promise<void> {
  return async () => void (await probeTarget(manifest, data).measure(0));
}

/** Measures each backend on the job's model as the Node host's `auto` does (preflight, then timed steps). */
function probe(job: BrowserProbeJob): Promise<ProbeFigure[]> {
  return measureEach(job.backends, (backend) => starters[backend](), probeTarget(job.manifest, job.data), { reasonOf: (_backend, err) => errorText(err) });
}

/** The model as tfjs's save handler gives it, weights in one block (sent back to be written as a checkpoint). */
async function artifactsOf(model: tfl.LayersModel): Promise<CheckpointArtifacts> {
  let saved: CheckpointArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const parts = a.weightData ? (Array.isArray(a.weightData) ? a.weightData : [a.weightData]) : [];
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let at = 0;
      for (const p of parts) {
        bytes.set(new Uint8Array(p), at);
        at += p.byteLength;
      }
      saved = {
        modelTopology: a.modelTopology,
        weightSpecs: (a.weightSpecs ?? []).map((w) => ({ ...w, shape: [...w.shape] })),
        weightData: bytes,
        ...(a.format ? { format: a.format } : {}),
        ...(a.generatedBy ? { generatedBy: a.generatedBy } : {}),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
    }),
  );
  return saved!;
}

/**
 * Starts the asked-for backend or the next one down (webgpu → webgl → cpu) that starts and passes the preflight —
 * so a kernel the backend lacks is found before training, never midway — saying in `device` why it fell back.
 */
async function activate(choice: BrowserBackend, passes: () => Promise<void>): Promise<ActiveBackend> {
  const order: BrowserBackend[] = choice === 'webgpu' ? ['webgpu', 'webgl', 'cpu'] : choice === 'webgl' ? ['webgl', 'cpu'] : ['cpu'];
  const misses: string[] = [];
  for (const name of order) {
    let active: ActiveBackend;
    try {
      active = await starters[name]();
    } catch (err) {
      misses.push(`${name} unavailable: ${errorText(err)}`);
      continue;
    }
    try {
      await passes();
    } catch (err) {
      const kernel = missingKernel(err);
      if (!kernel) throw err;
      misses.push(`${name} lacks the kernel ${kernel}`);
      continue;
    }
    // A forced backend that could not be used says so: the run names what it trained on and why.
    return misses.length ? { ...active, device: `${active.device} — fell back from ${choice}: ${misses.join('; ')}` } : active;
  }
  throw new Error(misses.join('; '));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const starters: Record<BrowserBackend, () => Promise<ActiveBackend>> = {
  webgpu: async () => {
    const adapter = await requestGpuAdapter();
    // Loaded only when asked: the WebGPU backend is large and most contexts here have no adapter.
    await import('@tensorflow/tfjs-backend-webgpu');
    await use('webgpu');
    return { backend: 'webgpu', device: deviceLine('WebGPU', adapterName(adapter), isSoftwareAdapter(adapter)) };
  },
  webgl: async () => {
    if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') throw new Error('no OffscreenCanvas in this worker');
    await use('webgl');
    const version = tf.env().getNumber('WEBGL_VERSION');
    const renderer = webglRenderer();
    return { backend: 'webgl', device: deviceLine(`WebGL ${version}`, renderer ?? '', isSoftwareRenderer(renderer ?? '')) };
  },
  cpu: async () => {
    await use('cpu');
    return { backend: 'cpu', device: 'CPU (plain JavaScript)' };
  },
};

/**
 * The run's device line: the adapter actually used, and plainly a software renderer (SwiftShader, llvmpipe…) when
 * it is one — training there is CPU work drawn through a GPU API, usually slower than wasm.
 */
function deviceLine(api: string, adapter: string, software: boolean): string {
  const named = adapter ? `, ${adapter}` : '';
  return software ? `software renderer, not a GPU (${api}${named})` : `GPU (${api}${named})`;
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
