// Weights as shipped: .keras archives and .h5 files written here with h5wasm (and zipped with fflate) load into a
// model that predicts exactly as the tfjs model built from the same topology with the same weights.
import * as tf from '@tensorflow/tfjs-core';
import { zipSync } from 'fflate';
import h5wasm from 'h5wasm/node';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { tempDir } from '../../testing/git-fixtures.js';
import { activateBackend } from '../backends.js';
import { loadModelSource } from './index.js';
import { snakeCase } from './keras-weights.js';

const real = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'real');
const realText = (name: string) => fs.readFileSync(path.join(real, name), 'utf8');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = tempDir('mc-keras-weights-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await activateBackend('cpu');
  await h5wasm.ready;
});

let n = 0;
function project(files: Record<string, string | Uint8Array>, model: string, task: 'classification' | 'regression' = 'classification') {
  const dir = path.join(root, `p${++n}`);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return { dir, manifest: Manifest.parse({ name: 'w', task, data: { train: 'd.csv', label: 'y' }, model: { keras: model }, training: { epochs: 1, seed: 9 } }) };
}

let seed = 7;
const rand = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 1 | seed) + 0x6d2b79f5) >>> 0) / 4294967296);
const randomArray = (shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rand() - 0.5) * 0.6);

/** An HDF5 file written by h5wasm: `datasets` maps slash paths to float32 arrays; `attrs` go on the root. */
function writeH5(file: string, datasets: Record<string, { shape: number[]; data: Float32Array }>, attrs: Record<string, string> = {}, groupAttrs: Record<string, Record<string, string[]>> = {}) {
  const f = new h5wasm.File(file, 'w');
  const ensure = (p: string) => {
    let at = '';
    for (const part of p.split('/').filter(Boolean)) {
      at += `/${part}`;
      if (!f.get(at)) f.create_group(at);
    }
  };
  for (const [name, value] of Object.entries(attrs)) f.create_attribute(name, value);
  for (const [p, { shape, data }] of Object.entries(datasets)) {
    ensure(path.posix.dirname(p));
    f.create_dataset({ name: p, data, shape, dtype: '<f' });
  }
  for (const [p, a] of Object.entries(groupAttrs)) {
    ensure(p);
    const g = f.get(p) as InstanceType<typeof h5wasm.Group>;
    for (const [name, value] of Object.entries(a)) g.create_attribute(name, value);
  }
  f.close();
}

async function predictions(model: { predict: (x: tf.Tensor) => unknown }, x: tf.Tensor): Promise<number[]> {
  return Array.from(await (model.predict(x) as tf.Tensor).data());
}

describe('a Keras 3 .keras archive (config.json + model.weights.h5)', () => {
  // The real Embedding + GRU(reset_after) binary classifier of fixtures/real, with weights written here.
  const config = realText('keras3-gru-reset-after.json');
  const shapes: Record<string, number[][]> = { embedding: [[500, 16]], 'gru/cell': [[16, 24], [8, 24], [2, 24]], dense: [[8, 1], [1]] };
  const weights = Object.fromEntries(Object.entries(shapes).map(([layer, list]) => [layer, list.map((s) => ({ shape: s, data: randomArray(s) }))]));

  function archive(extra: Record<string, Uint8Array> = {}): Uint8Array {
    const file = path.join(root, `w${++n}.h5`);
    const datasets: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [layer, list] of Object.entries(weights)) list.forEach((w, i) => (datasets[`/layers/${layer}/vars/${i}`] = w));
    // The optimizer's slots are in the file too, and ignored.
    datasets['/optimizer/vars/1'] = { shape: [8, 24], data: randomArray([8, 24]) };
    writeH5(file, datasets);
    return zipSync({
      'metadata.json': new TextEncoder().encode('{"keras_version": "3.10.0", "date_saved": "2025-01-01@00:00:00"}'),
      'config.json': new TextEncoder().encode(config),
      'model.weights.h5': fs.readFileSync(file),
      ...extra,
    });
  }

  it('loads the shipped weights: predictions equal the tfjs model built from the same config with those weights', async () => {
    const shipped = project({ 'model.keras': archive() }, 'model.keras');
    const fromArchive = await loadModelSource(shipped.dir, shipped.manifest, 100, 2);
    const plain = project({ 'config.json': config }, 'config.json');
    const reference = await loadModelSource(plain.dir, plain.manifest, 100, 2);
    const ordered = [...weights.embedding!, ...weights['gru/cell']!, ...weights.dense!].map((w) => tf.tensor(w.data, w.shape));
    reference.model.setWeights(ordered);
    const x = tf.tensor2d(Array.from({ length: 3 * 100 }, (_, i) => (i * 37) % 500), [3, 100]);
    const a = await predictions(fromArchive.model, x);
    const b = await predictions(reference.model, x);
    expect(a).toEqual(b);
    // And not the seeded initial weights: the archive's weights were used.
    const seeded = await loadModelSource(plain.dir, plain.manifest, 100, 2);
    expect(await predictions(seeded.model, x)).not.toEqual(a);
    expect(fromArchive.declared).toEqual({ loss: 'binaryCrossentropy', metrics: ['accuracy'], fileLoss: 'binary_crossentropy' });
  });

  it('refuses a zip bomb by its declared sizes, and too many entries, before inflating anything', async () => {
    const bytes = Buffer.from(archive());
    // Declare model.weights.h5 as 4 GB in its central-directory entry (uncompressed size at offset 24).
    const name = Buffer.from('model.weights.h5');
    for (let at = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
      if (bytes.subarray(at + 46, at + 46 + name.length).equals(name)) bytes.writeUInt32LE(0xfffffff0, at + 24);
    }
    const bomb = project({ 'model.keras': bytes }, 'model.keras');
    await expect(loadModelSource(bomb.dir, bomb.manifest, 100, 2)).rejects.toThrow(/model\.weights\.h5 would inflate to 4,294,967,280 bytes; the limit is [\d,]+$/);
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`assets/${i}.txt`, new Uint8Array(1)]));
    const crowded = project({ 'model.keras': archive(many) }, 'model.keras');
    await expect(loadModelSource(crowded.dir, crowded.manifest, 100, 2)).rejects.toThrow(/the archive has 23 entries; a \.keras archive has 3/);
    const broken = project({ 'model.keras': Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64)]) }, 'model.keras');
    await expect(loadModelSource(broken.dir, broken.manifest, 100, 2)).rejects.toThrow(/is not a readable \.keras archive|has no config\.json/);
  });

  it('names the variable whose shape does not fit its layer', async () => {
    const saved = weights.dense![0]!;
    weights.dense![0] = { shape: [4, 2], data: randomArray([4, 2]) };
    const bad = project({ 'model.keras': archive() }, 'model.keras');
    weights.dense![0] = saved;
    await expect(loadModelSource(bad.dir, bad.manifest, 100, 2)).rejects.toThrow(/layers\/dense\/vars\/0 has shape \[4, 2\] but layer "dense_3" needs \[8, 1\]/);
  });
});

