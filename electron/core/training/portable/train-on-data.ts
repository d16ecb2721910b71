// Trains and evaluates a model on data already in memory, reporting through `emit`: the part of training shared by
// the Node training process and a Chromium worker. Browser-safe on purpose: no fs/path/os here or in its imports
// (data comes as typed arrays, checkpoints go through a callback).
// The loop is lean: each step is one tidy, batches are gathered from host memory, and nothing is read back to
// JavaScript until the epoch ends.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { EpochRecord } from '../../../../shared/contract.js';
import type { Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../portable/app-error.js';
import { buildModel, type BuiltModel } from './build-model.js';
import { mulberry32, seededPermutation } from './seeded-random.js';
import { AUGMENT_SEED, makeAugmenter, type ImageShape } from './augment.js';
import { evaluateClassification, evaluateRegression } from './evaluation.js';
import { classWeightsOf, meanLoss, planLoss, predictionsOf, type FileLoss, type LossPlan } from './losses.js';
import type { BatchProgress, FromTrainer, ProbeFigure, TrainResult } from './trainer-protocol.js';

/** How often a batch progress message may be sent. */
const BATCH_PROGRESS_INTERVAL_MS = 250;
/** Rows per forward pass when validation or test rows are evaluated. */
const EVALUATION_CHUNK_ROWS = 1024;

/**
 * The part of the loaded data that training reads (a `TabularData` or image-folder data is one): row-major
 * features, labels as class indices (classification) or values (regression), in three splits: the model learns
 * from train, validation picks the epoch and stops early, test is scored once at the end. Declared here, not
 * imported from data/index.ts, because that module reads files with Node's fs.
 */
export interface TrainingData {
  readonly xTrain: Float32Array;
  readonly yTrain: Float32Array;
  readonly nTrain: number;
  readonly xVal: Float32Array;
  readonly yVal: Float32Array;
  readonly nVal: number;
  readonly xTest: Float32Array;
  readonly yTest: Float32Array;
  readonly nTest: number;
  readonly nFeatures: number;
  /** Classification: the class order; regression: null. */
  readonly labels: string[] | null;
  /** What loading found doubtful but not wrong (a constant column), reported in the run. */
  readonly warnings?: readonly string[];
  /** With `data.inputs`: each entry's columns, side by side in this order (the model's inputs must take them). */
  readonly inputColumns?: InputColumnsOfData;
}

/** Each `data.inputs` entry as named in messages, and the columns it gives. */
export type InputColumnsOfData = readonly { readonly what: string; readonly size: number }[];

/** A model from a file: what it was compiled with, and whether it carries trained weights (model-sources' LoadedModel). */
export interface SuppliedModel extends BuiltModel {
  readonly declared?: FileLoss | null;
  readonly shippedWeights?: boolean;
}

export interface TrainOnDataOptions {
  /** Reported in `started`; by default the active tfjs backend's name. */
  readonly backend?: string;
  /** Reported in `started`; by default the backend's name. */
  readonly device?: string;
  /** What choosing the backend measured, reported in `started`. */
  readonly probes?: ProbeFigure[];
  /** Builds the model when the manifest declares it by file; by default `buildModel` from `model.layers`. */
  readonly model?: (inputSize: number, numClasses: number | null) => Promise<SuppliedModel>;
  /** Saves the trained model before it is freed (the Node host writes a tfjs checkpoint directory). */
  readonly checkpoint?: (model: tfl.LayersModel) => Promise<void>;
  /** Return each test row's prediction in the result (`testPredictions`). */
  readonly keepPredictions?: boolean;
  /** Asked before every batch; true stops the run there with an error and no checkpoint (its host is gone). */
  readonly shouldStop?: () => boolean;
}

/**
 * Builds the manifest's model on the active backend, trains it on the training rows, watches the validation rows
 * after every epoch (the curve, early stopping, the best epoch) and evaluates on the test rows once, at the end
 * (with `model.evaluate`, the shipped model is evaluated on the test rows without any epoch or checkpoint);
 * emitting `started`, then `batch`/`epoch` while it trains; the caller sends `done`/`failed`. `checkpointDir` of
 * the result is null: the host that saved a checkpoint fills it in.
 */
export async function trainOnData(
  data: TrainingData,
  manifest: Manifest,
  emit: (m: FromTrainer) => void,
  options: TrainOnDataOptions = {},
): Promise<TrainResult> {
  const classification = manifest.task === 'classification';
  const numClasses = classification ? data.labels!.length : null;
  const { batchSize, seed, earlyStopping } = manifest.training;
  const evaluateOnly = manifest.model.evaluate === true;
  const epochs = evaluateOnly ? 0 : manifest.training.epochs;
  if (earlyStopping && data.nVal === 0 && !evaluateOnly) {
    throw new AppError('training', 'training.earlyStopping watches the validation loss, but there are no validation rows: set data.split.validation above 0');
  }
  const supplied: SuppliedModel = options.model ? await options.model(data.nFeatures, numClasses) : buildModel(manifest, data.nFeatures, numClasses);
  const { model, parameters } = supplied;
  let classWeights: tf.Tensor1D | null = null;
  let bestWeights: tf.Tensor[] | null = null;
  try {
    if (evaluateOnly && supplied.shippedWeights !== true) {
      const file = manifest.model.keras ?? manifest.model.tfjs ?? 'the model';
      throw new AppError('training', `model.evaluate needs trained weights, but "${file}" is a topology without them; ship a .keras, .h5 or tfjs model.json with its weights`);
    }
    const plan = planLoss(manifest, lastActivation(model), Number(model.outputs[0]!.shape.at(-1)), numClasses, supplied.declared);
    const warnings = [
      ...(data.warnings ?? []),
      ...plan.warnings,
      ...(evaluateOnly ? ['model.evaluate: the shipped model is evaluated on the test rows as it is, without training'] : []),
    ];
    const split = { train: data.nTrain, validation: data.nVal, test: data.nTest };
    const backend = options.backend ?? tf.getBackend();
    emit({
      kind: 'started',
      backend,
      device: options.device ?? backend,
      probes: options.probes ?? [],
      parameters,
      trainRows: data.nTrain,
      validationRows: data.nVal,
      testRows: data.nTest,
      warnings,
    });

    const weights = classWeightsOf(manifest, data.labels, data.yTrain);
    classWeights = weights ? tf.tensor1d(weights) : null;
    const lossOf = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => meanLoss(plan, model.apply(x, { training: true }) as tf.Tensor, y, classWeights);
    const augment = augmenterOf(manifest, seed);

    const optimizer = model.optimizer;
    const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    // The primary metric is on the curves too, so the chart and the status line can follow it epoch by epoch.
    const perEpoch = [...new Set([...(manifest.metrics?.primary ? [manifest.metrics.primary] : []), ...(manifest.metrics?.perEpoch ?? [])])];
    const restoreBest = earlyStopping?.restoreBestWeights ?? false;
    const batches = Math.ceil(data.nTrain / batchSize);
    const random = mulberry32(seed);
    let trainingSeconds = 0;
    let samplesSeen = 0;
    let bestValLoss = Infinity;
    let bestEpoch: number | null = null;
    let sinceBest = 0;
    let epochsRun = 0;
    let lastProgress = 0;

    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const order = seededPermutation(data.nTrain, random);
      let lossSum: tf.Scalar = tf.scalar(0);

      for (let b = 0; b < batches; b++) {
        if (options.shouldStop?.()) throw new AppError('training', 'Training stopped: the app that started it is gone');
        const start = b * batchSize;
        const size = Math.min(batchSize, data.nTrain - start);
        // Batches are gathered from host memory: slicing them out of one big backend tensor costs the wasm backend
        // time in proportion to the whole tensor (7 ms a batch for 10,000 MNIST rows), gathering rows here does not.
        const { x, y } = batchOf(data, order, start, size, classification, augment);
        const cost = optimizer.minimize(() => lossOf(x, y), true, trainable)!;
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

      // Only the validation rows are looked at between epochs: the test rows stay unseen until the end.
      const validation = data.nVal ? await evaluateRows(model, plan, data.xVal, data.yVal, data.nVal, data.nFeatures) : null;
      const valLoss = validation && Number.isFinite(validation.loss) ? validation.loss : null;
      if (valLoss !== null && valLoss < bestValLoss - (earlyStopping?.minDelta ?? 0)) {
        bestValLoss = valLoss;
        bestEpoch = epoch;
        sinceBest = 0;
        if (restoreBest) {
          tf.dispose(bestWeights ?? []);
          bestWeights = model.getWeights().map((w) => tf.clone(w));
        }
      } else if (valLoss !== null) sinceBest++;
      const record: EpochRecord = {
        epoch,
        loss,
        valLoss,
        metrics: validation ? epochMetrics(validation.predictions, data.yVal, data.labels, classification, perEpoch) : {},
        samplesPerSecond: data.nTrain / seconds,
      };
      emit({ kind: 'epoch', record });
      if (earlyStopping && sinceBest >= earlyStopping.patience) break;
    }

    if (bestWeights && bestEpoch !== null && bestEpoch !== epochsRun) model.setWeights(bestWeights);
    const test = await evaluateRows(model, plan, data.xTest, data.yTest, data.nTest, data.nFeatures);
    // An evaluation changes nothing: the shipped file is the model, so no checkpoint is written.
    if (options.checkpoint && !evaluateOnly) await options.checkpoint(model);

    const base = {
      seconds: trainingSeconds,
      samplesPerSecond: trainingSeconds > 0 ? samplesSeen / trainingSeconds : 0,
      epochsRun,
      stoppedEarly: !evaluateOnly && epochsRun < epochs,
      checkpointDir: null,
      split,
      bestEpoch,
      warnings,
      ...(options.keepPredictions ? { testPredictions: predictedValues(test.predictions, numClasses) } : {}),
    };
    if (classification) {
      const ev = evaluateClassification(data.yTest, test.predictions, numClasses!, data.labels!);
      return { ...base, metrics: ev.metrics, labels: ev.labels, confusionMatrix: ev.confusionMatrix };
    }
    return { ...base, metrics: evaluateRegression(data.yTest, test.predictions), labels: null, confusionMatrix: null };
  } finally {
    tf.dispose([...(bestWeights ?? []), ...(classWeights ? [classWeights] : [])]);
    model.optimizer?.dispose();
    model.dispose();
  }
}

/**
 * The model's unweighted mean loss on some rows and its predictions (probabilities or values), a chunk of rows at
 * a time: one forward pass over thousands of images would hold every layer's activations for all of them at once.
 */
async function evaluateRows(model: tfl.LayersModel, plan: LossPlan, x: Float32Array, y: Float32Array, n: number, width: number) {
  const perRow = plan.numClasses ?? 1;
  const predictions = new Float32Array(n * perRow);
  let lossSum = 0;
  for (let start = 0; start < n; start += EVALUATION_CHUNK_ROWS) {
    const size = Math.min(EVALUATION_CHUNK_ROWS, n - start);
    const [lossTensor, predictionTensor] = tf.tidy(() => {
      const out = model.predict(tf.tensor2d(x.subarray(start * width, (start + size) * width), [size, width])) as tf.Tensor;
      const rows = y.subarray(start, start + size);
      const labels = plan.numClasses === null ? tf.tensor1d(rows) : tf.tensor1d(Int32Array.from(rows), 'int32');
      return [meanLoss(plan, out, labels, null), predictionsOf(plan, out)] as const;
    });
    const [loss, chunk] = await Promise.all([readOnce(lossTensor), readOnce(predictionTensor)]);
    lossSum += loss[0]! * size;
    predictions.set(chunk, start * perRow);
  }
  return { loss: lossSum / n, predictions };
}

/** Per test row: the predicted class (the argmax, ties to the lowest index, as the evaluation counts) or value. */
function predictedValues(predictions: ArrayLike<number>, numClasses: number | null): number[] {
  if (numClasses === null) return Array.from(predictions);
  const n = predictions.length / numClasses;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (predictions[i * numClasses + k]! > predictions[i * numClasses + best]!) best = k;
    out[i] = best;
  }
  return out;
}

