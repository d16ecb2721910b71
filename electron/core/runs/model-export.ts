// Exports a run's trained model in tfjs format, optionally with quantized weights, and scores a saved model on
// test rows so the metric change that quantization causes can be measured.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Manifest } from '../../../shared/manifest.js';
import { evaluateClassification, evaluateRegression } from '../training/portable/evaluation.js';
import { planLoss, predictionsOf } from '../training/portable/losses.js';
import { lastActivation, type TrainingData } from '../training/portable/train-on-data.js';
import { quantizeWeights, type Quantization, type WeightSpec } from './quantize-weights.js';

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  [key: string]: unknown;
}

/** model.json and its weights, read from a checkpoint folder (weight files may only name files in that folder). */
export function readSavedModel(dir: string): { json: ModelJson; specs: WeightSpec[]; data: Uint8Array } {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelJson;
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${file}: weightsManifest is missing`);
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const parts = json.weightsManifest.flatMap((g) =>
    g.paths.map((p) => {
      if (path.basename(p) !== p) throw new Error(`${file}: weight path "${p}" leaves the model folder`);
      return fs.readFileSync(path.join(dir, p));
    }),
  );
  return { json, specs, data: new Uint8Array(Buffer.concat(parts)) };
}

/** Writes the model to `target` (model.json + weights.bin), its float32 weights quantized when asked. */
export function writeExportedModel(checkpoint: string, target: string, quantize: Quantization | null): { files: string[]; weightBytes: number } {
  const { json, specs, data } = readSavedModel(checkpoint);
  const out = quantize ? quantizeWeights(specs, data, quantize) : { specs, data };
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(path.join(target, 'weights.bin'), out.data);
  fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ paths: ['weights.bin'], weights: out.specs }] }));
  return { files: ['model.json', 'weights.bin'], weightBytes: out.data.length };
}

/** Loads a saved model folder with tfjs (which decodes quantized weights itself). */
export async function loadSavedModel(dir: string): Promise<tfl.LayersModel> {
  await tf.ready();
  const { json, specs, data } = readSavedModel(dir);
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs as tf.io.WeightsManifestEntry[], weightData: buffer }));
}

/** The model's test metrics, computed as training computes them (same loss plan, same evaluation). */
export async function scoreSavedModel(dir: string, manifest: Manifest, data: TrainingData): Promise<Record<string, number>> {
  const model = await loadSavedModel(dir);
  try {
    const numClasses = manifest.task === 'classification' ? data.labels!.length : null;
    const plan = planLoss(manifest, lastActivation(model), Number(model.outputs[0]!.shape.at(-1)), numClasses);
    const predictions = tf.tidy(() => predictionsOf(plan, model.predict(tf.tensor2d(data.xTest, [data.nTest, data.nFeatures])) as tf.Tensor));
    const values = await predictions.data();
    predictions.dispose();
    return numClasses === null ? evaluateRegression(data.yTest, values) : evaluateClassification(data.yTest, values, numClasses, data.labels!).metrics;
  } finally {
    model.dispose();
  }
}
