import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manifest } from '../shared/manifest.js';
import { git, tempDir } from '../electron/core/testing/git-fixtures.js';
import { loadImageFolderData } from '../electron/core/training/data/image-folder.js';
import { loadManifest } from '../electron/core/training/load-manifest.js';
import { trainModel } from '../electron/core/training/train-model.js';
import type { FromTrainer } from '../electron/core/training/portable/trainer-protocol.js';
import { EXAMPLES, MNIST_TEST_PER_DIGIT, MNIST_TRAIN_PER_DIGIT } from './examples.js';
import type { BuiltExample } from './make-examples.js';
import { autoMpgCsv, makeExamples } from './make-examples.js';



let outDir: string;
let built: BuiltExample[];

beforeAll(() => {
  outDir = tempDir('mc-examples-');
  built = makeExamples(outDir);
});

afterAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
});

const spec = (name: string) => EXAMPLES.find((e) => e.name === name)!;
const dirOf = (name: string) => path.join(outDir, name);

describe('make-examples: the repositories', () => {
  it('documents three examples: two tabular, one image folder', () => {
    expect(EXAMPLES.map((e) => [e.name, e.task, e.data, e.primaryMetric])).toEqual([
      ['iris-classifier', 'classification', 'tabular', 'accuracy'],
      ['auto-mpg-regression', 'regression', 'tabular', 'r2'],
      ['mnist-digits', 'classification', 'images', 'accuracy'],
    ]);
    for (const e of EXAMPLES) {
      expect(e.expectedMin).toBeGreaterThan(0);
      expect(e.expectedMin).toBeLessThan(1);
      expect(e.manifest.name).toBe(e.name);
      expect((e.manifest.metrics as { primary: string }).primary).toBe(e.primaryMetric);
    }
    expect(built.map((b) => b.name)).toEqual(EXAMPLES.map((e) => e.name));
  });

  it('builds each as a clean git repository by several authors, with README, LICENSE, data and manifest', () => {
    for (const example of EXAMPLES) {
      const dir = dirOf(example.name);
      expect(git(dir, ['rev-parse', '--is-inside-work-tree']).trim()).toBe('true');
      expect(git(dir, ['status', '--porcelain'])).toBe('');
      const authors = new Set(git(dir, ['log', '--format=%an <%ae>']).trim().split('\n'));
      expect(authors.size).toBeGreaterThanOrEqual(2);
      const tracked = git(dir, ['ls-files']).trim().split('\n');
      expect(tracked).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'modelcommons.json']));
      const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toContain(`**Expected quality:** ${example.quality}`);
      expect(fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'modelcommons.json'), 'utf8'))).toEqual(example.manifest);
    }
    expect(git(dirOf('iris-classifier'), ['ls-files', 'data'])).toBe('data/iris.csv\n');
    expect(git(dirOf('auto-mpg-regression'), ['ls-files', 'data'])).toBe('data/auto-mpg.csv\n');
    const images = git(dirOf('mnist-digits'), ['ls-files', 'images']).trim().split('\n');
    expect(images).toHaveLength(10 * (MNIST_TRAIN_PER_DIGIT + MNIST_TEST_PER_DIGIT));
    expect(images.every((f) => /^images\/(train|test)\/\d\/\d-\d{4}\.png$/.test(f))).toBe(true);
  });

  it('is deterministic: a second build has the same commits, and a non-empty target is refused', () => {
    const again = tempDir('mc-examples-');
    try {
      expect(makeExamples(again).map((b) => b.head)).toEqual(built.map((b) => b.head));
      const log = (dir: string) => git(dir, ['log', '--format=%H %an %aI %cI %s']);
      for (const e of EXAMPLES) expect(log(path.join(again, e.name))).toBe(log(dirOf(e.name)));
      expect(() => makeExamples(again)).toThrow(/already exists and is not empty/);
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it('ships the real datasets: Iris (150 flowers, R’s corrected table) and Auto MPG (392 cars with horsepower)', () => {
    const iris = fs.readFileSync(path.join(dirOf('iris-classifier'), 'data/iris.csv'), 'utf8').trim().split('\n');
    expect(iris[0]).toBe('sepal_length,sepal_width,petal_length,petal_width,species');
    expect(iris).toHaveLength(151);
    const sums = [0, 0, 0, 0];
    for (const line of iris.slice(1)) line.split(',').slice(0, 4).forEach((v, i) => (sums[i]! += Number(v)));
    expect(sums.map((s) => Number(s.toFixed(1)))).toEqual([876.5, 458.6, 563.7, 179.9]); // R: colSums(iris[1:4])
    expect(iris[35]).toBe('4.9,3.1,1.5,0.2,setosa'); // row 35, where the UCI copy has a transcription error

    const cars = autoMpgCsv().trim().split('\n');
    expect(cars[0]).toBe('mpg,cylinders,displacement,horsepower,weight,acceleration,model_year,origin,car_name');
    expect(cars).toHaveLength(393);
    const rows = cars.slice(1).map((l) => l.split(','));
    const mean = (column: number) => rows.reduce((s, r) => s + Number(r[column]), 0) / rows.length;
    expect(mean(0)).toBeCloseTo(23.445918, 5); // mpg over the 392 complete cars, as commonly published
    expect(mean(3)).toBeCloseTo(104.469388, 5); // horsepower
    expect(new Set(rows.map((r) => r[7]))).toEqual(new Set(['usa', 'europe', 'japan']));
  });
});

describe('make-examples: the manifests', () => {
  it('validates the tabular manifests with the Manifest schema, as the app loads them', () => {
    for (const name of ['iris-classifier', 'auto-mpg-regression']) {
      const parsed = Manifest.safeParse(spec(name).manifest);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(loadManifest(dirOf(name))).toEqual(parsed.data);
    }
  });

  it('validates the image manifest (data.images) with the Manifest schema', () => {
    const manifest = spec('mnist-digits').manifest;
    const parsed = Manifest.safeParse(manifest);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data?.data.images).toEqual({ train: 'images/train', test: 'images/test', size: [28, 28], channels: 1 });
    // Everything but data.images is already valid v1 manifest content.
    const data = manifest.data as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['images', 'normalize']);
    const withTabularData = { ...manifest, data: { train: 'x.csv', label: 'y', normalize: data.normalize } };
    expect(Manifest.safeParse(withTabularData).success).toBe(true);
  });
});