/** The validation metrics of one epoch: accuracy (or r2 for regression) and those `metrics.perEpoch` lists. */
function epochMetrics(
  predictions: ArrayLike<number>,
  yVal: Float32Array,
  labels: string[] | null,
  classification: boolean,
  perEpoch: readonly string[],
): Record<string, number> {
  const all = classification ? evaluateClassification(yVal, predictions, labels!.length, labels!).metrics : evaluateRegression(yVal, predictions);
  const out: Record<string, number> = {};
  for (const name of [classification ? 'accuracy' : 'r2', ...perEpoch]) {
    const value = all[name];
    if (value !== undefined && Number.isFinite(value)) out[name] = value;
  }
  return out;
}

/** The image augmenter of `images.augment` (a seeded stream of its own, so batch order does not depend on it). */
function augmenterOf(manifest: Manifest, seed: number): ((rows: Float32Array, count: number) => void) | null {
  const images = manifest.data.images;
  if (!images?.augment) return null;
  const shape: ImageShape = [images.size[0], images.size[1], images.channels];
  return makeAugmenter(images.augment, shape, mulberry32(seed ^ AUGMENT_SEED));
}

/** Reads a tensor's values back once and frees it. */
async function readOnce(t: tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  try {
    return await t.data();
  } finally {
    t.dispose();
  }
}

/** The rows order[start … start+size) of the training data, as one batch (augmented when the manifest asks). */
function batchOf(
  data: TrainingData,
  order: Int32Array,
  start: number,
  size: number,
  classification: boolean,
  augment: ((rows: Float32Array, count: number) => void) | null,
) {
  const width = data.nFeatures;
  const xs = new Float32Array(size * width);
  const ys = classification ? new Int32Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const row = order[start + i]!;
    xs.set(data.xTrain.subarray(row * width, row * width + width), i * width);
    ys[i] = data.yTrain[row]!;
  }
  augment?.(xs, size);
  return { x: tf.tensor2d(xs, [size, width]), y: classification ? tf.tensor1d(ys, 'int32') : tf.tensor1d(ys) };
}

/** The activation of the model's output layer ('softmax' or 'sigmoid' means it outputs probabilities, not logits). */
export function lastActivation(model: tfl.LayersModel): string | undefined {
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
