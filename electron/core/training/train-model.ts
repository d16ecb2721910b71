// Trains and evaluates a manifest's model on its data; runs inside a training process, reporting through `emit`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { EpochRecord } from '../../../shared/contract.js';
import { AppError } from '../app-error.js';
import { buildModel } from './build-model.js';
import { loadTabularData, mulberry32, seededPermutation } from './data/index.js';
import { evaluateClassification, evaluateRegression } from './evaluation.js';
import type { FromTrainer, TrainJob, TrainResult } from './trainer-protocol.js';

export async function trainModel(job: TrainJob, emit: (m: FromTrainer) => void): Promise<TrainResult> {
  await tf.setBackend(job.backend);
  await tf.ready();
  const { manifest } = job;
  const data = await loadTabularData(job.repoDir, manifest);
  const numClasses = manifest.task === 'classification' ? data.labels!.length : null;
  const { model, parameters } = buildModel(manifest, data.nFeatures, numClasses);
  emit({ kind: 'started', backend: tf.getBackend(), parameters, trainRows: data.nTrain, testRows: data.nTest });

  const { epochs, batchSize, seed } = manifest.training;
  const xTest = tf.tensor2d(data.xTest, [data.nTest, data.nFeatures]);
  const yTest = tf.tensor2d(data.yTest, [data.nTest, 1]);
  const random = mulberry32(seed);
  let trainingSeconds = 0;
  let samplesSeen = 0;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = seededPermutation(data.nTrain, random);
    const { x, y } = gatherRows(data.xTrain, data.yTrain, data.nFeatures, order);
    const started = performance.now();
    const fitted = await model.fit(x, y, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    const seconds = (performance.now() - started) / 1000;
    tf.dispose([x, y]);
    trainingSeconds += seconds;
    samplesSeen += data.nTrain;
    const loss = Number(fitted.history.loss?.[0]);
    if (!Number.isFinite(loss)) {
      throw new AppError(
        'training',
        `The loss became ${loss} at epoch ${epoch}: lower training.learningRate or check the data's scale`,
      );
    }
    const valLoss = tf.tidy(() => model.evaluate(xTest, yTest) as tf.Scalar).dataSync()[0] ?? NaN;
    const record: EpochRecord = {
      epoch,
      loss,
      valLoss: Number.isFinite(valLoss) ? valLoss : null,
      metrics: await quickMetric(model, xTest, data.yTest, manifest.task),
      samplesPerSecond: data.nTrain / seconds,
    };
    emit({ kind: 'epoch', record });
  }

  const predictions = tf.tidy(() => model.predict(xTest) as tf.Tensor);
  const predicted = await predictions.data();
  tf.dispose([predictions, xTest, yTest]);
  model.dispose();

  const samplesPerSecond = trainingSeconds > 0 ? samplesSeen / trainingSeconds : 0;
  if (manifest.task === 'classification') {
    const ev = evaluateClassification(data.yTest, predicted, numClasses!, data.labels!);
    return { metrics: ev.metrics, labels: ev.labels, confusionMatrix: ev.confusionMatrix, seconds: trainingSeconds, samplesPerSecond };
  }
  return { metrics: evaluateRegression(data.yTest, predicted), labels: null, confusionMatrix: null, seconds: trainingSeconds, samplesPerSecond };
}

function gatherRows(x: Float32Array, y: Float32Array, width: number, order: Int32Array) {
  const xs = new Float32Array(order.length * width);
  const ys = new Float32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const row = order[i]!;
    xs.set(x.subarray(row * width, row * width + width), i * width);
    ys[i] = y[row]!;
  }
  return { x: tf.tensor2d(xs, [order.length, width]), y: tf.tensor2d(ys, [order.length, 1]) };
}

/** The per-epoch metric shown on the live curve: test accuracy, or test R² for regression. */
async function quickMetric(
  model: { predict: (x: tf.Tensor) => tf.Tensor | tf.Tensor[] },
  xTest: tf.Tensor,
  yTest: Float32Array,
  task: 'classification' | 'regression',
): Promise<Record<string, number>> {
  const out = tf.tidy(() => {
    const p = model.predict(xTest) as tf.Tensor;
    return task === 'classification' ? tf.argMax(p, -1) : tf.reshape(p, [-1]);
  });
  const values = await out.data();
  out.dispose();
  if (task === 'classification') {
    let hit = 0;
    for (let i = 0; i < yTest.length; i++) if (values[i] === yTest[i]) hit++;
    return { accuracy: yTest.length ? hit / yTest.length : 0 };
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
