import * as tf from '@tensorflow/tfjs-core';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTabularProject, tempDir } from '../testing/git-fixtures.js';
import { loadManifest } from './load-manifest.js';
import { trainModel } from './train-model.js';
import type { FromTrainer } from './trainer-protocol.js';

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
    const patient = { ...manifest, training: { ...manifest.training, epochs: 200, earlyStopping: { patience: 2, minDelta: 0 } } };
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
