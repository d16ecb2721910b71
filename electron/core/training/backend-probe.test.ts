import * as tf from '@tensorflow/tfjs-core';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/git-fixtures.js';
import { chooseAuto, chooseHere } from './auto-backend.js';
import { chooseBackend, missingKernel, probeBackends, probeCacheKey, readProbeCache } from './backend-probe.js';
import { buildModel } from './portable/build-model.js';
import type { TabularData } from './data/index.js';
import { modelProbeTarget } from './portable/probe-target.js';
import type { ProbeFigure } from './portable/trainer-protocol.js';
import type { Manifest } from '../../../shared/manifest.js';

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// 64 rows of 8 features, two classes.
const data: TabularData = {
  featureNames: Array.from({ length: 8 }, (_, i) => `f${i}`),
  xTrain: Float32Array.from({ length: 64 * 8 }, (_, i) => ((i * 37) % 17) / 17),
  yTrain: Float32Array.from({ length: 64 }, (_, i) => i % 2),
  nTrain: 64,
  xVal: new Float32Array(8),
  yVal: new Float32Array(1),
  nVal: 1,
  xTest: new Float32Array(8),
  yTest: new Float32Array(1),
  nTest: 1,
  nFeatures: 8,
  labels: ['a', 'b'],
  normalization: { kind: 'none', offset: [], scale: [] },
  warnings: [],
};
const manifest = (layers: unknown[]) =>
  ({
    name: 'probe',
    task: 'classification',
    data: { train: 'x.csv', label: 'y', split: { test: 0.2, seed: 1 }, normalize: 'none' },
    model: { layers },
    training: { epochs: 1, batchSize: 16, optimizer: 'adam', learningRate: 0.01, seed: 1 },
  }) as unknown as Manifest;
const dense = manifest([{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }]);
const target = (m: Manifest) => modelProbeTarget(async () => buildModel(m, 8, 2), data, 'classification', 16);

describe('choosing the backend by measurement', () => {
  it('probes every backend: the optional ones say they are not installed, wasm and cpu report a speed', async () => {
    const before = tf.memory().numTensors;
    const probes = await probeBackends(['tfjs-node', 'wasm', 'cpu'], target(dense), 100);
    expect(probes.map((p) => p.backend)).toEqual(['tfjs-node', 'wasm', 'cpu']);
    expect(probes[0]).toMatchObject({ samplesPerSecond: null, reason: expect.stringMatching(/not installed \(npm install @tensorflow\/tfjs-node\)/) });
    for (const p of probes.slice(1)) {
      expect(p.samplesPerSecond).toBeGreaterThan(0);
      expect(p.device).toMatch(/^CPU/);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('auto starts the fastest, caches the figures per machine and model shape, and reuses them', async () => {
    const file = path.join(root, 'probes.json');
    const key = probeCacheKey({ layers: dense.model.layers, inputs: 8 });
    const first = await chooseBackend('auto', target(dense), { file, key });
    const best = first.probes.filter((p) => p.samplesPerSecond !== null).sort((a, b) => b.samplesPerSecond! - a.samplesPerSecond!)[0]!;
    if (first.kind !== 'here') throw new Error('no rivals, so no handoff');
    expect(first.active.backend).toBe(best.backend);
    expect(tf.getBackend()).toBe(best.backend === 'wasm' ? 'wasm' : 'cpu');
    expect(readProbeCache(file, key)).toEqual(first.probes);
    let measured = 0;
    const counting = { measure: async (ms: number) => (measured++, target(dense).measure(ms)) };
    const again = await chooseBackend('auto', counting, { file, key });
    expect(measured).toBe(0);
    expect(again.probes).toEqual(first.probes);
    expect(probeCacheKey({ layers: [], inputs: 8 })).not.toBe(key);
  });

  it('auto asks auto-backend.ts: a Chromium backend that measured faster takes the run, else the fastest here trains', async () => {
    const file = path.join(root, 'rivals.json');
    const key = probeCacheKey({ rivals: true });
    const own = await chooseBackend('auto', target(dense), { file, key });
    const ownBest = Math.max(...own.probes.map((p) => p.samplesPerSecond ?? 0));
    const fast = { backend: 'webgl', device: 'GPU (WebGL 2, test)', samplesPerSecond: ownBest * 10, reason: null };
    const slow = { backend: 'webgpu', device: null, samplesPerSecond: ownBest / 10, reason: null };
    // The host asks the one decision with Chromium's figures added to this process's.
    const askWith = (chromium: ProbeFigure[]) => async (probes: readonly ProbeFigure[]) => chooseHere([...probes, ...chromium]);
    const handed = await chooseBackend('auto', target(dense), { file, key }, undefined, askWith([fast, slow]));
    expect(handed.kind).toBe('elsewhere');
    expect(chooseAuto([...handed.probes, fast, slow])).toMatchObject({ runsIn: 'chromium', backend: 'webgl' });
    expect(chooseAuto([...handed.probes, fast, slow]).probes.map((p) => p.backend)).toEqual([...own.probes.map((p) => p.backend), 'webgl', 'webgpu']);
    const kept = await chooseBackend('auto', target(dense), { file, key }, undefined, askWith([slow, { ...fast, samplesPerSecond: null, reason: 'no adapter' }]));
    expect(kept.kind === 'here' && kept.active.backend).toBe(own.kind === 'here' && own.active.backend);
    expect(() => chooseAuto([{ ...fast, samplesPerSecond: null, reason: 'no adapter' }])).toThrow(/No backend can train this model here: no adapter \(webgl\)/);
  });

  it('a forced backend that lacks a kernel the model needs is refused before training, naming the kernel', async () => {
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;
    tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
    try {
      const conv = manifest([
        { type: 'reshape', targetShape: [2, 4, 1] },
        { type: 'conv2d', filters: 2, kernelSize: 2, activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 2, activation: 'softmax' },
      ]);
      const err = (await chooseBackend('cpu', target(conv)).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/The cpu backend cannot train this model: it lacks the kernel Conv2DBackpropFilter/);
      const auto = await chooseBackend('auto', target(conv));
      expect(auto.kind === 'here' && auto.active.backend).toBe('wasm');
      expect(auto.probes.find((p) => p.backend === 'cpu')!.reason).toBe('the cpu backend lacks the kernel Conv2DBackpropFilter');
    } finally {
      tf.registerKernel(kernel);
    }
  });

  it('reads the kernel name from tfjs errors', () => {
    expect(missingKernel(new Error("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'"))).toBe('UnsortedSegmentSum');
    expect(missingKernel(new Error('out of memory'))).toBeNull();
  });
});
