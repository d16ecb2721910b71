import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../app-error.js';
import type { ImageFolderOptions } from './image-folder.js';
import { loadImageFolderData } from './image-folder.js';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-images-'));
  made.push(dir);
  return dir;
}

type Rgb = readonly [number, number, number];

/** A PNG whose pixel (x, y) has colour `pixel(x, y)`. */
function png(width: number, height: number, pixel: (x: number, y: number) => Rgb, alpha = 255): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      image.data.set([r, g, b, alpha], (y * width + x) * 4);
    }
  }
  return PNG.sync.write(image);
}

const solid = (width: number, height: number, color: Rgb) => png(width, height, () => color);

function jpg(width: number, height: number, color: Rgb): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...color, 255], p * 4);
  return jpeg.encode({ width, height, data }, 95).data;
}

/** A temporary project holding `files` (paths relative to its root). */
function project(files: Record<string, Buffer | string>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** These tests read and decode: no validation rows unless a test asks (the split test below does). */
function options(images: Partial<ImageFolderOptions['images']> = {}, rest: Omit<ImageFolderOptions, 'images'> = {}): ImageFolderOptions {
  return { images: { train: 'images/train', size: [2, 2], channels: 1, ...images }, ...rest, split: { test: 0.2, seed: 42, validation: 0, ...rest.split } };
}

async function expectTrainingError(promise: Promise<unknown>, text: string | RegExp): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.kind).toBe('training');
  expect(appError.message).not.toContain('\n');
  if (typeof text === 'string') expect(appError.message).toContain(text);
  else expect(appError.message).toMatch(text);
  return appError;
}

/** n solid images per class, as PNG, named 0.png … */
function classFolders(root: string, classes: Record<string, Rgb>, n: number): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const [name, color] of Object.entries(classes)) {
    for (let i = 0; i < n; i++) files[`${root}/${name}/${String(i).padStart(2, '0')}.png`] = solid(2, 2, color);
  }
  return files;
}

