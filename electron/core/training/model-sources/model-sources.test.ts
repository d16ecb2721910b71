import * as tf from '@tensorflow/tfjs-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { blobsCsv, halfImagesCsv, tempDir } from '../../testing/git-fixtures.js';
import { activateBackend } from '../backends.js';
import { trainModel } from '../train-model.js';
import type { FromTrainer } from '../portable/trainer-protocol.js';
import { loadModelSource } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const fixtureJson = (name: string): Json => JSON.parse(fixture(name)) as Json;

const root = tempDir('mc-model-sources-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await activateBackend('cpu');
});

/** y = 2·f0 − f1 + 0.5·f2·f3, seeded, for the regression fixture. */
function regressionCsv(rows: number): string {
  let s = 11;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const lines = ['f0,f1,f2,f3,y'];
  for (let i = 0; i < rows; i++) {
    const f = [rand(), rand(), rand(), rand()];
    lines.push([...f.map((v) => v.toFixed(4)), (2 * f[0]! - f[1]! + 0.5 * f[2]! * f[3]!).toFixed(4)].join(','));
  }
  return lines.join('\n') + '\n';
}

let projects = 0;
/** A project folder with a CSV and the given files; returns its folder and a parsed manifest. */
function project(files: Record<string, string | Buffer>, model: Json, opts: { csv?: string; task?: 'classification' | 'regression'; label?: string; seed?: number } = {}) {
  const dir = path.join(root, `p${++projects}`);
  for (const [file, content] of Object.entries({ 'data/train.csv': opts.csv ?? blobsCsv(240, 4, 3, 1), ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const manifest = Manifest.parse({
    name: 'fixture',
    task: opts.task ?? 'classification',
    data: { train: 'data/train.csv', label: opts.label ?? 'label', split: { test: 0.25, seed: 1 } },
    model,
    training: { epochs: 2, batchSize: 16, optimizer: 'adam', learningRate: 0.01, seed: opts.seed ?? 5 },
  });
  return { dir, manifest };
}

async function train(dir: string, manifest: Manifest, checkpointDir?: string) {
  const messages: FromTrainer[] = [];
  const result = await trainModel({ repoDir: dir, manifest, backend: 'cpu', ...(checkpointDir ? { checkpointDir } : {}) }, (m) => messages.push(m));
  const started = messages.find((m) => m.kind === 'started');
  const losses = messages.flatMap((m) => (m.kind === 'epoch' ? [m.record.loss] : []));
  return { result, parameters: started?.kind === 'started' ? started.parameters : NaN, losses };
}

async function weightsOf(dir: string, manifest: Manifest, inputs = 4, classes: number | null = 3): Promise<number[][]> {
  const { model } = await loadModelSource(dir, manifest, inputs, classes);
  const values = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.optimizer.dispose();
  model.dispose();
  return values;
}

describe('Keras topologies (tf.keras 2.15 model.to_json())', () => {
  it('a Sequential dense classifier trains 2 epochs', async () => {
    const { dir, manifest } = project({ 'model/keras.json': fixture('sequential-dense.json') }, { keras: 'model/keras.json' });
    const { result, parameters, losses } = await train(dir, manifest);
    expect(parameters).toBe(4 * 16 + 16 + 16 * 3 + 3);
    expect(losses).toHaveLength(2);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(result.metrics.accuracy).toBeGreaterThan(0);
  });

  it('a functional model with two branches trains 2 epochs as a regression', async () => {
    const { dir, manifest } = project(
      { 'keras/model.json': fixture('functional-regression.json') },
      { keras: 'keras/model.json' },
      { csv: regressionCsv(200), task: 'regression', label: 'y' },
    );
    const { result, parameters, losses } = await train(dir, manifest);
    expect(parameters).toBe(2 * (4 * 8 + 8) + 16 + 1);
    expect(losses).toHaveLength(2);
    expect(losses[1]!).toBeLessThan(losses[0]!);
    expect(result.metrics).toHaveProperty('r2');
  });

  it('a conv net reshaping flat pixel rows trains 2 epochs', async () => {
    const { dir, manifest } = project({ 'conv.json': fixture('conv-reshape.json') }, { keras: 'conv.json' }, { csv: halfImagesCsv(120, 6) });
    const { parameters, losses } = await train(dir, manifest);
    expect(parameters).toBe(3 * 3 * 1 * 4 + 4 + 36 * 2 + 2);
    expect(losses).toHaveLength(2);
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('also reads the older tf.keras 2.x format (no module, registered_name or build_config keys)', async () => {
    const strip = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(strip)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).filter(([k]) => !['module', 'registered_name', 'build_config'].includes(k)).map(([k, x]) => [k, strip(x)]))
          : v;
    const legacy = { ...(strip(fixtureJson('sequential-dense.json')) as Json), keras_version: '2.11.0' };
    const { dir, manifest } = project({ 'm.json': JSON.stringify(legacy) }, { keras: 'm.json' });
    const { model, parameters } = await loadModelSource(dir, manifest, 4, 3);
    expect(parameters).toBe(131);
    model.optimizer.dispose();
    model.dispose();
  });

  it('reads recurrent layers: Embedding and a Bidirectional LSTM (Keras\'s Orthogonal initializer drawn as seeded glorotUniform)', async () => {
    const init = (class_name: string, config: Json = { seed: null }) => ({ module: 'keras.initializers', class_name, config, registered_name: null });
    const none = { kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null };
    const lstm = {
      module: 'keras.layers',
      class_name: 'LSTM',
      config: {
        name: 'lstm', trainable: true, dtype: 'float32', return_sequences: false, return_state: false, go_backwards: false, stateful: false,
        unroll: false, time_major: false, units: 8, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true,
        kernel_initializer: init('GlorotUniform'), recurrent_initializer: init('Orthogonal', { gain: 1.0, seed: null }), bias_initializer: init('Zeros', {}),
        unit_forget_bias: true, ...none, dropout: 0.0, recurrent_dropout: 0.0, implementation: 2,
      },
      registered_name: null,
    };
    const json = fixtureJson('sequential-dense.json');
    json.config.layers.splice(1, 0,
      {
        module: 'keras.layers',
        class_name: 'Embedding',
        config: { name: 'embedding', trainable: true, dtype: 'float32', batch_input_shape: [null, 4], input_dim: 20, output_dim: 6, embeddings_initializer: init('RandomUniform', { minval: -0.05, maxval: 0.05, seed: null }), embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, mask_zero: false, input_length: 4 },
        registered_name: null,
        build_config: { input_shape: [null, 4] },
      },
      { module: 'keras.layers', class_name: 'Bidirectional', config: { name: 'bidirectional', trainable: true, dtype: 'float32', layer: lstm, merge_mode: 'concat' }, registered_name: null, build_config: { input_shape: [null, 4, 6] } },
    );
    const { dir, manifest } = project({ 'rnn.json': JSON.stringify(json) }, { keras: 'rnn.json' });
    const { model, parameters } = await loadModelSource(dir, manifest, 4, 3);
    expect(parameters).toBe(20 * 6 + 2 * (4 * 8 * (6 + 8) + 4 * 8) + (16 * 16 + 16) + (16 * 3 + 3));
    model.optimizer.dispose();
    model.dispose();
  });

  it('draws the same initial weights for the same seed, and other weights for another seed', async () => {
    const a = project({ 'm.json': fixture('conv-reshape.json') }, { keras: 'm.json' }, { seed: 21 });
    const b = project({ 'm.json': fixture('conv-reshape.json') }, { keras: 'm.json' }, { seed: 22 });
    const first = await weightsOf(a.dir, a.manifest, 36, 2);
    const again = await weightsOf(a.dir, a.manifest, 36, 2);
    const other = await weightsOf(b.dir, b.manifest, 36, 2);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first[0]!.some((v) => v !== 0)).toBe(true);
  });
});

describe('tfjs models (fine-tuning)', () => {
  it('fine-tunes a checkpoint written by saveCheckpoint, starting from its saved weights', async () => {
    const { dir, manifest } = project({ 'k.json': fixture('sequential-dense.json') }, { keras: 'k.json' });
    await train(dir, manifest, path.join(dir, 'model'));

    const tuned = { ...manifest, model: { tfjs: 'model/model.json' } };
    const saved = fs.readFileSync(path.join(dir, 'model', 'weights.bin'));
    const loaded = (await weightsOf(dir, tuned)).flat();
    expect(loaded).toEqual(Array.from(new Float32Array(saved.buffer, saved.byteOffset, saved.byteLength / 4)));

    const { parameters, losses } = await train(dir, tuned);
    expect(parameters).toBe(131);
    expect(losses).toHaveLength(2);
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('reads weights split over several files, in manifest order', async () => {
    const { dir, manifest } = project({ 'k.json': fixture('functional-regression.json') }, { keras: 'k.json' }, { csv: regressionCsv(80), task: 'regression', label: 'y' });
    await train(dir, manifest, path.join(dir, 'ckpt'));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'ckpt', 'model.json'), 'utf8')) as Json;
    const bin = fs.readFileSync(path.join(dir, 'ckpt', 'weights.bin'));
    fs.writeFileSync(path.join(dir, 'ckpt', 'part1.bin'), bin.subarray(0, 64));
    fs.writeFileSync(path.join(dir, 'ckpt', 'part2.bin'), bin.subarray(64));
    json.weightsManifest[0].paths = ['part1.bin', 'part2.bin'];
    fs.writeFileSync(path.join(dir, 'ckpt', 'split.json'), JSON.stringify(json));
    const loaded = (await weightsOf(dir, { ...manifest, model: { tfjs: 'ckpt/split.json' } }, 4, null)).flat();
    expect(loaded).toEqual(Array.from(new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4)));
  });
});

