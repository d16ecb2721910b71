// Training data as plain number arrays, the form a test hands a browser trainer page directly (the app itself sends
// typed arrays over the contract).
import type { TrainingData } from '../training/portable/train-on-data.js';

/** The data as plain numbers (labels and warnings kept). */
export function toPlainTrainingData(data: TrainingData) {
  return {
    xTrain: Array.from(data.xTrain),
    yTrain: Array.from(data.yTrain),
    nTrain: data.nTrain,
    xVal: Array.from(data.xVal),
    yVal: Array.from(data.yVal),
    nVal: data.nVal,
    xTest: Array.from(data.xTest),
    yTest: Array.from(data.yTest),
    nTest: data.nTest,
    nFeatures: data.nFeatures,
    labels: data.labels,
    warnings: [...(data.warnings ?? [])],
  };
}
