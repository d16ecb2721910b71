// Model files collected from public repositories (fixtures/real, SOURCES.md) train as shipped for one epoch on small
// generated data of their input shape, or are refused in one line that names the layer or op.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manifest, type LossName } from '../../../../shared/manifest.js';
import { tempDir } from '../../testing/git-fixtures.js';
import { activateBackend } from '../backends.js';
import { trainModel } from '../train-model.js';
import type { FromTrainer } from '../portable/trainer-protocol.js';
import { loadModelSource } from './index.js';

const real = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'real');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = tempDir('mc-real-models-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  // wasm: the conv models train ~10× faster than on the plain JS backend (the whole file in seconds).
  await activateBackend('wasm');
});

/** How to make data for a model: features per row, what they are, and the label. */
interface Shape {
  readonly features: number;
  /** Token ids below this bound (for an Embedding), else floats in [0, 1). */
  readonly vocabulary?: number;
  /** Classes of the label; null for a regression. */
  readonly classes: number | null;
}

let s = 12345;
const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 4294967296);

function csv(shape: Shape, rows: number): string {
  const lines = [[...Array.from({ length: shape.features }, (_, i) => `f${i}`), 'label'].join(',')];
  for (let r = 0; r < rows; r++) {
    const values = Array.from({ length: shape.features }, () => (shape.vocabulary ? String(Math.floor(rand() * shape.vocabulary)) : rand().toFixed(3)));
    const label = shape.classes === null ? (rand() * 2).toFixed(3) : `c${r % shape.classes}`;
    lines.push([...values, label].join(','));
  }
  return lines.join('\n') + '\n';
}

