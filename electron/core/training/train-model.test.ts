import * as tf from '@tensorflow/tfjs-core';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { halfImagesCsv, makeTabularProject, tempDir, tokensCsv } from '../testing/git-fixtures.js';
import { loadManifest } from './load-manifest.js';
import { trainModel } from './train-model.js';
import type { FromTrainer } from './portable/trainer-protocol.js';

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const repo = makeTabularProject(path.join(root, 'blobs'), 6, 600);

describe('the training loop', () => {
  it('holds no more tensors after epoch 1 than at epoch 1, and leaves none behind', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await trainModel({ repoDir: repo, manifest: loadManifest(repo), backend: 'cpu' }, (m: FromTrainer) => {
      if (m.kind === 'epoch') counts.push(tf.memory().numTensors);
    });
    expect(counts).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early when the test loss stops improving, and saves a loadable tfjs checkpoint', async () => {
    const manifest = loadManifest(repo);
    const patient = { ...manifest, training: { ...manifest.training, epochs: 200, earlyStopping: { patience: 2, minDelta: 0, restoreBestWeights: true } } };
    const checkpointDir = path.join(root, 'checkpoint');
    const result = await trainModel({ repoDir: repo, manifest: patient, backend: 'cpu', checkpointDir }, () => {});
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBeLessThan(200);
    const modelJson = JSON.parse(fs.readFileSync(path.join(checkpointDir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    const weightBytes = fs.statSync(path.join(checkpointDir, 'weights.bin')).size;
    // 4 inputs → 16 → 3: (4·16 + 16) + (16·3 + 3) = 131 float32 weights.
    expect(weightBytes).toBe(131 * 4);
  });
});

describe('every layer family trains on the wasm backend', () => {
  const tokens = tokensCsv(200, 6);
  const images = halfImagesCsv(160, 6);

  const cases = {
    embedding: { csv: tokens, layers: [{ type: 'embedding', inputDim: 20, outputDim: 8 }, { type: 'globalAveragePooling1d' }, { type: 'dense', units: 2, activation: 'softmax' }] },
    lstm: { csv: tokens, layers: [{ type: 'embedding', inputDim: 20, outputDim: 8 }, { type: 'lstm', units: 8 }, { type: 'dense', units: 2, activation: 'softmax' }] },
    conv: {
      csv: images,
      layers: [
        { type: 'reshape', targetShape: [6, 6, 1] },
        { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' },
        { type: 'maxPooling2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 2, activation: 'softmax' },
      ],
    },
  } as const;

  for (const [name, { csv, layers }] of Object.entries(cases)) {
    it(`${name}: the loss falls over 4 epochs`, async () => {
      const dir = path.join(root, `family-${name}`);
      fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'data', 'train.csv'), csv);
      const manifest = {
        name,
        task: 'classification' as const,
        data: { train: 'data/train.csv', label: 'label', normalize: 'none' as const, split: { test: 0.2, validation: 0.1, seed: 1 } },
        model: { layers: layers.map((l) => ({ ...l })) as never },
        training: { epochs: 4, batchSize: 16, optimizer: 'adam' as const, learningRate: 0.02, seed: 3 },
      };
      const losses: number[] = [];
      const result = await trainModel({ repoDir: dir, manifest, backend: 'wasm' }, (m) => m.kind === 'epoch' && losses.push(m.record.loss));
      expect(losses).toHaveLength(4);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      expect(result.metrics.accuracy).toBeGreaterThan(0.5);
    });
  }
});
