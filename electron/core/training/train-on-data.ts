// Trains and evaluates a model on data already in memory, reporting through `emit`: the part of training shared by
// the Node training process and a Chromium worker. Browser-safe on purpose: no fs/path/os here or in its imports
// (data comes as typed arrays, checkpoints go through a callback).
// The loop is lean: each step is one tidy, batches are gathered from host memory, and nothing is read back to
// JavaScript until the epoch ends.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { EpochRecord } from '../../../shared/contract.js';
import type { Manifest } from '../../../shared/manifest.js';
import { AppError } from '../app-error.js';
import { buildModel, type BuiltModel } from './build-model.js';
import { mulberry32, seededPermutation } from './data/seeded-random.js';
import { evaluateClassification, evaluateRegression } from './evaluation.js';
import type { BatchProgress, FromTrainer, ProbeFigure, TrainResult } from './trainer-protocol.js';

/** How often a batch progress message may be sent. */
const BATCH_PROGRESS_INTERVAL_MS = 250;

/**
 * The part of the loaded data that training reads (a `TabularData` or image-folder data is one): row-major
 * features, labels as class indices (classification) or values (regression). Declared here, not imported from
 * data/index.ts, because that module reads files with Node's fs.
 */
export interface TrainingData {
  readonly xTrain: Float32Array;
  readonly yTrain: Float32Array;
  readonly nTrain: number;
  readonly xTest: Float32Array;
  readonly yTest: Float32Array;
  readonly nTest: number;
  readonly nFeatures: number;
  /** Classification: the class order; regression: null. */
  readonly labels: string[] | null;
}

/** The same data as plain numbers, the form it crosses the contract in (JSON or IPC) to a browser trainer. */
export function toPlainTrainingData(data: TrainingData) {
  return {
    xTrain: Array.from(data.xTrain),
    yTrain: Array.from(data.yTrain),
    nTrain: data.nTrain,
    xTest: Array.from(data.xTest),
    yTest: Array.from(data.yTest),
    nTest: data.nTest,
    nFeatures: data.nFeatures,
    labels: data.labels,
  };
}

export interface TrainOnDataOptions {
  /** Reported in `started`; by default the active tfjs backend's name. */
  readonly backend?: string;
  /** Reported in `started`; by default the backend's name. */
  readonly device?: string;
  /** What choosing the backend measured, reported in `started`. */
  readonly probes?: ProbeFigure[];
  /** Builds the model when the manifest declares it by file; by default `buildModel` from `model.layers`. */
  readonly model?: (inputSize: number, numClasses: number | null) => Promise<BuiltModel>;
  /** Saves the trained model before it is freed (the Node host writes a tfjs checkpoint directory). */
  readonly checkpoint?: (model: tfl.LayersModel) => Promise<void>;
}

/**
 * Builds the manifest's model on the active backend, trains it on `data` and evaluates it on the test rows,
 * emitting `started`, then `batch`/`epoch` while it trains; the caller sends `done`/`failed`. `checkpointDir` of the
 * result is null: the host that saved a checkpoint fills it in.
 */
