// Trains and evaluates a manifest's model on its data inside a training process, reporting through `emit`.
// The loop is lean on purpose: tensors are batched once per epoch on the backend, each step is one tidy, and
// nothing is read back to JavaScript until the epoch ends.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { EpochRecord } from '../../../shared/contract.js';
import { AppError } from '../app-error.js';
import { activateBackend } from './backends.js';
import { buildModel } from './build-model.js';
import { loadTabularData, mulberry32, seededPermutation, type TabularData } from './data/index.js';
import { loadImageFolderData } from './data/image-folder.js';
import { evaluateClassification, evaluateRegression } from './evaluation.js';
import { loadModelSource } from './model-sources/index.js';
import { saveCheckpoint } from './save-checkpoint.js';
import type { BatchProgress, FromTrainer, TrainJob, TrainResult } from './trainer-protocol.js';

/** How often a batch progress message may be sent. */
const BATCH_PROGRESS_INTERVAL_MS = 250;

export async function trainModel(job: TrainJob, emit: (m: FromTrainer) => void): Promise<TrainResult> {
  const { backend, device } = await activateBackend(job.backend);
  const { manifest } = job;
  const data = manifest.data.images
    ? await loadImageFolderData(job.repoDir, { images: manifest.data.images, split: manifest.data.split, normalize: manifest.data.normalize })
    : await loadTabularData(job.repoDir, manifest);
  const classification = manifest.task === 'classification';
  const numClasses = classification ? data.labels!.length : null;
  const { model, parameters } = manifest.model.layers ? buildModel(manifest, data.nFeatures, numClasses) : await loadModelSource(job.repoDir, manifest, data.nFeatures, numClasses);
  emit({ kind: 'started', backend, device, parameters, trainRows: data.nTrain, testRows: data.nTest });

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
  if (job.checkpointDir) await saveCheckpoint(model, job.checkpointDir);
  tf.dispose(Object.values(tensors));
  optimizer.dispose();
  model.dispose();

  const base = {
    seconds: trainingSeconds,
    samplesPerSecond: trainingSeconds > 0 ? samplesSeen / trainingSeconds : 0,
    epochsRun,
    stoppedEarly: epochsRun < epochs,
    checkpointDir: job.checkpointDir ?? null,
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
function batchOf(data: TabularData, order: Int32Array, start: number, size: number, classification: boolean) {
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

function toTensors(data: TabularData, classification: boolean) {
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
