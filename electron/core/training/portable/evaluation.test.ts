// Fixtures come from scikit-learn's documented examples (their printed results quoted below) and from
// counts worked out by hand; every expected value is written as the exact fraction it was derived from.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../portable/app-error.js';
import { evaluateClassification, evaluateRegression } from './evaluation.js';
import { classificationMetricNames, regressionMetricNames } from '../../../../shared/manifest.js';

/** Probability rows that argmax to `predicted`: 0.8 on the predicted class, the rest spread evenly. */
function confident(predicted: number[], numClasses: number, top = 0.8): number[] {
  const rest = (1 - top) / (numClasses - 1);
  return predicted.flatMap((p) => Array.from({ length: numClasses }, (_, k) => (k === p ? top : rest)));
}

function close(actual: Record<string, number>, expected: Record<string, number>, digits = 10) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) expect(actual[key], key).toBeCloseTo(value, digits);
}

describe('evaluateClassification', () => {
  it('matches sklearn precision_score / recall_score / f1_score doc example', () => {
    // sklearn docs: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1]
    //   precision macro 0.22…, recall macro 0.33…, f1 macro 0.26…, precision average=None [0.66…, 0., 0.].
    // By hand: confusion [[2,0,0],[1,0,1],[0,2,0]]; class 0: P = 2/3, R = 2/2, F1 = 2·2/(2·2+0+1) = 0.8;
    // classes 1 and 2 have tp = 0 → 0. Supports are equal (2 each), so weighted = macro.
    // log_loss: 2 rows score 0.8 on the true class, 4 rows 0.1 → (2·ln 1.25 + 4·ln 10)/6 = ln(5^6)/6 = ln 5.
    const ev = evaluateClassification([0, 1, 2, 0, 1, 2], confident([0, 2, 1, 0, 0, 1], 3), 3, ['a', 'b', 'c']);
    close(ev.metrics, {
      accuracy: 2 / 6,
      precision_macro: 2 / 9,
      recall_macro: 1 / 3,
      f1_macro: 0.8 / 3,
      precision_weighted: 2 / 9,
      recall_weighted: 1 / 3,
      f1_weighted: 0.8 / 3,
      log_loss: Math.log(5),
    });
    expect(ev.confusionMatrix).toEqual([
      [2, 0, 0],
      [1, 0, 1],
      [0, 2, 0],
    ]);
    expect(ev.perClass.map((c) => c.precision)).toEqual([2 / 3, 0, 0]);
  });

  it('matches sklearn classification_report doc example, per class and averaged', () => {
    // sklearn docs: y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1], target_names class 0..2:
    //   class 0: 0.50 1.00 0.67 (support 1); class 1: 0.00 0.00 0.00 (1); class 2: 1.00 0.67 0.80 (3)
    //   accuracy 0.60; macro avg 0.50 0.56 0.49; weighted avg 0.70 0.60 0.61
    // Exact fractions: macro R = (1 + 0 + 2/3)/3 = 5/9, macro F1 = (2/3 + 0 + 4/5)/3 = 22/45,
    // weighted P = (0.5·1 + 0·1 + 1·3)/5 = 0.7, weighted R = (1 + 0 + 2)/5 = 0.6, weighted F1 = (2/3 + 12/5)/5 = 46/75.
    const labels = ['class 0', 'class 1', 'class 2'];
    const ev = evaluateClassification([0, 1, 2, 2, 2], confident([0, 0, 2, 2, 1], 3), 3, labels);
    expect(ev.labels).toEqual(labels);
    expect(ev.perClass).toHaveLength(3);
    const expected = [
      { label: 'class 0', precision: 1 / 2, recall: 1, f1: 2 / 3, support: 1 },
      { label: 'class 1', precision: 0, recall: 0, f1: 0, support: 1 },
      { label: 'class 2', precision: 1, recall: 2 / 3, f1: 4 / 5, support: 3 },
    ];
    ev.perClass.forEach((c, k) => {
      const e = expected[k]!;
      expect(c.label).toBe(e.label);
      expect(c.support).toBe(e.support);
      expect(c.precision).toBeCloseTo(e.precision, 12);
      expect(c.recall).toBeCloseTo(e.recall, 12);
      expect(c.f1).toBeCloseTo(e.f1, 12);
    });
    expect(ev.metrics.accuracy).toBeCloseTo(0.6, 12);
    expect(ev.metrics.precision_macro).toBeCloseTo(0.5, 12);
    expect(ev.metrics.recall_macro).toBeCloseTo(5 / 9, 12);
    expect(ev.metrics.f1_macro).toBeCloseTo(22 / 45, 12);
    expect(ev.metrics.precision_weighted).toBeCloseTo(0.7, 12);
    expect(ev.metrics.recall_weighted).toBeCloseTo(0.6, 12);
    expect(ev.metrics.f1_weighted).toBeCloseTo(46 / 75, 12);
    expect(ev.metrics).not.toHaveProperty('roc_auc');
  });

  it('builds the confusion matrix with rows = true and columns = predicted (sklearn confusion_matrix doc)', () => {
    // sklearn docs: y_true = ["cat","ant","cat","cat","ant","bird"], y_pred = ["ant","ant","cat","cat","ant","cat"],
    // labels = ["ant","bird","cat"] → [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    const ev = evaluateClassification([2, 0, 2, 2, 0, 1], confident([0, 0, 2, 2, 0, 2], 3), 3, ['ant', 'bird', 'cat']);
    expect(ev.confusionMatrix).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });

  it('uses zero_division = 0 for a class never predicted and a class absent from yTrue', () => {
    // y_true = [0, 0, 1, 1], y_pred = [0, 2, 0, 0] → confusion [[1,0,1],[2,0,0],[0,0,0]].
    // class 0: tp 1, predicted 3, support 2 → P 1/3, R 1/2, F1 = 2/(2+1+2) = 2/5
    // class 1 (never predicted): P = 0/0 → 0, R = 0/2 = 0, F1 0
    // class 2 (absent from y_true, predicted once): P = 0/1 = 0, R = 0/0 → 0, F1 = 0/(0+0+1) = 0
    // macro (over the labels present in y_true ∪ y_pred = {0,1,2}): P 1/9, R 1/6, F1 2/15
    // weighted (supports 2, 2, 0): P (1/3·2)/4 = 1/6, R (1/2·2)/4 = 1/4, F1 (2/5·2)/4 = 1/5
    const ev = evaluateClassification([0, 0, 1, 1], confident([0, 2, 0, 0], 3), 3, ['x', 'y', 'z']);
    expect(ev.confusionMatrix).toEqual([
      [1, 0, 1],
      [2, 0, 0],
      [0, 0, 0],
    ]);
    expect(ev.perClass[1]).toEqual({ label: 'y', precision: 0, recall: 0, f1: 0, support: 2 });
    expect(ev.perClass[2]).toEqual({ label: 'z', precision: 0, recall: 0, f1: 0, support: 0 });
    for (const value of Object.values(ev.metrics)) expect(Number.isFinite(value)).toBe(true);
    expect(ev.metrics.accuracy).toBeCloseTo(1 / 4, 12);
    expect(ev.metrics.precision_macro).toBeCloseTo(1 / 9, 12);
    expect(ev.metrics.recall_macro).toBeCloseTo(1 / 6, 12);
    expect(ev.metrics.f1_macro).toBeCloseTo(2 / 15, 12);
    expect(ev.metrics.precision_weighted).toBeCloseTo(1 / 6, 12);
    expect(ev.metrics.recall_weighted).toBeCloseTo(1 / 4, 12);
    expect(ev.metrics.f1_weighted).toBeCloseTo(1 / 5, 12);
  });

  it('leaves a class neither present nor predicted out of the macro mean, as sklearn labels=None does', () => {
    // Same predictions as above with a fourth class that never occurs: sklearn's default labels are
    // unique_labels(y_true, y_pred) = {0,1,2}, so the macro and weighted averages are unchanged.
    const three = evaluateClassification([0, 0, 1, 1], confident([0, 2, 0, 0], 3), 3, ['x', 'y', 'z']);
    const four = evaluateClassification([0, 0, 1, 1], confident([0, 2, 0, 0], 4), 4, ['x', 'y', 'z', 'w']);
    for (const key of ['precision_macro', 'recall_macro', 'f1_macro', 'precision_weighted', 'recall_weighted', 'f1_weighted']) {
      expect(four.metrics[key], key).toBeCloseTo(three.metrics[key]!, 12);
    }
    expect(four.perClass[3]).toEqual({ label: 'w', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(four.confusionMatrix[3]).toEqual([0, 0, 0, 0]);
  });

  it('breaks argmax ties toward the lowest class index', () => {
    const ev = evaluateClassification([1, 1, 2], [0.5, 0.5, 0, 0.2, 0.4, 0.4, 0.3, 0.3, 0.4], 3, ['a', 'b', 'c']);
    // row 0 ties 0/1 → 0; row 1 ties 1/2 → 1; row 2 → 2
    expect(ev.confusionMatrix).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('matches sklearn log_loss doc example and roc_auc for a binary task', () => {
    // sklearn docs: log_loss(["spam","ham","ham","spam"], [[.1,.9],[.9,.1],[.8,.2],[.35,.65]]) → 0.21616…
    // classes sorted: ham = 0, spam = 1. By hand: −(ln .9 + ln .9 + ln .8 + ln .65)/4.
    // roc_auc: positives score .9 and .65, negatives .1 and .2 → every pair ordered → 1.0.
    // Predictions [1,0,0,1] are all right → accuracy and every P/R/F1 = 1.
    const ev = evaluateClassification([1, 0, 0, 1], [0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65], 2, ['ham', 'spam']);
    close(ev.metrics, {
      accuracy: 1,
      precision_macro: 1,
      recall_macro: 1,
      f1_macro: 1,
      precision_weighted: 1,
      recall_weighted: 1,
      f1_weighted: 1,
      log_loss: -(2 * Math.log(0.9) + Math.log(0.8) + Math.log(0.65)) / 4,
      roc_auc: 1,
    });
    expect(ev.metrics.log_loss).toBeCloseTo(0.21616, 5);
  });

  it('clips log_loss at float64 eps and renormalises rows', () => {
    // Row [1, 0] with true class 1: clip → [1 − eps, eps], sum 1 → −ln(eps) = 36.04365338911715.
    const clipped = evaluateClassification([1, 0], [1, 0, 1, 0], 2, ['n', 'p']);
    const eps = 2.220446049250313e-16;
    // second row [1, 0] with true class 0: clip → 1 − eps, −ln(1 − eps) ≈ eps
    expect(clipped.metrics.log_loss).toBeCloseTo((-Math.log(eps) - Math.log(1 - eps)) / 2, 12);
    expect(clipped.metrics.log_loss).toBeCloseTo(36.04365338911715 / 2, 10);
    // Rows that do not sum to 1 are renormalised: [0.2, 0.2] true 0 → 0.5; [0.2, 0.6] true 1 → 0.75.
    const unnormalised = evaluateClassification([0, 1], [0.2, 0.2, 0.2, 0.6], 2, ['n', 'p']);
    expect(unnormalised.metrics.log_loss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.75)) / 2, 12);
  });

  it('computes roc_auc like sklearn roc_auc_score, ties counted as half', () => {
    // sklearn roc_curve/auc docs: y = [1, 1, 2, 2], scores [0.1, 0.4, 0.35, 0.8], pos_label 2 → auc 0.75.
    // Pairs (pos, neg): .35>.1 ✓, .35<.4 ✗, .8>.1 ✓, .8>.4 ✓ → 3/4.
    const withProbs = (scores: number[]) => scores.flatMap((s) => [1 - s, s]);
    const doc = evaluateClassification([0, 0, 1, 1], withProbs([0.1, 0.4, 0.35, 0.8]), 2, ['1', '2']);
    expect(doc.metrics.roc_auc).toBeCloseTo(0.75, 12);
    // Ties: negatives .5 .5, positives .5 .9 → pairs: (.5,.5) ×2 → ½ each, (.9, ·) ×2 → 1 each → 3/4.
    // ROC points (0,0) → (0,½) → (1,1): trapezoid area (½ + 1)/2 = 0.75 — the same.
    const tied = evaluateClassification([0, 0, 1, 1], withProbs([0.5, 0.5, 0.5, 0.9]), 2, ['n', 'p']);
    expect(tied.metrics.roc_auc).toBeCloseTo(0.75, 12);
    // Everything tied → 0.5.
    const allTied = evaluateClassification([0, 1, 0, 1, 1], withProbs([0.3, 0.3, 0.3, 0.3, 0.3]), 2, ['n', 'p']);
    expect(allTied.metrics.roc_auc).toBeCloseTo(0.5, 12);
    // Ranks 1..6 with a tie block: negatives .2, .4, .4; positives .4, .7, .1 →
    // pairs: .4 vs (.2 ✓, .4 ½, .4 ½) = 2; .7 vs all = 3; .1 vs none = 0 → 5/9.
    const mixed = evaluateClassification([0, 0, 0, 1, 1, 1], withProbs([0.2, 0.4, 0.4, 0.4, 0.7, 0.1]), 2, ['n', 'p']);
    expect(mixed.metrics.roc_auc).toBeCloseTo(5 / 9, 12);
  });

  it('omits roc_auc when y_true holds one class (sklearn raises there) and for more than two classes', () => {
    const single = evaluateClassification([1, 1], [0.2, 0.8, 0.6, 0.4], 2, ['n', 'p']);
    expect(single.metrics).not.toHaveProperty('roc_auc');
    expect(single.metrics.accuracy).toBeCloseTo(0.5, 12);
  });

  it('refuses inconsistent inputs with an AppError', () => {
    expect(() => evaluateClassification([0, 1], [0.5, 0.5], 2, ['a', 'b'])).toThrow(AppError);
    expect(() => evaluateClassification([0, 3], [0.5, 0.5, 0.5, 0.5], 2, ['a', 'b'])).toThrow(/not a class index/);
    expect(() => evaluateClassification([0], [0.5, 0.5], 2, ['a'])).toThrow(/2 classes/);
    expect(() => evaluateClassification([], [], 2, ['a', 'b'])).toThrow(/empty/);
    expect(() => evaluateClassification([0], [NaN, 0.5], 2, ['a', 'b'])).toThrow(/NaN/);
  });

  it('accepts typed arrays', () => {
    const ev = evaluateClassification(new Float32Array([0, 1]), new Float32Array([0.9, 0.1, 0.3, 0.7]), 2, ['a', 'b']);
    expect(ev.metrics.accuracy).toBe(1);
  });
});

describe('evaluateRegression', () => {
  it('matches sklearn mean_squared_error / mean_absolute_error / r2_score doc example', () => {
    // sklearn docs: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]: MSE 0.375, MAE 0.5, R² 0.948…
    // By hand: residuals .5, −.5, 0, −1 → SS_res = 1.5; mean 2.875 → SS_tot = 29.1875; R² = 1 − 1.5/29.1875.
    close(evaluateRegression([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), {
      mse: 0.375,
      rmse: Math.sqrt(0.375),
      mae: 0.5,
      r2: 1 - 1.5 / 29.1875,
    });
    expect(evaluateRegression([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]).r2).toBeCloseTo(0.948608137, 9);
  });

  it('matches the r2_score doc edge cases', () => {
    // sklearn docs: [1,2,3] vs [1,2,3] → 1.0; vs [2,2,2] → 0.0; vs [3,2,1] → −3.0;
    // constant y_true [−2,−2,−2]: perfect → 1.0, otherwise → 0.0 (force_finite).
    expect(evaluateRegression([1, 2, 3], [1, 2, 3]).r2).toBe(1);
    expect(evaluateRegression([1, 2, 3], [2, 2, 2]).r2).toBeCloseTo(0, 12);
    expect(evaluateRegression([1, 2, 3], [3, 2, 1]).r2).toBeCloseTo(-3, 12);
    expect(evaluateRegression([-2, -2, -2], [-2, -2, -2]).r2).toBe(1);
    expect(evaluateRegression([-2, -2, -2], [-2, -2, -2 + 1e-8]).r2).toBe(0);
  });

  it('refuses empty or mismatched inputs', () => {
    expect(() => evaluateRegression([], [])).toThrow(AppError);
    expect(() => evaluateRegression([1, 2], [1])).toThrow(/2 targets/);
  });
});

describe('metric names', () => {
  it('are the ones the manifest lets metrics.perEpoch name, one list per task', () => {
    const binary = evaluateClassification([0, 1, 1, 0], [0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.7, 0.3], 2, ['a', 'b']);
    expect(Object.keys(binary.metrics).sort()).toEqual([...classificationMetricNames].sort());
    expect(Object.keys(evaluateRegression([1, 2, 3], [1, 2, 2])).sort()).toEqual([...regressionMetricNames].sort());
  });
});
