// The probe a backend is chosen by: the run's own model and data, built on the active backend; one preflight step
// that runs every kernel training and evaluation use, then steps timed on full batches. Browser-safe: a Chromium
// trainer probes WebGPU/WebGL with it too.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainingData } from './train-on-data.js';

/** How long each backend is timed (after its preflight step). */
export const PROBE_BUDGET_MS = 1200;

export interface ProbeTarget {
  /** Builds the model on the active backend, runs the preflight step and times steps for about `budgetMs`. */
  measure(budgetMs: number): Promise<number>;
}

/** A backend started for training or a probe: the `started` message names both. */
export interface ActiveBackend {
  /** The backend tfjs runs (e.g. 'cpu', 'wasm', 'tensorflow', 'webgl'). */
  readonly backend: string;
  /** A person's words for where the work happens. */
  readonly device: string;
}

/** One backend's figure from measureEach. */
export interface MeasuredBackend<B extends string> {
  readonly backend: B;
  readonly device: string | null;
  /** Training samples per second over the probe's timed steps; null when the backend could not train this model. */
  readonly samplesPerSecond: number | null;
  /** Why the backend cannot train this model here (not installed, no device, a missing kernel). */
  readonly reason: string | null;
}

export interface MeasureOptions<B extends string> {
  readonly budgetMs?: number;
  /** Told before each backend is measured (index of the total), so a run can say what it is doing meanwhile. */
  readonly onMeasuring?: (backend: B, done: number, total: number) => void;
  /** A person's words for a failure that is not a missing kernel (by default the error's first line). */
  readonly reasonOf?: (backend: B, err: unknown) => string;
}

/**
 * Measures each backend in turn on the target — started by `start`, then the preflight and the timed steps — in the
 * training process and in a Chromium worker alike; a backend that cannot train the model gets the reason instead.
 */
export async function measureEach<B extends string>(
  backends: readonly B[],
  start: (backend: B) => Promise<ActiveBackend>,
  target: ProbeTarget,
  { budgetMs = PROBE_BUDGET_MS, onMeasuring, reasonOf = (_b, err) => firstLine(err) }: MeasureOptions<B> = {},
): Promise<MeasuredBackend<B>[]> {
  const figures: MeasuredBackend<B>[] = [];
  for (const backend of backends) {
    onMeasuring?.(backend, figures.length, backends.length);
    let device: string | null = null;
    try {
      device = (await start(backend)).device;
      figures.push({ backend, device, samplesPerSecond: await target.measure(budgetMs), reason: null });
    } catch (err) {
      const kernel = missingKernel(err);
      figures.push({ backend, device, samplesPerSecond: null, reason: kernel ? `the ${backend} backend lacks the kernel ${kernel}` : reasonOf(backend, err) });
    }
  }
  return figures;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** The kernel named by tfjs's "Kernel 'X' not registered for backend 'Y'", when that is what went wrong. */
export function missingKernel(err: unknown): string | null {
  const m = /Kernel '([^']+)' not registered/.exec(err instanceof Error ? err.message : String(err));
  return m ? m[1]! : null;
}

export interface ProbeModel {
  readonly model: tfl.LayersModel;
}

export function modelProbeTarget(
  makeModel: () => Promise<ProbeModel>,
  data: TrainingData,
  task: 'classification' | 'regression',
  batchSize: number,
): ProbeTarget {
  const classification = task === 'classification';
  const numClasses = data.labels?.length ?? 1;
  const rows = (n: number) => {
    const count = Math.max(1, Math.min(n, data.nTrain));
    const x = tf.tensor2d(data.xTrain.subarray(0, count * data.nFeatures), [count, data.nFeatures]);
    const labels = data.yTrain.subarray(0, count);
    const y = classification ? tf.tensor1d(Int32Array.from(labels), 'int32') : tf.tensor1d(labels);
    return { x, y, count };
  };
  return {
    async measure(budgetMs) {
      const { model } = await makeModel();
      const optimizer = tf.train.adam(1e-6);
      const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const loss = (x: tf.Tensor, y: tf.Tensor) => {
        const out = model.apply(x, { training: true }) as tf.Tensor2D;
        if (!classification) return tf.losses.meanSquaredError(tf.reshape(y, [-1, 1]), out) as tf.Scalar;
        // One output unit is a binary model (the second class's score); the loss's kind, not its exact form, is timed.
        if (out.shape[1] === 1) return tf.losses.sigmoidCrossEntropy(tf.reshape(tf.cast(y, 'float32'), [-1, 1]), out) as tf.Scalar;
        return tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, numClasses), out) as tf.Scalar;
      };
      const step = (x: tf.Tensor, y: tf.Tensor) => optimizer.minimize(() => loss(x, y), true, trainable)!;
      const small = rows(2);
      const full = rows(batchSize);
      try {
        // Preflight: forward, backward and the update, then prediction and argMax as the evaluation runs them.
        const cost = step(small.x, small.y);
        const predicted = tf.tidy(() => tf.argMax(model.predict(small.x) as tf.Tensor, -1));
        await Promise.all([cost.data(), predicted.data()]);
        tf.dispose([cost, predicted]);
        if (budgetMs <= 0) return 0;
        let steps = 0;
        const started = performance.now();
        let last: tf.Scalar | null = null;
        do {
          last?.dispose();
          last = step(full.x, full.y);
          steps++;
          if (steps === 1) await last.data(); // the first step includes one-time set-up: wait it out
        } while (performance.now() - started < budgetMs && steps < 50);
        await last.data();
        last.dispose();
        const seconds = (performance.now() - started) / 1000;
        return (steps * full.count) / seconds;
      } finally {
        tf.dispose([small.x, small.y, full.x, full.y]);
        optimizer.dispose();
        model.optimizer?.dispose(); // the one compile made (its variables are tensors too)
        model.dispose();
      }
    },
  };
}