export async function trainOnData(
  data: TrainingData,
  manifest: Manifest,
  emit: (m: FromTrainer) => void,
  options: TrainOnDataOptions = {},
): Promise<TrainResult> {
  const classification = manifest.task === 'classification';
  const numClasses = classification ? data.labels!.length : null;
  const { model, parameters } = options.model
    ? await options.model(data.nFeatures, numClasses)
    : buildModel(manifest, data.nFeatures, numClasses);
  const backend = options.backend ?? tf.getBackend();
  emit({ kind: 'started', backend, device: options.device ?? backend, probes: options.probes ?? [], parameters, trainRows: data.nTrain, testRows: data.nTest });

  const outputsProbabilities = lastActivation(model) === 'softmax';
  const lossOf = (x: tf.Tensor, y: tf.Tensor, training: boolean): tf.Scalar => {
    const out = model.apply(x, { training }) as tf.Tensor2D;
    if (!classification) return tf.losses.meanSquaredError(tf.reshape(y, [-1, 1]), out) as tf.Scalar;
    const oneHot = tf.oneHot(y as tf.Tensor1D, numClasses!);
    return outputsProbabilities
      ? (tf.neg(tf.mean(tf.log(tf.clipByValue(tf.sum(tf.mul(out, oneHot), -1), 1e-7, 1)))) as tf.Scalar)
      : (tf.losses.softmaxCrossEntropy(oneHot, out) as tf.Scalar);
  };

  const tensors = toTensors(data, classification);
  const optimizer = model.optimizer;
  const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { epochs, batchSize, seed, earlyStopping } = manifest.training;
  const batches = Math.ceil(data.nTrain / batchSize);
  const random = mulberry32(seed);
  let trainingSeconds = 0;
  let samplesSeen = 0;
  let bestValLoss = Infinity;
  let sinceBest = 0;
  let epochsRun = 0;
  let lastProgress = 0;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    const order = seededPermutation(data.nTrain, random);
    let lossSum: tf.Scalar = tf.scalar(0);

    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, data.nTrain - start);
      // Batches are gathered from host memory: slicing them out of one big backend tensor costs the wasm backend
      // time in proportion to the whole tensor (7 ms a batch for 10,000 MNIST rows), gathering rows here does not.
      const { x, y } = batchOf(data, order, start, size, classification);
      const cost = optimizer.minimize(() => lossOf(x, y, true), true, trainable)!;
      const next = tf.tidy(() => tf.add(lossSum, tf.mul(cost, size)) as tf.Scalar);
      tf.dispose([cost, lossSum, x, y]);
      lossSum = next;

      const now = performance.now();
      if (now - lastProgress >= BATCH_PROGRESS_INTERVAL_MS && b + 1 < batches) {
        lastProgress = now;
        emit({ kind: 'batch', progress: batchProgress(epoch, b + 1, batches, epochs, data.nTrain, batchSize, trainingSeconds + (now - started) / 1000, samplesSeen + (b + 1) * batchSize) });
      }
    }
    const loss = (await lossSum.data())[0]! / data.nTrain;
    lossSum.dispose();
    const seconds = (performance.now() - started) / 1000;
    trainingSeconds += seconds;
    samplesSeen += data.nTrain;
    epochsRun = epoch;
    if (!Number.isFinite(loss)) {
      throw new AppError('training', `The loss became ${loss} at epoch ${epoch}: lower training.learningRate or check the data's scale`);
    }

    const valLoss = data.nTest ? (await readOnce(tf.tidy(() => lossOf(tensors.xTest, tensors.yTest, false))))[0]! : NaN;
    const record: EpochRecord = {
      epoch,
      loss,
      valLoss: Number.isFinite(valLoss) ? valLoss : null,
      metrics: await quickMetric(model, tensors.xTest, data.yTest, classification),
      samplesPerSecond: data.nTrain / seconds,
    };
    emit({ kind: 'epoch', record });

    if (earlyStopping && Number.isFinite(valLoss)) {
      if (valLoss < bestValLoss - earlyStopping.minDelta) {
        bestValLoss = valLoss;
        sinceBest = 0;
      } else if (++sinceBest >= earlyStopping.patience) break;
    }
  }

  const predicted = await readOnce(
    tf.tidy(() => {
      const out = model.predict(tensors.xTest) as tf.Tensor;
      return classification && !outputsProbabilities ? tf.softmax(out) : out;
    }),
  );
  if (options.checkpoint) await options.checkpoint(model);
  tf.dispose(Object.values(tensors));
  optimizer.dispose();
  model.dispose();

  const base = {
    seconds: trainingSeconds,
    samplesPerSecond: trainingSeconds > 0 ? samplesSeen / trainingSeconds : 0,
    epochsRun,
    stoppedEarly: epochsRun < epochs,
    checkpointDir: null,
  };
  if (classification) {
    const ev = evaluateClassification(data.yTest, predicted, numClasses!, data.labels!);
    return { ...base, metrics: ev.metrics, labels: ev.labels, confusionMatrix: ev.confusionMatrix };
  }
  return { ...base, metrics: evaluateRegression(data.yTest, predicted), labels: null, confusionMatrix: null };
}

/** Reads a tensor's values back once and frees it. */
async function readOnce(t: tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  try {
    return await t.data();
  } finally {
    t.dispose();
  }
}

/** The rows order[start … start+size) of the training data, as one batch. */
function batchOf(data: TrainingData, order: Int32Array, start: number, size: number, classification: boolean) {
  const width = data.nFeatures;
  const xs = new Float32Array(size * width);
  const ys = classification ? new Int32Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const row = order[start + i]!;
    xs.set(data.xTrain.subarray(row * width, row * width + width), i * width);
    ys[i] = data.yTrain[row]!;
  }
  return { x: tf.tensor2d(xs, [size, width]), y: classification ? tf.tensor1d(ys, 'int32') : tf.tensor1d(ys) };
}

function toTensors(data: TrainingData, classification: boolean) {
  const labels = (y: Float32Array) => (classification ? tf.tensor1d(Int32Array.from(y), 'int32') : tf.tensor1d(y));
  return {
    xTest: tf.tensor2d(data.xTest, [data.nTest, data.nFeatures]),
    yTest: labels(data.yTest),
  };
}

/** The activation of the model's output layer ('softmax' means it outputs probabilities, not logits). */
function lastActivation(model: tfl.LayersModel): string | undefined {
  const config = model.layers.at(-1)?.getConfig() as { activation?: unknown } | undefined;
  return typeof config?.activation === 'string' ? config.activation : undefined;
}

function batchProgress(
  epoch: number,
  batch: number,
  batches: number,
  epochs: number,
  rows: number,
  batchSize: number,
  seconds: number,
  samples: number,
): BatchProgress {
  const samplesPerSecond = seconds > 0 ? samples / seconds : 0;
  const remaining = (epochs - epoch) * rows + Math.max(0, rows - batch * batchSize);
  return { epoch, batch, batches, samplesPerSecond, etaSeconds: samplesPerSecond > 0 ? remaining / samplesPerSecond : 0 };
}

/** The per-epoch metric shown on the live curve: test accuracy, or test R² for regression. */
async function quickMetric(model: tfl.LayersModel, xTest: tf.Tensor, yTest: Float32Array, classification: boolean): Promise<Record<string, number>> {
  if (!yTest.length) return {};
  const values = await readOnce(
    tf.tidy(() => {
      const p = model.predict(xTest) as tf.Tensor;
      return classification ? tf.argMax(p, -1) : tf.reshape(p, [-1]);
    }),
  );
  if (classification) {
    let hit = 0;
    for (let i = 0; i < yTest.length; i++) if (values[i] === yTest[i]) hit++;
    return { accuracy: hit / yTest.length };
  }
  let mean = 0;
  for (const v of yTest) mean += v / yTest.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTest.length; i++) {
    res += (yTest[i]! - values[i]!) ** 2;
    tot += (yTest[i]! - mean) ** 2;
  }
  return { r2: tot > 0 ? 1 - res / tot : res === 0 ? 1 : 0 };
}