describe('refusals', () => {
  const keras = (json: unknown, opts: Parameters<typeof project>[2] = {}) => project({ 'm.json': typeof json === 'string' ? json : JSON.stringify(json) }, { keras: 'm.json' }, opts);
  const load = (p: { dir: string; manifest: Manifest }, inputs = 4, classes: number | null = 3) => loadModelSource(p.dir, p.manifest, inputs, classes);
  const withLayer = (layer: Json, at = 2) => {
    const json = fixtureJson('sequential-dense.json');
    json.config.layers.splice(at, 0, layer);
    return json;
  };

  it('a Lambda layer (Python bytecode)', async () => {
    const lambda = {
      module: 'keras.layers',
      class_name: 'Lambda',
      config: {
        name: 'lambda',
        trainable: true,
        dtype: 'float32',
        function: ['4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwCpAk7pAgAAAKkAqQHaAXhyAwAAAHIDAAAA+gc8c3RkaW4++gg8bGFtYmRhPgEAAADzAAAAAA==', null, null],
        function_type: 'lambda',
        module: '__main__',
        output_shape: null,
        output_shape_type: 'raw',
        output_shape_module: null,
        arguments: {},
      },
      registered_name: null,
      build_config: { input_shape: [null, 16] },
    };
    await expect(load(keras(withLayer(lambda)))).rejects.toThrow(/^model\.keras "m\.json": layer 3 \("lambda"\) is a Lambda: it carries Python code or a TensorFlow op, which ModelCommons never runs/);
  });

  it('a custom activation function and a custom registered class', async () => {
    const json = fixtureJson('sequential-dense.json');
    json.config.layers[1].config.activation = { module: 'builtins', class_name: 'function', config: 'my_activation', registered_name: 'function' };
    await expect(load(keras(json))).rejects.toThrow(/layer 2 \("dense"\): the activation "my_activation" is not one tfjs has/);
    const custom = { module: 'my_layers', class_name: 'Scale', config: { name: 'scale', trainable: true, dtype: 'float32' }, registered_name: 'Custom>Scale' };
    await expect(load(keras(withLayer(custom)))).rejects.toThrow(/custom class "Custom>Scale"/);
  });

  it('a layer class tfjs does not implement, by name', async () => {
    const mha = { module: 'keras.layers', class_name: 'MultiHeadAttention', config: { name: 'mha', num_heads: 2, key_dim: 4 }, registered_name: null };
    await expect(load(keras(withLayer(mha)))).rejects.toThrow(/layer 3 \("mha"\) is a MultiHeadAttention, a layer class tfjs does not implement/);
  });

  it('a tf.keras 2.x TFOpLambda op and a Keras 3 op layer (NotEqual), naming the layer and the op', async () => {
    const tfop = { class_name: 'TFOpLambda', config: { name: 'tf.math.not_equal', trainable: true, dtype: 'float32', function: 'math.not_equal' } };
    await expect(load(keras(withLayer(tfop)))).rejects.toThrow(/layer 3 \("tf\.math\.not_equal"\) is a TFOpLambda \(the op math\.not_equal\)/);
    const op = { module: 'keras.src.ops.numpy', class_name: 'NotEqual', config: { name: 'not_equal' }, registered_name: 'NotEqual' };
    await expect(load(keras(withLayer(op)))).rejects.toThrow(/layer 3 \("not_equal"\) is the op NotEqual \(keras\.src\.ops\.numpy\), which tfjs layers cannot run/);
  });

  it('a Keras 3 topology loads (more in real-models.test.ts, keras-weights.test.ts); a broken .keras archive is refused', async () => {
    const keras3 = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        trainable: true,
        dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
          fixtureJson('sequential-dense.json').config.layers[3],
        ],
        build_input_shape: [null, 4],
      },
      registered_name: null,
      build_config: { input_shape: [null, 4] },
    };
    const loaded = await load(keras(keras3));
    expect(loaded.parameters).toBe(4 * 3 + 3);
    loaded.model.dispose();
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64)]);
    const p = project({ 'model.keras': zip }, { keras: 'model.keras' });
    await expect(load(p)).rejects.toThrow(/model\.keras "model\.keras" is not a readable \.keras archive/);
  });

  it('an input size that does not match the data, naming both (a matching [h, w, c] gets a Reshape in front)', async () => {
    await expect(load(keras(fixture('sequential-dense.json')), 5)).rejects.toThrow(/inputs of shape \[4\] but the data has 5 features per row/);
    const json = fixtureJson('conv-reshape.json');
    json.config.layers.splice(0, 2, { module: 'keras.layers', class_name: 'InputLayer', config: { batch_input_shape: [null, 6, 6, 1], dtype: 'float32', sparse: false, ragged: false, name: 'image' }, registered_name: null });
    await expect(load(keras(json), 35, 2)).rejects.toThrow(/shape \[6, 6, 1\] but the data has 35 features per row$/);
    const fitted = await load(keras(json), 36, 2);
    expect(fitted.reshapedTo).toEqual([6, 6, 1]);
    expect(fitted.model.inputs[0]!.shape).toEqual([null, 36]);
    fitted.model.dispose();
  });

  it('output units that do not match the classes or the regression', async () => {
    await expect(load(keras(fixture('functional-regression.json')), 4, 3)).rejects.toThrow(/outputs 1 units but the data has 3 classes/);
    await expect(load(keras(fixture('sequential-dense.json'), { task: 'regression' }), 4, null)).rejects.toThrow(/outputs 3 units; a regression model needs 1/);
  });

  it('too many parameters, counted without allocating a weight', async () => {
    const json = fixtureJson('sequential-dense.json');
    json.config.layers[1].config.units = 10_000_000;
    const before = tf.memory();
    await expect(load(keras(json))).rejects.toThrow(/The model has 80,000,003 parameters; the limit is 50,000,000/);
    json.config.layers[1].config.units = 1_000_000_000;
    await expect(load(keras(json))).rejects.toThrow(/The model has 8,000,000,003 parameters; the limit is 50,000,000/);
    const conv = fixtureJson('conv-reshape.json');
    conv.config.layers[2].config.filters = 5_000_000;
    await expect(load(keras(conv), 36, 2)).rejects.toThrow(/The model has [\d,]+ parameters; the limit is 50,000,000/);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('paths that leave the project: "..", absolute, or a symlink outside', async () => {
    fs.writeFileSync(path.join(root, 'outside.json'), fixture('sequential-dense.json'));
    const up = project({}, { keras: '../outside.json' });
    await expect(load(up)).rejects.toThrow(/escapes the project folder/);
    const link = project({}, { keras: 'model.json' });
    fs.symlinkSync(path.join(root, 'outside.json'), path.join(link.dir, 'model.json'));
    await expect(load(link)).rejects.toThrow(/link that points outside the project folder/);
  });

  describe('tfjs weights', () => {
    let checkpoint: { dir: string; manifest: Manifest; json: Json };
    beforeAll(async () => {
      const p = project({ 'k.json': fixture('sequential-dense.json') }, { keras: 'k.json' });
      await train(p.dir, p.manifest, path.join(p.dir, 'model'));
      checkpoint = { ...p, json: JSON.parse(fs.readFileSync(path.join(p.dir, 'model', 'model.json'), 'utf8')) as Json };
    });
    const variant = (name: string, paths: string[]) => {
      const json = structuredClone(checkpoint.json);
      json.weightsManifest[0].paths = paths;
      fs.writeFileSync(path.join(checkpoint.dir, 'model', name), JSON.stringify(json));
      return { dir: checkpoint.dir, manifest: { ...checkpoint.manifest, model: { tfjs: `model/${name}` } } };
    };

    it('a weights path with "..", an absolute one, or a URL', async () => {
      fs.copyFileSync(path.join(checkpoint.dir, 'model', 'weights.bin'), path.join(root, 'stolen.bin'));
      await expect(load(variant('up.json', ['../../stolen.bin']))).rejects.toThrow(/weights file "..\/stolen.bin" escapes the project folder/);
      await expect(load(variant('abs.json', [path.join(root, 'stolen.bin')]))).rejects.toThrow(/is absolute or a URL/);
      await expect(load(variant('url.json', ['https://example.org/weights.bin']))).rejects.toThrow(/is absolute or a URL/);
    });

    it('a weights file that is a symlink outside the project', async () => {
      fs.symlinkSync(path.join(root, 'stolen.bin'), path.join(checkpoint.dir, 'model', 'linked.bin'));
      await expect(load(variant('link.json', ['linked.bin']))).rejects.toThrow(/link that points outside the project folder/);
    });

    it('a missing weights file, or one of the wrong size', async () => {
      await expect(load(variant('missing.json', ['nowhere.bin']))).rejects.toThrow(/weights file "model\/nowhere.bin" does not exist in the project/);
      fs.writeFileSync(path.join(checkpoint.dir, 'model', 'short.bin'), Buffer.alloc(12));
      await expect(load(variant('short.json', ['short.bin']))).rejects.toThrow(/hold 12 bytes but the weightsManifest describes 524/);
    });

    it('a tfjs model whose input does not match the data', async () => {
      await expect(load(variant('ok.json', ['weights.bin']), 7)).rejects.toThrow(/inputs of shape \[4\] but the data has 7 features per row/);
    });
  });
});