describe('loadImageFolderData: reading', () => {
  it('reads PNG and JPEG class folders into grayscale rows, classes in sorted folder order', async () => {
    const dir = project({
      'images/train/zebra/a.png': solid(2, 2, [255, 255, 255]),
      'images/train/zebra/b.jpg': jpg(2, 2, [255, 255, 255]),
      'images/train/ant/a.png': solid(2, 2, [0, 0, 0]),
      'images/train/ant/b.JPEG': jpg(2, 2, [0, 0, 0]),
      'images/test/ant/c.png': solid(2, 2, [51, 51, 51]),
      'images/test/zebra/c.png': solid(2, 2, [255, 0, 0]),
    });
    const data = await loadImageFolderData(dir, options({ test: 'images/test' }));
    expect(data.labels).toEqual(['ant', 'zebra']);
    expect(data.imageShape).toEqual([2, 2, 1]);
    expect(data.nFeatures).toBe(4);
    expect(data.featureNames).toEqual(['px0', 'px1', 'px2', 'px3']);
    expect(data.nTrain).toBe(4);
    expect(data.nTest).toBe(2);
    expect(data.xTrain).toHaveLength(16);
    expect([...data.yTrain]).toEqual([0, 0, 1, 1]);
    expect([...data.yTest]).toEqual([0, 1]);
    // Rows follow class order, then file name: ant/a.png, ant/b.JPEG, zebra/a.png, zebra/b.jpg.
    expect([...data.xTrain.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    for (const v of data.xTrain.subarray(4, 8)) expect(v).toBeCloseTo(0, 1); // JPEG is lossy
    expect([...data.xTrain.subarray(8, 12)]).toEqual([1, 1, 1, 1]);
    for (const v of data.xTrain.subarray(12, 16)) expect(v).toBeCloseTo(1, 1);
    expect(data.xTest[0]).toBeCloseTo(0.2, 6); // 51 / 255
    expect(data.xTest[4]).toBeCloseTo(0.299, 6); // pure red → BT.601 luma
    expect(data.normalization).toEqual({ kind: 'none', offset: [0, 0, 0, 0], scale: [1, 1, 1, 1] });
  });

  it('keeps RGB row-major (height, width, channel) and drops alpha', async () => {
    const colors: Rgb[][] = [
      [
        [255, 0, 0],
        [0, 255, 0],
      ],
      [
        [0, 0, 255],
        [255, 255, 255],
      ],
    ];
    const image = png(2, 2, (x, y) => colors[y]![x]!, 10);
    const dir = project({ 'images/train/a/1.png': image, 'images/train/b/1.png': solid(2, 2, [0, 0, 0]) });
    const data = await loadImageFolderData(dir, options({ test: 'images/train', channels: 3 }));
    expect(data.imageShape).toEqual([2, 2, 3]);
    expect(data.nFeatures).toBe(12);
    expect([...data.xTrain.subarray(0, 12)]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('resizes bilinearly with half-pixel centres', async () => {
    // 2 × 1 (black, white) → 4 × 1: samples at x = -0.25, 0.25, 0.75, 1.25 → clamped → 0, .25, .75, 1.
    const wide = png(2, 1, (x) => (x === 0 ? [0, 0, 0] : [255, 255, 255]));
    // 4 × 4 → 2 × 2: each output samples the centre of a 2 × 2 block, i.e. its mean.
    const blocks = png(4, 4, (x, y) => {
      const v = (x + 4 * y) * 10;
      return [v, v, v];
    });
    const up = await loadImageFolderData(
      project({ 'images/train/a/1.png': wide, 'images/train/b/1.png': wide }),
      options({ test: 'images/train', size: [1, 4] }),
    );
    expect([...up.xTrain.subarray(0, 4)].map((v) => Number(v.toFixed(6)))).toEqual([0, 0.25, 0.75, 1]);
    const down = await loadImageFolderData(
      project({ 'images/train/a/1.png': blocks, 'images/train/b/1.png': blocks }),
      options({ test: 'images/train', size: [2, 2] }),
    );
    const mean = (...values: number[]) => values.reduce((s, v) => s + v, 0) / values.length / 255;
    const expected = [mean(0, 10, 40, 50), mean(20, 30, 60, 70), mean(80, 90, 120, 130), mean(100, 110, 140, 150)];
    [...down.xTrain.subarray(0, 4)].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('splits train without a test folder: seeded, stratified, deterministic', async () => {
    const files = classFolders('images/train', { cat: [0, 0, 0], dog: [255, 255, 255], fox: [128, 128, 128] }, 10);
    const dir = project(files);
    const load = (seed: number) =>
      loadImageFolderData(dir, { images: { train: 'images/train', size: [2, 2], channels: 1 }, split: { test: 0.2, validation: 0.1, seed }, normalize: 'none' });
    const data = await load(42);
    // 30 images: 6 for the test, then 10 % of the other 24 (3) for validation, each stratified.
    expect([data.nTrain, data.nVal, data.nTest]).toEqual([21, 3, 6]);
    const count = (y: Float32Array, c: number) => [...y].filter((v) => v === c).length;
    expect([0, 1, 2].map((c) => count(data.yTest, c))).toEqual([2, 2, 2]);
    expect([0, 1, 2].map((c) => count(data.yVal, c))).toEqual([1, 1, 1]);
    expect([0, 1, 2].map((c) => count(data.yTrain, c))).toEqual([7, 7, 7]);
    // Each row's pixels belong to its class.
    const shade = [0, 1, 128 / 255];
    data.yTest.forEach((c, i) => expect(data.xTest[i * 4]).toBeCloseTo(shade[c]!, 6));
    data.yVal.forEach((c, i) => expect(data.xVal[i * 4]).toBeCloseTo(shade[c]!, 6));
    expect(await load(42)).toEqual(data);
    // The default split is 0.2 test, 0.1 validation with seed 42, as the manifest's.
    expect(await loadImageFolderData(dir, { images: { train: 'images/train', size: [2, 2], channels: 1 }, normalize: 'none' })).toEqual(data);
    // A validation folder replaces the held-out share.
    const withFolder = project({ ...files, ...classFolders('images/val', { cat: [0, 0, 0], dog: [255, 255, 255], fox: [128, 128, 128] }, 2) });
    const folder = await loadImageFolderData(withFolder, options({ validation: 'images/val' }, { split: { test: 0.2, validation: 0.1, seed: 42 } }));
    expect([folder.nTrain, folder.nVal, folder.nTest]).toEqual([24, 6, 6]);
  });

  it('standardizes with one mean and deviation over all training pixels', async () => {
    const dir = project({
      ...classFolders('images/train', { a: [0, 0, 0], b: [255, 255, 255] }, 2),
      'images/test/a/x.png': solid(2, 2, [255, 255, 255]),
    });
    const data = await loadImageFolderData(dir, options({ test: 'images/test' }, { normalize: 'standard' }));
    expect([...data.xTrain]).toEqual([-1, -1, -1, -1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect([...data.xTest]).toEqual([1, 1, 1, 1]);
    expect(data.normalization.offset).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(data.normalization.scale).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('skips hidden files and accepts a test folder that lacks a class', async () => {
    const dir = project({
      ...classFolders('images/train', { a: [0, 0, 0], b: [255, 255, 255] }, 1),
      'images/train/.DS_Store': 'x',
      'images/train/a/.gitkeep': '',
      'images/test/b/1.png': solid(2, 2, [255, 255, 255]),
    });
    const data = await loadImageFolderData(dir, options({ test: 'images/test' }));
    expect(data.nTrain).toBe(2);
    expect([...data.yTest]).toEqual([1]);
  });
});

describe('loadImageFolderData: refusals', () => {
  const twoClasses = () => classFolders('images/train', { a: [0, 0, 0], b: [255, 255, 255] }, 3);

  it('names a non-image file, a text file posing as a PNG, and a truncated image', async () => {
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/train/a/notes.txt': 'hello' }), options()),
      'images/train/a/notes.txt is not an image',
    );
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/train/b/fake.png': 'not a png' }), options()),
      'images/train/b/fake.png is not a PNG or JPEG image',
    );
    const truncated = solid(8, 8, [1, 2, 3]).subarray(0, 40);
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/train/b/cut.png': truncated }), options()),
      /^images\/train\/b\/cut\.png could not be decoded as a PNG image/,
    );
    const badJpeg = Buffer.concat([jpg(4, 4, [9, 9, 9]).subarray(0, 30)]);
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/train/b/cut.jpg': badJpeg }), options()),
      /^images\/train\/b\/cut\.jpg could not be decoded as a JPEG image/,
    );
  });

  it('refuses a stray file beside the class folders, a nested folder and an empty class', async () => {
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/train/README.md': '# hi' }), options()),
      'images/train/README.md: expected only class folders',
    );
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/train/a/more/1.png': solid(2, 2, [0, 0, 0]) }), options()),
      'images/train/a/more: folders inside a class folder are not supported',
    );
    const dir = project(twoClasses());
    fs.mkdirSync(path.join(dir, 'images/train/c'));
    await expectTrainingError(loadImageFolderData(dir, options()), 'images/train/c: the class folder "c" holds no images');
  });

  it('needs two classes, existing folders, and test classes known to train', async () => {
    await expectTrainingError(
      loadImageFolderData(project(classFolders('images/train', { only: [0, 0, 0] }, 2)), options()),
      'only one class folder ("only")',
    );
    await expectTrainingError(loadImageFolderData(project(twoClasses()), options({ train: 'nope' })), 'does not exist');
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/test/c/1.png': solid(2, 2, [0, 0, 0]) }), options({ test: 'images/test' })),
      'images/test/c: class "c" has no folder in data.images.train (classes: a, b)',
    );
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/x.png': solid(2, 2, [0, 0, 0]) }), options({ train: 'images/x.png' })),
      'is not a folder',
    );
  });

  it('refuses paths and links that leave the project', async () => {
    await expectTrainingError(loadImageFolderData(project(twoClasses()), options({ train: '../outside' })), 'escapes the project folder');
    await expectTrainingError(loadImageFolderData(project(twoClasses()), options({ train: '/etc' })), 'is absolute');

    const outside = project(classFolders('elsewhere', { c: [0, 0, 0] }, 1));
    const linkedClass = project(twoClasses());
    fs.symlinkSync(path.join(outside, 'elsewhere/c'), path.join(linkedClass, 'images/train/c'));
    await expectTrainingError(loadImageFolderData(linkedClass, options()), 'images/train/c" is a link that points outside the project folder');

    const linkedFile = project(twoClasses());
    fs.symlinkSync(path.join(outside, 'elsewhere/c/00.png'), path.join(linkedFile, 'images/train/a/zz.png'));
    await expectTrainingError(loadImageFolderData(linkedFile, options()), 'images/train/a/zz.png" is a link that points outside');

    // A link that stays inside the project is followed.
    const inside = project(twoClasses());
    fs.symlinkSync(path.join(inside, 'images/train/a/00.png'), path.join(inside, 'images/train/b/link.png'));
    const data = await loadImageFolderData(inside, options({ test: 'images/train' }));
    expect(data.nTrain).toBe(7);
  });

  it('enforces the image count, byte and pixel limits with the numbers in the message', async () => {
    const dir = project(twoClasses());
    await expectTrainingError(
      loadImageFolderData(dir, options(), { maxImages: 5 }),
      'images/train holds 6 images, over the limit of 5 images',
    );
    const bytes = ['a', 'b']
      .flatMap((c) => ['00', '01', '02'].map((n) => fs.statSync(path.join(dir, `images/train/${c}/${n}.png`)).size))
      .reduce((s, b) => s + b, 0);
    await expectTrainingError(
      loadImageFolderData(dir, options(), { maxBytes: 100 }),
      `the images in images/train are ${bytes} bytes (0.0 MB), over the data limit of 100 bytes (0.0 MB)`,
    );
    await expectTrainingError(
      loadImageFolderData(dir, options({ test: 'images/train' }), { maxImages: 11 }),
      'images/train and images/train hold 12 images, over the limit of 11 images',
    );
    await expectTrainingError(
      loadImageFolderData(dir, options({ size: [10, 10], channels: 3 }), { maxValues: 1000 }),
      '6 images of 10 × 10 × 3 are 1800 values, over the limit of 1000 values in memory',
    );
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/train/a/big.png': solid(10, 10, [0, 0, 0]) }), options(), {
        maxPixelsPerImage: 99,
      }),
      'images/train/a/big.png is 10 × 10 = 100 pixels, over the limit of 99 pixels per image',
    );
    await expectTrainingError(
      loadImageFolderData(project({ ...twoClasses(), 'images/train/a/big.jpg': jpg(2000, 1000, [0, 0, 0]) }), options(), {
        maxPixelsPerImage: 1_000_000,
      }),
      'images/train/a/big.jpg is larger than 1000000 pixels',
    );
  });

  it('checks the declared size and channels', async () => {
    const dir = project(twoClasses());
    await expectTrainingError(loadImageFolderData(dir, options({ size: [0, 4] })), 'data.images.size must be [height, width]');
    await expectTrainingError(loadImageFolderData(dir, options({ size: [28] })), 'got [28]');
    await expectTrainingError(loadImageFolderData(dir, options({ channels: 4 })), 'data.images.channels must be 1 (grayscale) or 3 (RGB), got 4');
  });
});
