// A functional model of several inputs (Embedding branches and a numeric branch joined by Concatenate) takes one
// flat row whose columns are its inputs side by side, and predicts exactly as the model fed its inputs apart.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { tempDir } from '../../testing/git-fixtures.js';
import { dtypePolicy, keras3Input, keras3Layer } from '../../testing/keras3-config.js';
import { activateBackend } from '../backends.js';
import { trainModel } from '../train-model.js';
import type { FromTrainer } from '../portable/trainer-protocol.js';
import { loadModelSource } from './index.js';
import { normalizeKeras } from './keras-config.js';

const root = tempDir('mc-multi-input-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await activateBackend('cpu');
});

const layer = (class_name: string, name: string, config: Record<string, unknown>, inputs: string[]) => keras3Layer(class_name, name, config, inputs, dtypePolicy);
const input = keras3Input;

/** A Keras 3 functional config (the `{"args", "kwargs"}` node form): title and body token ids, 3 numeric columns. */
const keras3 = {
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name: 'functional',
    trainable: true,
    layers: [
      input('title', [4]),
      input('body', [6]),
      input('numbers', [3]),
      layer('Embedding', 'title_embedding', { input_dim: 30, output_dim: 3, embeddings_initializer: { module: 'keras.initializers', class_name: 'RandomUniform', config: { seed: null, minval: -0.05, maxval: 0.05 }, registered_name: null } }, ['title']),
      layer('Embedding', 'body_embedding', { input_dim: 30, output_dim: 3 }, ['body']),
      layer('GlobalAveragePooling1D', 'title_pool', {}, ['title_embedding']),
      layer('GlobalAveragePooling1D', 'body_pool', {}, ['body_embedding']),
      layer('Dense', 'numbers_dense', { units: 4, activation: 'relu' }, ['numbers']),
      layer('Concatenate', 'concatenate', { axis: -1 }, ['title_pool', 'body_pool', 'numbers_dense']),
      layer('Dense', 'out', { units: 1, activation: 'sigmoid' }, ['concatenate']),
    ],
    input_layers: [['title', 0, 0], ['body', 0, 0], ['numbers', 0, 0]],
    output_layers: [['out', 0, 0]],
  },
  registered_name: 'Functional',
  compile_config: { loss: 'binary_crossentropy', metrics: ['accuracy'] },
};

function project(rows: number) {
  const dir = path.join(root, `p${rows}`);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(keras3));
  const header = [...Array.from({ length: 10 }, (_, i) => `t${i}`), 'n0', 'n1', 'n2', 'label'];
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const c = r % 2;
    lines.push([...Array.from({ length: 10 }, (_, j) => (c ? 15 : 0) + ((r + j) % 15)), (c + 0.1 * (r % 5)).toFixed(2), (r % 3).toFixed(1), '0.5', c ? 'yes' : 'no'].join(','));
  }
  fs.writeFileSync(path.join(dir, 'data', 'train.csv'), lines.join('\n') + '\n');
  const manifest = Manifest.parse({
    name: 'multi',
    task: 'classification',
    data: { train: 'data/train.csv', label: 'label', split: { test: 0.25, seed: 1 }, normalize: 'none' },
    model: { keras: 'model.json' },
    training: { epochs: 2, batchSize: 8, optimizer: 'adam', learningRate: 0.02, seed: 4 },
  });
  return { dir, manifest };
}

describe('a functional model with several inputs', () => {
  it('takes the inputs as consecutive columns of one row, predicting as the model fed each input apart', async () => {
    const { dir, manifest } = project(16);
    const loaded = await loadModelSource(dir, manifest, 13, 2);
    expect(loaded.inputs).toEqual([
      { name: 'title', begin: 0, size: 4, shape: [4] },
      { name: 'body', begin: 4, size: 6, shape: [6] },
      { name: 'numbers', begin: 10, size: 3, shape: [3] },
    ]);
    expect(loaded.model.inputs.map((i) => i.shape)).toEqual([[null, 13]]);
    // The same config built as Keras has it: three inputs, given the same weights layer by layer.
    const apart = await tfl.models.modelFromJSON({ modelTopology: normalizeKeras(keras3, 'm').topology as never });
    for (const l of apart.layers) if (l.weights.length) l.setWeights(loaded.model.getLayer(l.name).getWeights());
    const rows = tf.tensor2d(Array.from({ length: 3 * 13 }, (_, i) => (i % 13 < 10 ? (i * 7) % 30 : (i % 13) / 10)), [3, 13]);
    const whole = Array.from((loaded.model.predict(rows) as tf.Tensor).dataSync());
    const parts = [tf.slice(rows, [0, 0], [-1, 4]), tf.slice(rows, [0, 4], [-1, 6]), tf.slice(rows, [0, 10], [-1, 3])];
    const separate = Array.from((apart.predict(parts) as tf.Tensor).dataSync());
    whole.forEach((v, i) => expect(v).toBeCloseTo(separate[i]!, 6));
  });

  it('trains 2 epochs on a flat CSV with the three inputs side by side', async () => {
    const { dir, manifest } = project(48);
    const messages: FromTrainer[] = [];
    const result = await trainModel({ repoDir: dir, manifest, backend: 'cpu' }, (m) => messages.push(m));
    const losses = messages.flatMap((m) => (m.kind === 'epoch' ? [m.record.loss] : []));
    expect(losses).toHaveLength(2);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(result.metrics).toHaveProperty('accuracy');
  });

  it('says in one line when the inputs do not add up to the data', async () => {
    const { dir, manifest } = project(8);
    await expect(loadModelSource(dir, manifest, 12, 2)).rejects.toThrow(
      /^model\.keras "model\.json": the model's 3 inputs take 4 \(title\) \+ 6 \(body\) \+ 3 \(numbers\) = 13 features but the data has 12 per row$/,
    );
  });
});
