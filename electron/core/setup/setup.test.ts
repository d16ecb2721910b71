import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Manifest } from '../../../shared/manifest.js';
import type { SetupAnswers } from '../../../shared/setup.js';
import { blobsCsv, tempDir } from '../testing/git-fixtures.js';
import { findSetupFiles } from './find-setup-files.js';
import { imageInfo } from './image-info.js';
import { proposeManifest } from './propose-manifest.js';
import { sampleTable } from './sample-table.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string | Buffer>): string {
  const dir = tempDir('mc-setup-');
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

function propose(dir: string, answers: SetupAnswers = {}) {
  return proposeManifest({ name: 'demo', files: findSetupFiles(dir), answers, sample: (f) => sampleTable(path.join(dir, f), f) });
}

function png(width: number, height: number, grey: number): Buffer {
  const image = new PNG({ width, height, colorType: 0 });
  image.data.fill(grey);
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  return PNG.sync.write(image, { colorType: 0 });
}

describe('proposing a manifest for a repository without one', () => {
  it('a lone CSV: label by its name, classification for text labels, every other column a feature; the manifest is valid', () => {
    const p = propose(repo({ 'data/iris.csv': blobsCsv(60, 4, 3, 1), 'README.md': '# x\n' }));
    expect(p.question).toBeNull();
    expect(p.data).toMatchObject({ kind: 'table', file: 'data/iris.csv', rows: 60 });
    expect(p.data?.kind === 'table' && p.data.preview).toHaveLength(5);
    expect([p.label, p.task, p.features]).toEqual(['label', 'classification', ['f0', 'f1', 'f2', 'f3']]);
    expect(p.model).toMatchObject({ kind: 'template' });
    const m = Manifest.parse(p.manifest);
    expect(m.data).toMatchObject({ train: 'data/iris.csv', label: 'label', features: ['f0', 'f1', 'f2', 'f3'] });
    expect(m.model.layers?.at(-1)).toEqual({ type: 'dense', units: 3, activation: 'softmax' });
  });

  it('without a column named like a label, the last column; a fractional number is regressed', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${(i * 0.37) % 5},${(i * 1.5 + 0.25).toFixed(2)}`);
    const p = propose(repo({ 'houses.tsv': ['rooms\tage\tprice', ...rows.map((r) => r.replace(/,/g, '\t'))].join('\n') + '\n' }));
    expect([p.label, p.task]).toEqual(['price', 'regression']);
    expect(p.manifest?.model.layers?.at(-1)).toMatchObject({ units: 1 });
    expect(p.notes.join('\n')).toMatch(/the last column/);
    // A whole-number label with few values is taken for classes, and --task overrides either way.
    expect(propose(repo({ 'd.csv': 'a,b,grade\n' + Array.from({ length: 30 }, (_, i) => `${i},${i % 7},${i % 3}`).join('\n') })).task).toBe('classification');
  });

  it('two columns named like a label: one question naming both, no manifest until --label answers it', () => {
    const dir = repo({ 'train.csv': 'x,class,target\n' + Array.from({ length: 20 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'},${i % 3}`).join('\n') });
    const p = propose(dir);
    expect(p.manifest).toBeNull();
    expect(p.question).toBe('Which column of train.csv is the label: "class" or "target"?');
    expect(p.labelCandidates).toEqual(['class', 'target']);
    const answered = propose(dir, { label: 'target' });
    expect(answered.question).toBeNull();
    expect(answered.manifest?.data).toMatchObject({ label: 'target', features: ['x', 'class'] });
    expect(() => propose(dir, { label: 'nope' })).toThrow(/^"nope" is not a column of train\.csv \(columns: x, class, target\)$/);
  });

  it('no data file: a one-line question; a --data that is not found names what was', () => {
    const p = propose(repo({ 'README.md': '# nothing\n', 'src/model.py': 'print(1)\n' }));
    expect(p.manifest).toBeNull();
    expect(p.question).toMatch(/^No data found in the project: looked for CSV, TSV, JSONL, Parquet, NumPy \(\.npy, \.npz\) and MNIST IDX files \(also gzip'd\) and for image folders/);
    expect(() => propose(repo({ 'a.csv': 'x,y\n1,2\n' }), { data: 'b.csv' })).toThrow(/"b\.csv" is not a data file or image folder found in the project \(found: a\.csv\)/);
  });

  it('ids and free text are left out, missing values imputed, a sibling test file with the same columns used', () => {
    const line = (i: number, gap = false) => `${i},name number ${i},${gap && i % 5 === 0 ? '' : (i % 9) + 0.5},${i % 2 ? 'red' : 'blue'},${i % 2 ? 'yes' : 'no'}`;
    const header = 'id,name,size,colour,label';
    const dir = repo({
      'data/train.csv': [header, ...Array.from({ length: 40 }, (_, i) => line(i, true))].join('\n'),
      'data/test.csv': [header, ...Array.from({ length: 10 }, (_, i) => line(i + 40))].join('\n'),
    });
    const p = propose(dir);
    expect(p.features).toEqual(['size', 'colour']);
    expect(p.leftOut.map((l) => l.column)).toEqual(['id', 'name']);
    expect(p.manifest?.data).toMatchObject({ train: 'data/train.csv', test: 'data/test.csv', impute: { size: 'median' } });
    expect(Manifest.safeParse(p.manifest).success).toBe(true);
  });

  it('an image folder with one subfolder per class: a small CNN shaped to the images, validation and test siblings', () => {
    const files: Record<string, Buffer> = {};
    for (const split of ['train', 'test'])
      for (const [c, grey] of [['cat', 20], ['dog', 220]] as const)
        for (let i = 0; i < 3; i++) files[`images/${split}/${c}/${i}.png`] = png(16, 12, grey);
    const p = propose(repo(files));
    expect(p.data).toMatchObject({ kind: 'images', folder: { path: 'images/train', classes: ['cat', 'dog'], images: 6, size: [12, 16], channels: 1 } });
    const m = Manifest.parse(p.manifest);
    expect(m.data.images).toMatchObject({ train: 'images/train', test: 'images/test', size: [12, 16], channels: 1 });
    expect(m.model.layers?.[0]).toEqual({ type: 'reshape', targetShape: [12, 16, 1] });
    expect(m.model.layers?.at(-1)).toMatchObject({ units: 2, activation: 'softmax' });
  });

  it('a Keras topology or tfjs model.json in the repository is proposed as the model; "template" picks the default net', () => {
    const keras = { class_name: 'Sequential', config: { name: 's', layers: [] }, keras_version: '2.15.0' };
    const dir = repo({ 'data.csv': blobsCsv(30, 2, 2, 3), 'model/arch.json': JSON.stringify(keras), 'package.json': '{"name":"x"}' });
    const p = propose(dir);
    expect(p.modelFiles).toEqual([{ path: 'model/arch.json', kind: 'keras-json' }]);
    expect(p.manifest?.model).toEqual({ keras: 'model/arch.json' });
    expect(propose(dir, { model: 'template' }).manifest?.model.layers).toBeDefined();
    expect(() => propose(dir, { model: 'other.h5' })).toThrow(/"other\.h5" is not a model file found in the project \(found: model\/arch\.json; or "template"\)/);
  });

  it('reads the size and channels of PNG and JPEG headers', () => {
    const dir = repo({ 'a.png': png(7, 5, 9), 'b.jpg': Buffer.from(jpeg.encode({ width: 6, height: 4, data: Buffer.alloc(6 * 4 * 4, 128) }, 90).data) });
    expect(imageInfo(path.join(dir, 'a.png'))).toEqual({ width: 7, height: 5, channels: 1 });
    expect(imageInfo(path.join(dir, 'b.jpg'))).toEqual({ width: 6, height: 4, channels: 3 });
  });
});
