// Training you can trust: the epoch is chosen on validation rows only, the test split is scored once at the end,
// and the losses, class weights and per-epoch metrics a manifest asks for are the ones trained and recorded.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../shared/manifest.js';
import { blobsCsv, tempDir } from '../testing/git-fixtures.js';
import { loadTabularData } from './data/index.js';
import { classWeightsOf } from './portable/losses.js';
import { trainModel } from './train-model.js';
import type { FromTrainer } from './portable/trainer-protocol.js';

const root = tempDir('mc-validation-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(root, `p${++counter}`);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The rows of a CSV with the labels (last column) permuted by a fixed rotation: same classes, wrong rows. */
function shuffledLabels(csv: string): string {
  const [header, ...rows] = csv.trimEnd().split('\n');
  const labels = rows.map((r) => r.slice(r.lastIndexOf(',') + 1));
  const rotated = rows.map((r, i) => `${r.slice(0, r.lastIndexOf(',') + 1)}${labels[(i + 7) % labels.length]}`);
  return [header, ...rotated].join('\n') + '\n';
}

const blobsManifest = (training: Record<string, unknown> = {}, data: Record<string, unknown> = {}) =>
  Manifest.parse({
    name: 'blobs',
    task: 'classification',
    data: { train: 'train.csv', test: 'test.csv', label: 'label', ...data },
    model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }] },
    training: { epochs: 40, batchSize: 16, learningRate: 0.05, seed: 3, ...training },
  });

async function train(dir: string, manifest: Manifest, keepPredictions = false) {
  const messages: FromTrainer[] = [];
  const result = await trainModel({ repoDir: dir, manifest, backend: 'cpu', ...(keepPredictions ? { keepPredictions: true as const } : {}) }, (m) => messages.push(m));
  const history = messages.flatMap((m) => (m.kind === 'epoch' ? [m.record] : []));
  const started = messages.find((m): m is Extract<FromTrainer, { kind: 'started' }> => m.kind === 'started')!;
  return { result, history, started };
}

/** A history without the speed figures (which differ between two otherwise identical trainings). */
const curves = (history: { epoch: number; loss: number; valLoss: number | null; metrics: Record<string, number> }[]) =>
  history.map(({ epoch, loss, valLoss, metrics }) => ({ epoch, loss, valLoss, metrics }));