let projects = 0;
/** A project with the fixture as its model file (and random weight shards for a tfjs model.json). */
function project(file: string, shape: Shape, rows = 12, shards = true) {
  const dir = path.join(root, `p${++projects}`);
  fs.mkdirSync(path.join(dir, 'model'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const text = fs.readFileSync(path.join(real, file), 'utf8');
  fs.writeFileSync(path.join(dir, 'model', file), text);
  const json = JSON.parse(text) as Json;
  const tfjs = json.modelTopology !== undefined;
  if (tfjs && shards) {
    // The shards are binary and not kept in the fixtures: random float32 values of the sizes the manifest gives.
    for (const group of json.weightsManifest as Json[]) {
      // A variance must be positive (BatchNormalization takes its square root); the rest is small noise.
      const data = Float32Array.from(
        (group.weights as Json[]).flatMap((w) => {
          const size = (w.shape as number[]).reduce((a, b) => a * b, 1);
          return Array.from({ length: size }, () => (/variance/.test(String(w.name)) ? 1 + rand() * 0.1 : (rand() - 0.5) * 0.1));
        }),
      );
      const bytes = Buffer.from(data.buffer);
      const paths = group.paths as string[];
      const per = Math.ceil(bytes.length / paths.length / 4) * 4;
      paths.forEach((p, i) => fs.writeFileSync(path.join(dir, 'model', p), bytes.subarray(i * per, Math.min(bytes.length, (i + 1) * per))));
    }
  }
  if (rows > 0) fs.writeFileSync(path.join(dir, 'data', 'train.csv'), csv(shape, rows));
  const manifest = Manifest.parse({
    name: file,
    task: shape.classes === null ? 'regression' : 'classification',
    data: { train: 'data/train.csv', label: 'label', split: { test: 0.25, seed: 1 }, normalize: 'none' },
    model: tfjs ? { tfjs: `model/${file}` } : { keras: `model/${file}` },
    training: { epochs: 1, batchSize: 4, optimizer: 'adam', learningRate: 0.001, seed: 3 },
  });
  return { dir, manifest };
}

async function trainOneEpoch(file: string, shape: Shape, rows?: number, loss?: LossName) {
  const made = project(file, shape, rows);
  const dir = made.dir;
  const manifest = loss ? { ...made.manifest, training: { ...made.manifest.training, loss } } : made.manifest;
  const messages: FromTrainer[] = [];
  const result = await trainModel({ repoDir: dir, manifest, backend: 'wasm' }, (m) => messages.push(m));
  const losses = messages.flatMap((m) => (m.kind === 'epoch' ? [m.record.loss] : []));
  return { result, losses };
}

/** The 12 hardest files from outside the project: each trains one epoch, or is refused in one line. */
const goal: { file: string; shape: Shape; rows?: number; refused?: RegExp; loss?: LossName; covers: string }[] = [
  { file: 'keras3-gru-reset-after.json', shape: { features: 100, vocabulary: 500, classes: 2 }, covers: 'Keras 3 .keras config, Embedding + GRU reset_after, 1-unit sigmoid' },
  { file: 'keras3-cnn-28x28x1.json', shape: { features: 784, classes: 10 }, covers: 'Keras 3 Conv2D [28, 28, 1] from flat pixels' },
  { file: 'keras2.0-cnn-150x150x3.json', shape: { features: 150 * 150 * 3, classes: 2 }, covers: 'Keras 2.0 Conv2D [150, 150, 3], Dense(1) + Activation(sigmoid)' },
  { file: 'keras2.0-list-conv1d-lstm-sigmoid.json', shape: { features: 100, vocabulary: 1000, classes: 2 }, covers: 'Keras 2.0 list config, Conv1D/MaxPooling1D/LSTM' },
  { file: 'keras3-lstm-24x1-regression.json', shape: { features: 24, classes: null }, covers: 'Keras 3 LSTM over [24, 1] from flat columns, regression' },
  { file: 'keras3-mlp-l2-28x28.json', shape: { features: 784, classes: 10 }, covers: 'Keras 3 L2 kernel_regularizer, Flatten of [28, 28]' },
  { file: 'tfjs-keras3-batchnorm-cnn-32x32x3.json', shape: { features: 32 * 32 * 3, classes: 43 }, rows: 60, covers: 'tfjs model.json from Keras 3, BatchNormalization, weights kept' },
  { file: 'keras2.11-h5-embedding-logits.json', shape: { features: 20, vocabulary: 1000, classes: 2 }, covers: 'tf.keras 2.11 .h5 model_config, logits (from_logits), input [None, None]' },
  // Compiled multi-label (binary_crossentropy over 5 sigmoids), which is refused unless the manifest names a loss.
  { file: 'keras3-h5-lstm-5-sigmoid.json', shape: { features: 128, vocabulary: 1000, classes: 5 }, loss: 'sparseCategoricalCrossentropy', covers: 'Keras 3 .h5 model_config, a fixed batch size 32, 5 sigmoid units' },
  { file: 'keras3-to-json-lstm-10x50.json', shape: { features: 500, classes: 5 }, covers: 'Keras 3 to_json(), stacked LSTM over [10, 50], Activation(softmax)' },
  {
    file: 'keras2.3-bidirectional-lstm-timedistributed.json',
    shape: { features: 12, vocabulary: 1000, classes: 27 },
    refused: /the model outputs a prediction per time step \(shape \[12, 27\]\); ModelCommons trains one label per row$/,
    covers: 'Bidirectional LSTM + TimeDistributed: a tag per token, which flat labels cannot train',
  },
  { file: 'keras2-lambda-160x320x3.json', shape: { features: 160 * 320 * 3, classes: 2 }, refused: /layer 2 \("lambda_5"\) is a Lambda: it carries Python code/, covers: 'a Lambda layer' },
];

describe('real model files train as shipped (1 epoch, small data of their input shape)', () => {
  for (const { file, shape, rows, refused, loss, covers } of goal) {
    it(`${file}: ${covers}`, async () => {
      if (refused) {
        const { dir, manifest } = project(file, shape);
        const err = await loadModelSource(dir, manifest, shape.features, shape.classes).then(
          () => null,
          (e: unknown) => e as Error,
        );
        expect(err?.message).toMatch(refused);
        expect(err?.message.split('\n')).toHaveLength(1);
        return;
      }
      const { result, losses } = await trainOneEpoch(file, shape, rows, loss);
      expect(losses).toHaveLength(1);
      expect(Number.isFinite(losses[0])).toBe(true);
      expect(result.metrics).toHaveProperty(shape.classes === null ? 'r2' : 'accuracy');
    });
  }
});

/** The rest of the set: each loads (translated, fitted to flat data, weights kept for tfjs) or is refused in one line. */
const rest: { file: string; shape: Shape; refused?: RegExp; parameters?: number; covers: string }[] = [
  { file: 'keras2.10-cnn-28x28x1.json', shape: { features: 784, classes: 10 }, covers: 'tf.keras 2.10 InputLayer + Conv2D [28, 28, 1]' },
  { file: 'keras2.0-dense-binary-sigmoid.json', shape: { features: 30, classes: 2 }, parameters: 30 * 16 + 16 + 16 * 18 + 18 + 18 * 20 + 20 + 20 * 24 + 24 + 24 + 1, covers: 'Keras 2.0 dense binary classifier, 1 sigmoid unit' },
  { file: 'keras2.3-flatten-features-sigmoid.json', shape: { features: 4 * 4 * 512, classes: 2 }, covers: 'Flatten of [4, 4, 512] bottleneck features' },
  { file: 'keras3-dense-28x28.json', shape: { features: 784, classes: 10 }, covers: 'Keras 3 .keras archive config, Flatten of [28, 28]' },
  { file: 'keras3-embedding-2lstm.json', shape: { features: 100, vocabulary: 500, classes: 2 }, covers: 'Keras 3 Embedding + two LSTMs' },
  { file: 'keras3-simplernn-100x200.json', shape: { features: 100 * 200, classes: 2 }, covers: 'Keras 3 SimpleRNN over one-hot [100, 200]' },
  { file: 'keras3-dense-binary-21.json', shape: { features: 21, classes: 2 }, covers: 'Keras 3 dense binary classifier' },
  { file: 'tfjs-keras3-cnn-28x28x1.json', shape: { features: 784, classes: 10 }, covers: 'tfjs model.json from Keras 3 (batchInputShape, DTypePolicy)' },
  { file: 'keras2.15-functional-xception-batchnorm-axis-list.json', shape: { features: 299 * 299 * 3, classes: 7 }, covers: 'tf.keras 2.15 Functional Xception, BatchNormalization axis [3], SeparableConv2D' },
  { file: 'tfjs-keras2.3-vgg-model-224x224x3.json', shape: { features: 224 * 224 * 3, classes: 8 }, refused: /^The model has [\d,]+ parameters; the limit is 50,000,000$/, covers: 'a tfjs "Model" past the parameter budget' },
  { file: 'tfjs-keras3-nested-mobilenetv2.json', shape: { features: 224 * 224 * 3, classes: 5 }, refused: /layer 2 \("mobilenetv2_1.00_224"\) is a whole Functional model nested as a layer/, covers: 'a nested Functional model' },
];

describe('the rest of the real model files load, or are refused in one line', () => {
  for (const { file, shape, refused, parameters, covers } of rest) {
    it(`${file}: ${covers}`, async () => {
      const { dir, manifest } = project(file, shape, 0, !refused);
      const loaded = await loadModelSource(dir, manifest, shape.features, shape.classes).then(
        (l) => ({ ok: true as const, l }),
        (e: unknown) => ({ ok: false as const, e: e as Error }),
      );
      if (refused) {
        expect(loaded.ok ? 'loaded' : loaded.e.message).toMatch(refused);
        if (!loaded.ok) expect(loaded.e.message.split('\n')).toHaveLength(1);
        return;
      }
      if (!loaded.ok) throw loaded.e;
      const { model, parameters: counted } = loaded.l;
      expect(model.inputs[0]!.shape).toEqual([null, shape.features]);
      expect(model.outputs[0]!.shape).toEqual([null, shape.classes === 2 ? expect.any(Number) : shape.classes]);
      if (parameters !== undefined) expect(counted).toBe(parameters);
      model.optimizer.dispose();
      model.dispose();
    });
  }
});

describe('a trained real model saves a checkpoint that loads again as a tfjs model', () => {
  it('keras3-gru-reset-after.json: the GRU (reset_after) and its weights survive the round trip', async () => {
    const shape: Shape = { features: 100, vocabulary: 500, classes: 2 };
    const { dir, manifest } = project('keras3-gru-reset-after.json', shape);
    await trainModel({ repoDir: dir, manifest, backend: 'wasm', checkpointDir: path.join(dir, 'ckpt') }, () => undefined);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'ckpt', 'model.json'), 'utf8')) as Json;
    expect(JSON.stringify(saved.modelTopology)).toContain('"ModelCommonsGRUResetAfter"');
    const first = await loadModelSource(dir, manifest, 100, 2);
    const tuned = await loadModelSource(dir, { ...manifest, model: { tfjs: 'ckpt/model.json' } }, 100, 2);
    expect(tuned.parameters).toBe(first.parameters);
    first.model.dispose();
    const bin = fs.readFileSync(path.join(dir, 'ckpt', 'weights.bin'));
    expect(tuned.model.getWeights().flatMap((w) => Array.from(w.dataSync()))).toEqual(Array.from(new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4)));
  });
});
