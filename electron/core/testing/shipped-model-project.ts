// A git repository shipping a trained tfjs classifier, for the "evaluate the shipped model" tests: model.json +
// weights.bin of p = σ(3a − 0.5), which classifies its CSV's rows exactly (a fresh, untrained model would not).
import fs from 'node:fs';
import path from 'node:path';
import { makeRepo } from './git-fixtures.js';

/** Writes the repository at `dir` and returns it; `model: 'topology'` names the topology alone (no weights) instead. */
export function makeShippedModelProject(dir: string, model: 'tfjs' | 'topology' = 'tfjs'): string {
  fs.mkdirSync(dir, { recursive: true });
  const dense = {
    class_name: 'Dense',
    config: {
      name: 'score',
      trainable: true,
      dtype: 'float32',
      batch_input_shape: [null, 1],
      units: 1,
      activation: 'sigmoid',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
    },
  };
  const modelTopology = { class_name: 'Sequential', config: { name: 'shipped', layers: [dense] }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' };
  const weights = [
    { name: 'score/kernel', shape: [1, 1], dtype: 'float32' },
    { name: 'score/bias', shape: [1], dtype: 'float32' },
  ];
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights }] }));
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(Float32Array.from([3, -0.5]).buffer));
  // The same topology alone, as Keras's model.to_json() writes one: nothing trained to evaluate.
  fs.writeFileSync(path.join(dir, 'topology.json'), JSON.stringify(modelTopology));
  const rows = Array.from({ length: 40 }, (_, r) => ((r * 7) % 20) / 10 - 1);
  const manifest = {
    name: path.basename(dir),
    task: 'classification',
    data: { train: 'data.csv', label: 'y', normalize: 'none', split: { test: 0.5, validation: 0, seed: 3 } },
    model: model === 'tfjs' ? { tfjs: 'model.json' } : { keras: 'topology.json' },
    training: { epochs: 3 },
  };
  return makeRepo(dir, [
    {
      author: 'Ada Lovelace',
      email: 'ada@example.org',
      message: 'Ship the trained model',
      files: {
        'data.csv': ['a,y', ...rows.map((a) => `${a},${a > 1 / 6 ? 'up' : 'down'}`)].join('\n') + '\n',
        'modelcommons.json': JSON.stringify(manifest),
      },
    },
  ]);
}
