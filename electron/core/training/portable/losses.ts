// The training losses a manifest may name (training.loss, fromLogits, classWeights), as per-row tensors, and how a
// model's raw outputs become class probabilities or values. Browser-safe: the Chromium worker trains with it too.
import * as tf from '@tensorflow/tfjs-core';
import { classificationLosses, regressionLosses, type LossName, type Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../portable/app-error.js';

/** Keras's default Huber delta. */
const HUBER_DELTA = 1;
/** Probabilities are clipped to [EPSILON, 1 − EPSILON] before a log, as Keras does. */
const EPSILON = 1e-7;

export interface LossPlan {
  readonly loss: LossName;
  /** The model's outputs are logits (the loss applies softmax/sigmoid itself). */
  readonly fromLogits: boolean;
  /** One output unit holding class 1's score (binary cross-entropy). */
  readonly binary: boolean;
  readonly numClasses: number | null;
  /** Doubts about the output layer and the loss, said in the run (and where the loss came from, when the model file chose it). */
  readonly warnings: string[];
}

/** The loss a model file was compiled with (model-sources' DeclaredTraining): used when the manifest sets none. */
export interface FileLoss {
  readonly loss?: LossName;
  readonly fromLogits?: boolean;
  /** The loss as the file names it. */
  readonly fileLoss?: string;
}

/**
 * Chooses the loss and the meaning of the outputs from the manifest, else the loss the model file was compiled
 * with (`declared`), and the model's last layer (`activation`, `units`). By default a classification model trains
 * with cross-entropy (binary for a single output unit) and reads its outputs as probabilities exactly when the last
 * activation is softmax or sigmoid; regression uses mse.
 */
export function planLoss(
  manifest: Manifest,
  activation: string | undefined,
  units: number,
  numClasses: number | null,
  declared?: FileLoss | null,
): LossPlan {
  const { asked, askedLogits, logitsKey, notes } = lossSettings(manifest, declared);
  if (manifest.task === 'regression') {
    return { loss: asked ?? 'mse', fromLogits: false, binary: false, numClasses: null, warnings: notes };
  }
  const binary = units === 1;
  let loss = asked ?? (binary ? 'binaryCrossentropy' : 'sparseCategoricalCrossentropy');
  if (loss === 'binaryCrossentropy' && !binary && manifest.training.loss === undefined && activation === 'softmax') {
    // Keras's binary cross-entropy over one-hot softmax units is a one-label loss in disguise: train it as one.
    loss = 'sparseCategoricalCrossentropy';
    notes.splice(0, notes.length, `The model file was compiled with "${declared?.fileLoss}" over ${units} softmax units: trained as one ${units}-class label (sparseCategoricalCrossentropy)`);
  }
  if (loss === 'binaryCrossentropy' && !binary && manifest.training.loss === undefined) {
    // Keras's binary cross-entropy over several sigmoid units: one yes/no per unit, not one class per row.
    throw new AppError(
      'training',
      `multi-label outputs are not supported yet: the model file was compiled with "${declared?.fileLoss ?? 'binary_crossentropy'}" over ${units} ${activation ?? 'linear'} units (one yes/no each); set training.loss to train it as one ${units}-class label`,
    );
  }
  if (loss === 'binaryCrossentropy' && !binary) {
    throw new AppError(
      'training',
      `training.loss "binaryCrossentropy" needs a last layer of 1 unit (the score of the second class); this model's has ${units}`,
    );
  }
  if (binary && loss !== 'binaryCrossentropy') {
    throw new AppError('training', `A last layer of 1 unit trains with training.loss "binaryCrossentropy", not "${loss}"`);
  }
  if (binary && numClasses !== 2) {
    throw new AppError('training', `A last layer of 1 unit fits 2 classes; the data has ${numClasses}`);
  }
  const squashing = binary ? 'sigmoid' : 'softmax';
  const outputsProbabilities = activation === squashing;
  const fromLogits = askedLogits ?? !outputsProbabilities;
  const warnings: string[] = [...notes];
  if (askedLogits === true && outputsProbabilities) {
    warnings.push(
      `${logitsKey} is true, but the last layer's activation is ${squashing}: its outputs are probabilities, so the loss squashes them twice and learns slowly; drop fromLogits or make the last activation linear`,
    );
  }
  if (askedLogits === false && !outputsProbabilities) {
    warnings.push(
      `${logitsKey} is false, but the last layer's activation is ${activation ?? 'linear'}, not ${squashing}: its outputs are not probabilities, and the loss clips them to [${EPSILON}, 1]`,
    );
  }
  return { loss, fromLogits, binary, numClasses, warnings };
}

/**
 * The loss and fromLogits asked for: the manifest's, else the model file's (said in a note), a file loss that does
 * not fit the task or has no equivalent here left out with a note.
 */
function lossSettings(manifest: Manifest, declared: FileLoss | null | undefined) {
  let asked: LossName | undefined = manifest.training.loss;
  let askedLogits = manifest.training.fromLogits;
  let logitsKey = 'training.fromLogits';
  const notes: string[] = [];
  if (asked === undefined && declared?.fileLoss !== undefined) {
    const fits: readonly LossName[] = manifest.task === 'classification' ? classificationLosses : regressionLosses;
    if (declared.loss !== undefined && fits.includes(declared.loss)) {
      asked = declared.loss;
      notes.push(`The loss is ${asked}, as the model file was compiled ("${declared.fileLoss}"); set training.loss to change it`);
    } else {
      notes.push(
        `The model file was compiled with the loss "${declared.fileLoss}", ${declared.loss ? `not a ${manifest.task} loss` : 'which has no equivalent here'}; the default loss is used (set training.loss to choose)`,
      );
    }
  }
  if (askedLogits === undefined && declared?.fromLogits !== undefined && manifest.task === 'classification') {
    askedLogits = declared.fromLogits;
    logitsKey = "The model file's from_logits";
  }
  return { asked, askedLogits, logitsKey, notes };
}

/** Per-class weights of the training loss (null: all 1), from the manifest and the training labels. */
export function classWeightsOf(manifest: Manifest, labels: string[] | null, yTrain: ArrayLike<number>): Float32Array | null {
  const setting = manifest.training.classWeights;
  if (setting === undefined || !labels) return null;
  const weights = new Float32Array(labels.length).fill(1);
  if (setting === 'balanced') {
    // sklearn's compute_class_weight('balanced'): n / (classes × count); a class absent from training keeps 1.
    const counts = new Float64Array(labels.length);
    for (let i = 0; i < yTrain.length; i++) counts[yTrain[i]!]! += 1;
    counts.forEach((count, k) => {
      if (count > 0) weights[k] = yTrain.length / (labels.length * count);
    });
    return weights;
  }
  for (const [name, weight] of Object.entries(setting)) {
    const k = labels.indexOf(name);
    if (k < 0) throw new AppError('training', `training.classWeights names "${name}", which is not a class (classes: ${labels.join(', ')})`);
    weights[k] = weight;
  }
  return weights;
}

/** The loss of each row ([n]) of raw outputs `out` ([n, units]) against labels `y` (class indices or values). */
export function rowLosses(plan: LossPlan, out: tf.Tensor, y: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    if (plan.numClasses === null) {
      const d = tf.sub(tf.reshape(out, [-1]), tf.cast(y, 'float32'));
      if (plan.loss === 'mae') return tf.abs(d);
      if (plan.loss === 'huber') {
        const a = tf.abs(d);
        const q = tf.minimum(a, HUBER_DELTA);
        return tf.add(tf.mul(0.5, tf.square(q)), tf.mul(HUBER_DELTA, tf.sub(a, q)));
      }
      return tf.square(d);
    }
    if (plan.binary) {
      const z = tf.reshape(out, [-1]);
      const t = tf.cast(y, 'float32');
      if (plan.fromLogits) {
        // max(z, 0) − z·t + log(1 + e^−|z|): the stable form of sigmoid cross-entropy.
        return tf.add(tf.sub(tf.relu(z), tf.mul(z, t)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(z))))));
      }
      const p = tf.clipByValue(z, EPSILON, 1 - EPSILON);
      return tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
    }
    const oneHot = tf.oneHot(tf.cast(y, 'int32') as tf.Tensor1D, plan.numClasses);
    if (plan.fromLogits) return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(out)), -1));
    return tf.neg(tf.log(tf.clipByValue(tf.sum(tf.mul(out, oneHot), -1), EPSILON, 1)));
  }) as tf.Tensor1D;
}

/** The mean loss of a batch; with class weights each row counts its class's weight (Keras's class_weight). */
export function meanLoss(plan: LossPlan, out: tf.Tensor, y: tf.Tensor, classWeights: tf.Tensor1D | null): tf.Scalar {
  return tf.tidy(() => {
    const losses = rowLosses(plan, out, y);
    if (!classWeights) return tf.mean(losses);
    return tf.mean(tf.mul(losses, tf.gather(classWeights, tf.cast(y, 'int32'))));
  }) as tf.Scalar;
}

/**
 * Raw outputs as the evaluation reads them: class probabilities [n, classes] for classification (a 1-unit output
 * becomes [1 − p, p]), values [n] for regression.
 */
export function predictionsOf(plan: LossPlan, out: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (plan.numClasses === null) return tf.reshape(out, [-1]);
    if (plan.binary) {
      const p = tf.reshape(plan.fromLogits ? tf.sigmoid(out) : out, [-1, 1]);
      return tf.concat([tf.sub(1, p), p], 1);
    }
    return plan.fromLogits ? tf.softmax(out) : out;
  });
}