describe('the test split never steers training', () => {
  const trainCsv = blobsCsv(240, 4, 3, 11);
  const testCsv = blobsCsv(90, 4, 3, 12);
  const patient = { earlyStopping: { patience: 3 } };

  it('stops at the same epoch with the same curves whether the test labels are right or shuffled', async () => {
    const honest = await train(project({ 'train.csv': trainCsv, 'test.csv': testCsv }), blobsManifest(patient));
    const shuffled = await train(project({ 'train.csv': trainCsv, 'test.csv': shuffledLabels(testCsv) }), blobsManifest(patient));
    expect(shuffled.result.epochsRun).toBe(honest.result.epochsRun);
    expect(shuffled.result.bestEpoch).toBe(honest.result.bestEpoch);
    expect(curves(shuffled.history)).toEqual(curves(honest.history));
    // The test labels did matter to the final score, read once at the end: the shuffled ones score near chance.
    expect(honest.result.metrics.accuracy).toBeGreaterThan(0.7);
    expect(shuffled.result.metrics.accuracy).toBeLessThan(0.4);
  });

  it('reports train / validation / test rows: 10 % of the training file held out by default, stratified', async () => {
    const { result, started } = await train(project({ 'train.csv': trainCsv, 'test.csv': testCsv }), blobsManifest({ epochs: 2 }));
    expect(result.split).toEqual({ train: 216, validation: 24, test: 90 });
    expect(started).toMatchObject({ trainRows: 216, validationRows: 24, testRows: 90, warnings: [] });
    const data = await loadTabularData(project({ 'train.csv': trainCsv, 'test.csv': testCsv }), blobsManifest());
    expect([0, 1, 2].map((c) => [...data.yVal].filter((y) => y === c).length)).toEqual([8, 8, 8]);
  });

  it('restores the weights of the best validation epoch: the same test result as training just that many epochs', async () => {
    const dir = project({ 'train.csv': trainCsv, 'test.csv': testCsv });
    // A high learning rate makes the validation loss wander, so the best epoch is not the last one.
    const restless = { epochs: 30, learningRate: 0.3, earlyStopping: { patience: 6 } };
    const restored = await train(dir, blobsManifest(restless), true);
    const best = restored.result.bestEpoch!;
    expect(best).toBeLessThan(restored.result.epochsRun);
    const bestValLoss = Math.min(...restored.history.map((h) => h.valLoss!));
    expect(restored.history[best - 1]!.valLoss).toBe(bestValLoss);
    const stopped = await train(dir, blobsManifest({ epochs: best, learningRate: 0.3 }), true);
    expect(restored.result.testPredictions).toEqual(stopped.result.testPredictions);
    expect(restored.result.metrics).toEqual(stopped.result.metrics);
    const kept = await train(dir, blobsManifest({ ...restless, earlyStopping: { patience: 6, restoreBestWeights: false } }), true);
    expect(kept.result.epochsRun).toBe(restored.result.epochsRun);
    expect(kept.result.metrics.log_loss).not.toBe(restored.result.metrics.log_loss);
  });

  it('a data.validation file is the validation split; normalization never sees its rows', async () => {
    const validationCsv = 'f0,f1,f2,f3,label\n1000,1000,1000,1000,setosa\n-1000,-1000,-1000,-1000,virginica\n';
    const dir = project({ 'train.csv': trainCsv, 'test.csv': testCsv, 'val.csv': validationCsv });
    const data = await loadTabularData(dir, blobsManifest({}, { validation: 'val.csv' }));
    expect([data.nTrain, data.nVal, data.nTest]).toEqual([240, 2, 90]);
    const without = await loadTabularData(project({ 'train.csv': trainCsv, 'test.csv': testCsv }), blobsManifest({}, { split: { validation: 0 } }));
    expect(data.normalization).toEqual(without.normalization);
    expect(data.xTrain).toEqual(without.xTrain);
    expect(data.yVal).toEqual(Float32Array.from([0, 2]));
  });

  it('early stopping without validation rows is refused in the manifest', () => {
    const parsed = Manifest.safeParse({
      name: 'x',
      task: 'classification',
      data: { train: 't.csv', label: 'y', split: { validation: 0 } },
      model: { layers: [{ type: 'dense', units: 2 }] },
      training: { earlyStopping: { patience: 2 } },
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/early stopping watches the validation loss/);
  });
});

describe('losses, outputs and per-epoch metrics', () => {
  const twoClassCsv = blobsCsv(200, 4, 2, 5);

  it('keeps each test row’s prediction when asked, in test-row order, agreeing with the accuracy', async () => {
    const dir = project({ 'train.csv': blobsCsv(240, 4, 3, 11), 'test.csv': blobsCsv(90, 4, 3, 12) });
    const manifest = blobsManifest({ epochs: 5 });
    const { result } = await train(dir, manifest, true);
    const data = await loadTabularData(dir, manifest);
    expect(result.testPredictions).toHaveLength(90);
    const hits = result.testPredictions!.filter((p, i) => p === data.yTest[i]).length;
    expect(hits / 90).toBeCloseTo(result.metrics.accuracy!, 10);
    expect((await train(dir, manifest)).result.testPredictions).toBeUndefined();
  });

  it('a single sigmoid unit trains two classes with binary cross-entropy', async () => {
    const manifest = Manifest.parse({
      name: 'binary',
      task: 'classification',
      data: { train: 'train.csv', label: 'label', split: { test: 0.25, seed: 1 } },
      model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 1, activation: 'sigmoid' }] },
      training: { epochs: 15, batchSize: 16, learningRate: 0.05, seed: 2 },
      metrics: { primary: 'accuracy', perEpoch: ['roc_auc', 'f1_macro'] },
    });
    const { result, history } = await train(project({ 'train.csv': twoClassCsv }), manifest);
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss);
    expect(result.metrics.accuracy).toBeGreaterThan(0.85);
    expect(result.confusionMatrix).toHaveLength(2);
    expect(Object.keys(history[0]!.metrics)).toEqual(['accuracy', 'roc_auc', 'f1_macro']);
  });

  it('warns when a softmax output is trained with fromLogits: true, in the started message and the result', async () => {
    const dir = project({ 'train.csv': blobsCsv(240, 4, 3, 11), 'test.csv': blobsCsv(90, 4, 3, 12) });
    const { result, started } = await train(dir, blobsManifest({ epochs: 2, fromLogits: true }));
    expect(started.warnings).toEqual([expect.stringMatching(/training\.fromLogits is true, but the last layer's activation is softmax/)]);
    expect(result.warnings).toEqual(started.warnings);
  });

  it('regression trains with mse, mae or huber, and the losses differ as defined', async () => {
    const rows = ['x,y'];
    for (let i = 0; i < 120; i++) rows.push(`${(i / 12).toFixed(3)},${(3 * (i / 12) + 1 + ((i * 7) % 5) / 10).toFixed(3)}`);
    const dir = project({ 'd.csv': rows.join('\n') + '\n' });
    const regression = (loss?: string) =>
      Manifest.parse({
        name: 'line',
        task: 'regression',
        data: { train: 'd.csv', label: 'y' },
        model: { layers: [{ type: 'dense', units: 1 }] },
        training: { epochs: 40, batchSize: 16, learningRate: 0.5, seed: 1, ...(loss ? { loss } : {}) },
      });
    const mse = await train(dir, regression());
    const mae = await train(dir, regression('mae'));
    const huber = await train(dir, regression('huber'));
    for (const run of [mse, mae, huber]) {
      expect(run.history.at(-1)!.loss).toBeLessThan(run.history[0]!.loss);
      expect(run.result.metrics.r2).toBeGreaterThan(0.8);
    }
    // Large first-epoch errors: squared (mse) ≫ absolute (mae) > huber (= |d| − 0.5 beyond 1).
    expect(mse.history[0]!.loss).toBeGreaterThan(mae.history[0]!.loss);
    expect(mae.history[0]!.loss).toBeGreaterThan(huber.history[0]!.loss);
    expect(Manifest.safeParse({ ...regression(), task: 'classification', training: { loss: 'mse' } }).success).toBe(false);
  });

  it('class weights: "balanced" is rows / (classes × rows of the class); a map names classes; both change training', async () => {
    const manifest = blobsManifest({ classWeights: 'balanced' });
    const balanced = classWeightsOf(manifest, ['a', 'b'], [0, 0, 0, 1])!;
    expect(balanced[0]).toBeCloseTo(4 / 6, 6);
    expect(balanced[1]).toBe(2);
    const named = blobsManifest({ classWeights: { b: 3 } });
    expect([...classWeightsOf(named, ['a', 'b', 'c'], [0, 1, 2])!]).toEqual([1, 3, 1]);
    expect(() => classWeightsOf(blobsManifest({ classWeights: { dog: 2 } }), ['a', 'b'], [0, 1])).toThrow(
      'training.classWeights names "dog", which is not a class (classes: a, b)',
    );
    const dir = project({ 'train.csv': blobsCsv(240, 4, 3, 11), 'test.csv': blobsCsv(90, 4, 3, 12) });
    const plain = await train(dir, blobsManifest({ epochs: 2 }));
    const weighted = await train(dir, blobsManifest({ epochs: 2, classWeights: { setosa: 5 } }));
    expect(weighted.history[0]!.loss).not.toBe(plain.history[0]!.loss);
  });
});