describe('a Keras .h5 (model_config attribute + model_weights groups)', () => {
  // The real Keras 3 legacy-h5 Embedding + LSTM model of fixtures/real (5 sigmoid units), weights written here.
  const full = JSON.parse(realText('keras3-h5-lstm-5-sigmoid.json')) as Json;
  const { training_config: trainingConfig, keras_version: version, backend, ...modelConfig } = full;
  const layers: Record<string, [string, number[]][]> = {
    embedding_3: [['embedding_3/embeddings', [4136, 100]]],
    lstm: [['sequential_3/lstm/lstm_cell/kernel', [100, 256]], ['sequential_3/lstm/lstm_cell/recurrent_kernel', [64, 256]], ['sequential_3/lstm/lstm_cell/bias', [256]]],
    dense_6: [['sequential_3/dense_6/kernel', [64, 64]], ['sequential_3/dense_6/bias', [64]]],
    dense_7: [['sequential_3/dense_7/kernel', [64, 5]], ['sequential_3/dense_7/bias', [5]]],
  };
  const values = Object.fromEntries(Object.entries(layers).map(([l, list]) => [l, list.map(([, s]) => randomArray(s))]));

  function h5(withConfig = true): string {
    const file = path.join(root, `m${++n}.h5`);
    const datasets: Record<string, { shape: number[]; data: Float32Array }> = {};
    const groupAttrs: Record<string, Record<string, string[]>> = {};
    for (const [layer, list] of Object.entries(layers)) {
      list.forEach(([name, shape], i) => (datasets[`/model_weights/${layer}/${name}`] = { shape, data: values[layer]![i]! }));
      groupAttrs[`/model_weights/${layer}`] = { weight_names: list.map(([name]) => name) };
    }
    const attrs: Record<string, string> = withConfig
      ? { model_config: JSON.stringify(modelConfig), training_config: JSON.stringify(trainingConfig), keras_version: String(version), backend: String(backend) }
      : {};
    writeH5(file, datasets, attrs, groupAttrs);
    return file;
  }

  it('loads the weights by layer name and weight_names: predictions equal the tfjs model given the same weights', async () => {
    const shipped = project({ 'model.h5': fs.readFileSync(h5()) }, 'model.h5');
    const fromH5 = await loadModelSource(shipped.dir, shipped.manifest, 128, 5);
    const plain = project({ 'model.json': JSON.stringify(modelConfig) }, 'model.json');
    const reference = await loadModelSource(plain.dir, plain.manifest, 128, 5);
    // Layer by layer: the model's own weight list puts non-trainable weights (this Embedding's) last.
    for (const [l, list] of Object.entries(layers)) reference.model.getLayer(l).setWeights(list.map(([, s], i) => tf.tensor(values[l]![i]!, s)));
    const x = tf.tensor2d(Array.from({ length: 2 * 128 }, (_, i) => (i * 13) % 4136), [2, 128]);
    expect(await predictions(fromH5.model, x)).toEqual(await predictions(reference.model, x));
    expect(fromH5.declared?.loss).toBe('binaryCrossentropy');
  });

  it('refuses a weights-only .h5 in one line', async () => {
    const only = project({ 'weights.h5': fs.readFileSync(h5(false)) }, 'weights.h5');
    await expect(loadModelSource(only.dir, only.manifest, 128, 5)).rejects.toThrow(/holds weights only \(no model_config\); give the model's topology JSON instead$/);
  });
});

it("names weight groups as Keras 3 does (its to_snake_case of the class)", () => {
  expect(['Dense', 'Conv2D', 'BatchNormalization', 'GRU', 'SimpleRNN', 'MaxPooling2D', 'GlobalAveragePooling1D', 'SeparableConv2D'].map(snakeCase)).toEqual([
    'dense', 'conv2d', 'batch_normalization', 'gru', 'simple_rnn', 'max_pooling2d', 'global_average_pooling1d', 'separable_conv2d',
  ]);
});
