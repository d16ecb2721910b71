// Model files as their authors compiled and shipped them: the loss they were compiled with, several inputs fed from
// `data.inputs`, a 1-unit sigmoid binary classifier scored as p(class 1), and `model.evaluate` (no training).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../shared/manifest.js';
import { tempDir } from '../testing/git-fixtures.js';
import { keras3Input, keras3Layer } from '../testing/keras3-config.js';
import { activateBackend } from './backends.js';
import { loadTabularData } from './data/index.js';
import { trainModel } from './train-model.js';
import type { FromTrainer } from './portable/trainer-protocol.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'model-sources', 'fixtures', 'real');
const root = tempDir('mc-model-file-training-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await activateBackend('cpu');
});

let projects = 0;
function projectDir(): string {
  const dir = path.join(root, `p${++projects}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A Keras 3 layer of a functional config, fed by the named layers. */
const layer = (class_name: string, name: string, config: Record<string, unknown>, inputs: string[]) => keras3Layer(class_name, name, config, inputs);
const input = keras3Input;
const functional = (layers: unknown[], inputs: string[], output: string, loss: string) => ({
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: { name: 'functional', trainable: true, layers, input_layers: inputs.map((i) => [i, 0, 0]), output_layers: [[output, 0, 0]] },
  registered_name: 'Functional',
  compile_config: { loss, metrics: ['accuracy'] },
});

/** A recommender-like model: user and item ids through Embeddings, a 4-token title, 2 numeric columns; 1 sigmoid unit. */
const recommender = functional(
  [
    input('user', [1]),
    input('item', [1]),
    input('title', [4]),
    input('numbers', [2]),
    layer('Embedding', 'user_embedding', { input_dim: 8, output_dim: 2 }, ['user']),
    layer('Embedding', 'item_embedding', { input_dim: 6, output_dim: 2 }, ['item']),
    layer('Embedding', 'title_embedding', { input_dim: 22, output_dim: 2 }, ['title']),
    layer('Flatten', 'user_flat', {}, ['user_embedding']),
    layer('Flatten', 'item_flat', {}, ['item_embedding']),
    layer('GlobalAveragePooling1D', 'title_pool', {}, ['title_embedding']),
    layer('Dense', 'numbers_dense', { units: 3, activation: 'relu' }, ['numbers']),
    layer('Concatenate', 'joined', { axis: -1 }, ['user_flat', 'item_flat', 'title_pool', 'numbers_dense']),
    layer('Dense', 'out', { units: 1, activation: 'sigmoid' }, ['joined']),
  ],
  ['user', 'item', 'title', 'numbers'],
  'out',
  'binary_crossentropy',
);

const words = ['good', 'great', 'fine', 'bad', 'poor', 'dull', 'new', 'old'];

/** A CSV with two categorical-id columns, a text column and two numeric columns; the label depends on all of them. */
function recommenderProject(rows: number) {
  const dir = projectDir();
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(recommender));
  const lines = ['user,item,title,n0,n1,liked'];
  for (let r = 0; r < rows; r++) {
    const liked = r % 2 === 1;
    const title = [words[(r % 3) + (liked ? 0 : 3)], words[6 + (r % 2)], words[(r + 1) % 3 + (liked ? 0 : 3)]].join(' ');
    lines.push([r % 8, (r * 3) % 6, title, (liked ? 10 : 20) + (r % 7), (r % 5) * 100, liked ? 'yes' : 'no'].join(','));
  }
  fs.writeFileSync(path.join(dir, 'train.csv'), lines.join('\n') + '\n');
  return dir;
}

const recommenderInputs = [
  { features: ['user'], normalize: 'none' },
  { features: ['item'], normalize: 'none' },
  { text: { column: 'title', maxLength: 4, vocabulary: 20 } },
  { features: ['n0', 'n1'] },
];

function recommenderManifest(inputs: unknown[] = recommenderInputs, training: Record<string, unknown> = {}) {
  return Manifest.parse({
    name: 'recommender',
    task: 'classification',
    data: { train: 'train.csv', label: 'liked', inputs, split: { test: 0.25, validation: 0.2, seed: 1 } },
    model: { keras: 'model.json' },
    training: { epochs: 2, batchSize: 8, learningRate: 0.05, seed: 4, ...training },
  });
}

describe('data.inputs: one entry per model input, side by side in one row', () => {
  it('puts each entry\'s columns in model-input order: raw ids, token ids, standardized numbers', async () => {
    const dir = recommenderProject(40);
    const data = await loadTabularData(dir, recommenderManifest());
    expect(data.nFeatures).toBe(1 + 1 + 4 + 2);
    expect(data.inputColumns?.map((c) => c.size)).toEqual([1, 1, 4, 2]);
    expect(data.inputColumns?.[2]?.what).toBe('data.inputs[2] (text "title")');
    const column = (k: number) => Array.from({ length: data.nTrain }, (_, r) => data.xTrain[r * data.nFeatures + k]!);
    // Ids stay ids ("normalize": "none"), an Embedding's row numbers.
    expect(new Set(column(0))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(column(1).every((v) => Number.isInteger(v) && v >= 0 && v < 6)).toBe(true);
    // Token ids: 0 padding, 1 unknown, then the vocabulary.
    expect(column(2).every((v) => Number.isInteger(v) && v >= 2 && v < 22)).toBe(true);
    // The numeric entry is standardized with the training rows' statistics.
    const mean = column(6).reduce((a, b) => a + b, 0) / data.nTrain;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
    expect(data.normalization.kind).toBe('standard');
  });

  it('trains a 4-input functional model end to end with the loss the file was compiled with', async () => {
    const dir = recommenderProject(64);
    const messages: FromTrainer[] = [];
    const result = await trainModel({ repoDir: dir, manifest: recommenderManifest(), backend: 'cpu' }, (m) => messages.push(m));
    const losses = messages.flatMap((m) => (m.kind === 'epoch' ? [m.record.loss] : []));
    expect(losses).toHaveLength(2);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(result.warnings).toContain('The loss is binaryCrossentropy, as the model file was compiled ("binary_crossentropy"); set training.loss to change it');
    expect(result.metrics.roc_auc).toBeGreaterThanOrEqual(0);
    expect(result.labels).toEqual(['no', 'yes']);
  });

  it('says in one line when the entries do not match the model\'s inputs, in count or in columns', async () => {
    const dir = recommenderProject(16);
    const three = recommenderManifest(recommenderInputs.slice(0, 3));
    await expect(trainModel({ repoDir: dir, manifest: three, backend: 'cpu' }, () => undefined)).rejects.toThrow(
      /^model\.keras "model\.json": the model has 4 inputs \(user, item, title, numbers\) but data\.inputs has 3 entries; give one per model input, in order$/,
    );
    const longer = recommenderManifest([...recommenderInputs.slice(0, 2), { text: { column: 'title', maxLength: 5, vocabulary: 20 } }, recommenderInputs[3]]);
    await expect(trainModel({ repoDir: dir, manifest: longer, backend: 'cpu' }, () => undefined)).rejects.toThrow(
      /^model\.keras "model\.json": data\.inputs\[2\] \(text "title"\) gives 5 columns but the model's input 3 \("title"\) takes 4$/,
    );
  });

  it('is checked in the manifest: not with data.features or data.text, never the label, several only with a model file', () => {
    const base = { name: 'm', task: 'classification', model: { keras: 'model.json' } };
    const issues = (data: unknown, model: unknown = base.model) => {
      const parsed = Manifest.safeParse({ ...base, data, model });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ train: 't.csv', label: 'y', inputs: [{ features: ['a'] }], features: ['a'] })).toEqual([
      'data.features: not allowed with "inputs" (each entry names its own columns)',
    ]);
    expect(issues({ train: 't.csv', label: 'y', inputs: [{ features: ['a', 'y'] }] })).toEqual(['data.inputs.0: the label column "y" cannot be an input']);
    expect(issues({ train: 't.csv', label: 'y', inputs: [{ features: ['a'] }, { features: ['b'] }] }, { layers: [{ type: 'dense', units: 2 }] })).toEqual([
      'data.inputs: 2 inputs need a model file with as many inputs (model.keras or model.tfjs); "layers" has one',
    ]);
    expect(issues({ train: 't.csv', label: 'y', inputs: [{ features: ['a'] }, { text: { column: 'b', maxLength: 3, vocabulary: 9 } }] })).toEqual([]);
  });
});

describe('the loss a model file was compiled with', () => {
  it('refuses binary cross-entropy over several sigmoid units (multi-label) in one line', async () => {
    const dir = projectDir();
    const model = functional([input('x', [3]), layer('Dense', 'out', { units: 3, activation: 'sigmoid' }, ['x'])], ['x'], 'out', 'binary_crossentropy');
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
    fs.writeFileSync(path.join(dir, 'train.csv'), ['a,b,c,tag', ...Array.from({ length: 12 }, (_, r) => `${r},${r % 3},${r % 2},t${r % 3}`)].join('\n') + '\n');
    const manifest = Manifest.parse({ name: 'tags', task: 'classification', data: { train: 'train.csv', label: 'tag' }, model: { keras: 'model.json' }, training: { epochs: 1 } });
    await expect(trainModel({ repoDir: dir, manifest, backend: 'cpu' }, () => undefined)).rejects.toThrow(
      /^multi-label outputs are not supported yet: the model file was compiled with "binary_crossentropy" over 3 sigmoid units \(one yes\/no each\); set training\.loss to train it as one 3-class label$/,
    );
    // The real file of fixtures/real compiled that way (Keras 3 .h5: 5 sigmoid units, binary_crossentropy) too.
    const real = projectDir();
    fs.copyFileSync(path.join(fixtures, 'keras3-h5-lstm-5-sigmoid.json'), path.join(real, 'model.json'));
    const rows = Array.from({ length: 10 }, (_, r) => [...Array.from({ length: 128 }, (_, j) => (r * 31 + j * 7) % 1000), `c${r % 5}`].join(','));
    fs.writeFileSync(path.join(real, 'train.csv'), [[...Array.from({ length: 128 }, (_, j) => `f${j}`), 'tag'].join(','), ...rows].join('\n') + '\n');
    const realManifest = { ...manifest, data: { ...manifest.data, normalize: 'none' as const } };
    await expect(trainModel({ repoDir: real, manifest: realManifest, backend: 'cpu' }, () => undefined)).rejects.toThrow(
      /^multi-label outputs are not supported yet: the model file was compiled with "binary_crossentropy" over 5 sigmoid units/,
    );
    // Over softmax units the same loss is one label in disguise, and trains as one.
    const softmax = functional([input('x', [3]), layer('Dense', 'out', { units: 3, activation: 'softmax' }, ['x'])], ['x'], 'out', 'binary_crossentropy');
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(softmax));
    const one = await trainModel({ repoDir: dir, manifest, backend: 'cpu' }, () => undefined);
    expect(one.warnings).toContain('The model file was compiled with "binary_crossentropy" over 3 softmax units: trained as one 3-class label (sparseCategoricalCrossentropy)');
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
    // Asked for in the manifest, the same model trains as one 3-class label (the sigmoid outputs read as logits).
    const asked = { ...manifest, training: { ...manifest.training, loss: 'sparseCategoricalCrossentropy' as const } };
    const result = await trainModel({ repoDir: dir, manifest: asked, backend: 'cpu' }, () => undefined);
    expect(result.epochsRun).toBe(1);
    expect(result.warnings.some((w) => w.startsWith('The loss is'))).toBe(false);
  });
});

/** A tfjs model.json + weights.bin of a 1-unit sigmoid classifier p = σ(2·a − b + 0.5), as tfjs's converter writes one. */
async function shippedSigmoid(dir: string): Promise<void> {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2], name: 'score' })] });
  model.setWeights([tf.tensor2d([[2], [-1]]), tf.tensor1d([0.5])]);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      const json = { format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
}

describe('model.evaluate: the shipped model scored on the test rows, untrained', () => {
  it('scores a 1-unit sigmoid classifier as p(class 1): accuracy, log loss and ROC-AUC by hand agree', async () => {
    const dir = projectDir();
    await shippedSigmoid(dir);
    const row = (r: number) => ({ a: ((r * 37) % 11) / 5 - 1, b: ((r * 17) % 7) / 3 - 1, y: (r * 5) % 3 === 0 ? 'pos' : 'neg' });
    const csv = (rows: { a: number; b: number; y: string }[]) => ['a,b,y', ...rows.map((x) => `${x.a},${x.b},${x.y}`)].join('\n') + '\n';
    const test = Array.from({ length: 15 }, (_, r) => row(r + 100));
    fs.writeFileSync(path.join(dir, 'train.csv'), csv(Array.from({ length: 20 }, (_, r) => row(r))));
    fs.writeFileSync(path.join(dir, 'test.csv'), csv(test));
    const manifest = Manifest.parse({
      name: 'shipped',
      task: 'classification',
      data: { train: 'train.csv', test: 'test.csv', label: 'y', normalize: 'none' },
      model: { tfjs: 'model.json', evaluate: true },
      training: { epochs: 5, earlyStopping: { patience: 1 } },
    });
    const messages: FromTrainer[] = [];
    const result = await trainModel({ repoDir: dir, manifest, backend: 'cpu', checkpointDir: path.join(dir, 'ckpt') }, (m) => messages.push(m));
    expect(messages.some((m) => m.kind === 'epoch')).toBe(false);
    expect(result).toMatchObject({ epochsRun: 0, stoppedEarly: false, bestEpoch: null, checkpointDir: null });
    expect(fs.existsSync(path.join(dir, 'ckpt'))).toBe(false);
    expect(result.warnings).toContain('model.evaluate: the shipped model is evaluated on the test rows as it is, without training');

    // By hand: class 1 is "pos" (classes in order), p = σ(2a − b + 0.5).
    expect(result.labels).toEqual(['neg', 'pos']);
    const p = test.map((x) => 1 / (1 + Math.exp(-(2 * x.a - x.b + 0.5))));
    const t = test.map((x) => (x.y === 'pos' ? 1 : 0));
    const accuracy = p.filter((v, i) => (v > 0.5 ? 1 : 0) === t[i]).length / p.length;
    const logLoss = -p.reduce((s, v, i) => s + (t[i] ? Math.log(v) : Math.log(1 - v)), 0) / p.length;
    let pairs = 0;
    let won = 0;
    p.forEach((pi, i) => p.forEach((pj, j) => {
      if (t[i] === 1 && t[j] === 0) {
        pairs++;
        won += pi > pj ? 1 : pi === pj ? 0.5 : 0;
      }
    }));
    expect(result.metrics.accuracy).toBeCloseTo(accuracy, 6);
    expect(result.metrics.log_loss).toBeCloseTo(logLoss, 5);
    expect(result.metrics.roc_auc).toBeCloseTo(won / pairs, 6);
  });

  it('refuses a topology without weights in one line', async () => {
    const dir = recommenderProject(16);
    const manifest = recommenderManifest();
    const evaluate = { ...manifest, model: { ...manifest.model, evaluate: true } };
    await expect(trainModel({ repoDir: dir, manifest: evaluate, backend: 'cpu' }, () => undefined)).rejects.toThrow(
      /^model\.evaluate needs trained weights, but "model\.json" is a topology without them; ship a \.keras, \.h5 or tfjs model\.json with its weights$/,
    );
  });
});
