// Test-set metrics, defined exactly as scikit-learn defines them (its default arguments), so that a number
// shown here can be checked against `sklearn.metrics` on the same predictions.
import { AppError } from '../../portable/app-error.js';

export interface PerClassEvaluation {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationEvaluation {
  metrics: Record<string, number>;
  /** Rows = true class, columns = predicted class, both in label order. */
  confusionMatrix: number[][];
  labels: string[];
  perClass: PerClassEvaluation[];
}

/** float64 machine epsilon (`np.finfo(np.float64).eps`), the clipping bound sklearn's log_loss uses. */
const FLOAT64_EPS = 2.220446049250313e-16;

/**
 * Evaluates class probabilities against true class indices.
 *
 * - `probabilities` is row-major `[n, numClasses]`; the predicted class is the argmax (ties go to the lowest index).
 * - precision/recall/F1 use sklearn's default `zero_division` (an undefined ratio counts as 0.0).
 * - Macro averages run over the labels sklearn's default `labels=None` uses: the classes that occur in `yTrue`
 *   or in the predictions (a class neither present nor predicted is left out of the mean, as sklearn does);
 *   weighted averages weight by support (true count), so such a class has no effect there either.
 *   `perClass` and the confusion matrix always list every class.
 * - `log_loss` clips to [eps, 1 - eps] with eps = float64 machine epsilon, then renormalises each row.
 * - `roc_auc` (binary only, positive class = index 1, score = its probability) is the trapezoidal ROC area, i.e.
 *   the Mann–Whitney statistic with tied scores counted as half; it is omitted when `yTrue` holds only one class
 *   (sklearn raises there).
 */
export function evaluateClassification(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  numClasses: number,
  labels: string[],
): ClassificationEvaluation {
  const n = yTrue.length;
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new AppError('training', `Classification needs at least 2 classes, got ${numClasses}`);
  }
  if (labels.length !== numClasses) {
    throw new AppError('training', `Got ${labels.length} class labels for ${numClasses} classes`);
  }
  if (n === 0) throw new AppError('training', 'Cannot evaluate on an empty test set');
  if (probabilities.length !== n * numClasses) {
    throw new AppError(
      'training',
      `Expected ${n} × ${numClasses} = ${n * numClasses} probabilities, got ${probabilities.length}`,
    );
  }

  const truth = new Int32Array(n);
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = yTrue[i]!;
    if (!Number.isInteger(t) || t < 0 || t >= numClasses) {
      throw new AppError('training', `True class ${t} at row ${i} is not a class index in [0, ${numClasses})`);
    }
    truth[i] = t;
    let best = 0;
    for (let k = 0; k < numClasses; k++) {
      const v = probabilities[i * numClasses + k]!;
      if (Number.isNaN(v)) throw new AppError('training', `The model predicted NaN for row ${i}`);
      if (v > probabilities[i * numClasses + best]!) best = k;
    }
    predicted[i] = best;
  }

  const confusionMatrix: number[][] = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < n; i++) confusionMatrix[truth[i]!]![predicted[i]!]! += 1;

  let correct = 0;
  const perClass: PerClassEvaluation[] = [];
  for (let k = 0; k < numClasses; k++) {
    const tp = confusionMatrix[k]![k]!;
    correct += tp;
    let support = 0; // row sum: how often k is the true class
    let predictedCount = 0; // column sum: how often k is predicted
    for (let j = 0; j < numClasses; j++) {
      support += confusionMatrix[k]![j]!;
      predictedCount += confusionMatrix[j]![k]!;
    }
    const fp = predictedCount - tp;
    const fn = support - tp;
    const precision = divideOrZero(tp, predictedCount);
    const recall = divideOrZero(tp, support);
    // sklearn computes F-beta from the counts: (1+β²)tp / ((1+β²)tp + β²fn + fp), zero_division → 0.
    const f1 = divideOrZero(2 * tp, 2 * tp + fn + fp);
    perClass.push({ label: labels[k]!, precision, recall, f1, support });
  }

  const present = perClass.filter((c, k) => c.support > 0 || confusionMatrix.some((row) => row[k]! > 0));
  const mean = (key: 'precision' | 'recall' | 'f1') => present.reduce((s, c) => s + c[key], 0) / present.length;
  const weighted = (key: 'precision' | 'recall' | 'f1') => perClass.reduce((s, c) => s + c[key] * c.support, 0) / n;

  const metrics: Record<string, number> = {
    accuracy: correct / n,
    precision_macro: mean('precision'),
    recall_macro: mean('recall'),
    f1_macro: mean('f1'),
    precision_weighted: weighted('precision'),
    recall_weighted: weighted('recall'),
    f1_weighted: weighted('f1'),
    log_loss: logLoss(truth, probabilities, numClasses),
  };
  if (numClasses === 2) {
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = probabilities[i * 2 + 1]!;
    const auc = rocAuc(truth, scores);
    if (auc !== null) metrics.roc_auc = auc;
  }
  return { metrics, confusionMatrix, labels: [...labels], perClass };
}

/** Mean squared error, its root, mean absolute error and R² (sklearn's `r2_score` with `force_finite=True`). */
export function evaluateRegression(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Record<string, number> {
  const n = yTrue.length;
  if (n === 0) throw new AppError('training', 'Cannot evaluate on an empty test set');
  if (yPred.length !== n) {
    throw new AppError('training', `Got ${yPred.length} predictions for ${n} targets`);
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  let absSum = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i]!;
    const d = t - yPred[i]!;
    ssRes += d * d;
    absSum += Math.abs(d);
    ssTot += (t - mean) * (t - mean);
  }
  const mse = ssRes / n;
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return { mse, rmse: Math.sqrt(mse), mae: absSum / n, r2 };
}

function divideOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** sklearn's log_loss: clip each probability to [eps, 1-eps], renormalise the row, mean of -log p(true class). */
function logLoss(truth: Int32Array, probabilities: ArrayLike<number>, numClasses: number): number {
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    let rowSum = 0;
    for (let k = 0; k < numClasses; k++) rowSum += clip(probabilities[i * numClasses + k]!);
    const p = clip(probabilities[i * numClasses + truth[i]!]!) / rowSum;
    total -= Math.log(p);
  }
  return total / truth.length;
}

function clip(p: number): number {
  return Math.min(Math.max(p, FLOAT64_EPS), 1 - FLOAT64_EPS);
}

/**
 * Binary ROC AUC via average ranks: (Σ ranks of positives − P(P+1)/2) / (P·N), tied scores share the mean rank —
 * identical to the trapezoidal area under sklearn's roc_curve. Null when only one class is present.
 */
function rocAuc(truth: Int32Array, scores: Float64Array): number | null {
  const n = truth.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (truth[i] === 1) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPositives = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start+1 … end (1-based)
    for (let j = start; j < end; j++) if (truth[order[j]!] === 1) rankSumPositives += averageRank;
    start = end;
  }
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}