describe('make-examples: quality', () => {
  for (const example of EXAMPLES) {
    it(`trains ${example.name} to ${example.primaryMetric} ≥ ${example.expectedMin} with the manifest’s settings`, async () => {
      const manifest = loadManifest(dirOf(example.name));
      const messages: FromTrainer[] = [];
      const result = await trainModel({ repoDir: dirOf(example.name), manifest, backend: 'wasm' }, (m) => messages.push(m));
      const started = messages.find((m) => m.kind === 'started');
      expect(started).toMatchObject({ kind: 'started', trainRows: expect.any(Number), testRows: expect.any(Number) });
      const value = result.metrics[example.primaryMetric];
      expect(value).toBeGreaterThanOrEqual(example.expectedMin);
    });
  }

  it('loads the mnist-digits images through data.images: 28 × 28 × 1, ten balanced classes', async () => {
    const manifest = Manifest.parse(spec('mnist-digits').manifest);
    const data = await loadImageFolderData(dirOf('mnist-digits'), { ...manifest.data, images: manifest.data.images! });
    expect(data.imageShape).toEqual([28, 28, 1]);
    expect(data.nFeatures).toBe(784);
    expect(data.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // The default 10 % of the training folder is held out for validation, stratified.
    expect(data.nTrain + data.nVal).toBe(10 * MNIST_TRAIN_PER_DIGIT);
    expect(data.nTest).toBe(10 * MNIST_TEST_PER_DIGIT);
    const counts = (y: Float32Array) => Array.from({ length: 10 }, (_, c) => y.filter((v) => v === c).length);
    expect(counts(data.yTrain)).toEqual(new Array<number>(10).fill(MNIST_TRAIN_PER_DIGIT * 0.9));
    expect(counts(data.yVal)).toEqual(new Array<number>(10).fill(MNIST_TRAIN_PER_DIGIT * 0.1));
    expect(counts(data.yTest)).toEqual(new Array<number>(10).fill(MNIST_TEST_PER_DIGIT));
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of data.xTrain) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    expect([min, max]).toEqual([0, 1]);
    // MNIST's mean pixel is about 0.13: mostly black background, white strokes.
    expect(sum / data.xTrain.length).toBeGreaterThan(0.08);
    expect(sum / data.xTrain.length).toBeLessThan(0.2);
  });
});
