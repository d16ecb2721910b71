// Loads an image-folder dataset (one subfolder per class, PNG or JPEG files) into the same train/test matrices
// as tabular data: each image decoded in pure JS, converted to the declared channels, resized bilinearly to the
// declared size, scaled to [0, 1] and flattened row-major (height, width, channel).
import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { AppError } from '../../app-error.js';
import { resolveInsideRepo } from '../../safe-path.js';
import type { NormalizeKind } from './encode.js';
import { compareText, MAX_ENCODED_VALUES } from './encode.js';
import type { TabularData } from './index.js';
import { DEFAULT_MAX_BYTES } from './index.js';
import { splitRows } from './split.js';

/** The manifest's `data.images` block. */
export interface ImageFolderSpec {
  /** Folder (relative to the repository) holding one subfolder per class. */
  readonly train: string;
  /** Optional folder laid out like `train`; without it `split.validation` of the training images is held out. */
  readonly validation?: string;
  /** Optional folder laid out like `train`; without it the images of `train` are split (seeded, stratified). */
  readonly test?: string;
  /** [height, width] every image is resized to. */
  readonly size: readonly [number, number] | readonly number[];
  /** 1 = grayscale (ITU-R BT.601 luma), 3 = RGB. */
  readonly channels: number;
}

/** The parts of a manifest's `data` that image loading reads. */
export interface ImageFolderOptions {
  readonly images: ImageFolderSpec;
  readonly split?: { readonly test: number; readonly seed: number; readonly validation?: number };
  /** Applied after scaling to [0, 1], with one statistic over all training pixels; default 'none'. */
  readonly normalize?: NormalizeKind;
}

export interface ImageLimits {
  /** Most images over train and test together. */
  maxImages?: number;
  /** Most bytes of image files over train and test together. */
  maxBytes?: number;
  /** Most pixels (width × height) of any one image before resizing. */
  maxPixelsPerImage?: number;
  /** Most decoded values (images × height × width × channels, 4 bytes each) held in memory. */
  maxValues?: number;
}

export interface ImageFolderData extends TabularData {
  /** [height, width, channels]; each row of xTrain/xVal/xTest is one image in this shape, row-major. */
  readonly imageShape: [number, number, number];
}

export const DEFAULT_MAX_IMAGES = 100_000;
export const DEFAULT_MAX_IMAGE_PIXELS = 40_000_000;
/** 250 million float32 values: 1 GB of decoded pixels (the cap on any encoded data set). */
export const DEFAULT_MAX_VALUES = MAX_ENCODED_VALUES;
/** The largest height or width `size` may declare. */
export const MAX_IMAGE_SIDE = 1024;
const DEFAULT_SPLIT = { test: 0.2, validation: 0.1, seed: 42 } as const;
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

interface ImageFile {
  /** Relative to the repository, with forward slashes (for messages). */
  readonly relative: string;
  readonly absolute: string;
  readonly bytes: number;
  readonly classIndex: number;
}

interface FolderListing {
  readonly classes: string[];
  readonly files: ImageFile[];
}

/**
 * Reads `images.train` (and `images.test`, or else a seeded stratified split of train; then `images.validation`,
 * or else a seeded stratified share `split.validation` of the training images) — one subfolder per
 * class, class order = the sorted folder names (code-unit order), images in each folder in sorted name order.
 * Hidden entries (names starting with ".") are skipped; any other non-image file, a nested folder, an
 * undecodable image or a link pointing outside the project is an AppError('training') naming the path.
 * Alpha is dropped (as TensorFlow's decode_png with 3 channels does); grayscale uses 0.299 R + 0.587 G + 0.114 B.
 */
export async function loadImageFolderData(
  repoDir: string,
  options: ImageFolderOptions,
  limits: ImageLimits = {},
): Promise<ImageFolderData> {
  const { images } = options;
  const [height, width, channels] = checkShape(images);
  const maxImages = limits.maxImages ?? DEFAULT_MAX_IMAGES;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxPixels = limits.maxPixelsPerImage ?? DEFAULT_MAX_IMAGE_PIXELS;

  const train = listFolder(repoDir, images.train, 'data.images.train', null);
  if (train.classes.length < 2) {
    throw new AppError(
      'training',
      `data.images.train "${images.train}" has ${train.classes.length === 1 ? `only one class folder ("${train.classes[0]}")` : 'no class folders'}; classification needs at least 2 (one subfolder per class)`,
    );
  }
  const validation = images.validation !== undefined ? listFolder(repoDir, images.validation, 'data.images.validation', train.classes) : null;
  const test = images.test !== undefined ? listFolder(repoDir, images.test, 'data.images.test', train.classes) : null;

  const all = [...train.files, ...(validation?.files ?? []), ...(test?.files ?? [])];
  const named = [images.train, ...(validation ? [images.validation!] : []), ...(test ? [images.test!] : [])];
  const folders = named.join(' and ');
  if (all.length > maxImages) {
    throw new AppError(
      'training',
      `${folders} ${named.length > 1 ? 'hold' : 'holds'} ${all.length} images, over the limit of ${maxImages} images`,
    );
  }
  const totalBytes = all.reduce((sum, f) => sum + f.bytes, 0);
  if (totalBytes > maxBytes) {
    throw new AppError(
      'training',
      `the images in ${folders} are ${totalBytes} bytes (${megabytes(totalBytes)}), over the data limit of ${maxBytes} bytes (${megabytes(maxBytes)})`,
    );
  }

  const nFeatures = height * width * channels;
  const maxValues = limits.maxValues ?? DEFAULT_MAX_VALUES;
  if (all.length * nFeatures > maxValues) {
    throw new AppError(
      'training',
      `${all.length} images of ${height} × ${width} × ${channels} are ${all.length * nFeatures} values, over the limit of ${maxValues} values in memory; use a smaller data.images.size or fewer images`,
    );
  }
  const decode = async (files: readonly ImageFile[]): Promise<Float32Array> => {
    const out = new Float32Array(files.length * nFeatures);
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      const buffer = await fs.promises.readFile(file.absolute);
      const image = decodeImage(buffer, file.relative, maxPixels);
      writeResized(image, channels, height, width, out, i * nFeatures);
    }
    return out;
  };

  const split = { ...DEFAULT_SPLIT, ...options.split };
  const classesOf = (files: readonly ImageFile[]) => Int32Array.from(files, (f) => f.classIndex);
  const pick = (files: readonly ImageFile[], indices: number[]) => indices.map((r) => files[r]!);
  let pool: readonly ImageFile[] = train.files;
  let testFiles: readonly ImageFile[];
  if (test) testFiles = test.files;
  else {
    const rows = splitRows(pool.length, split.test, split.seed, images.train, classesOf(pool));
    testFiles = pick(pool, rows.test);
    pool = pick(pool, rows.train);
  }
  let trainFiles: readonly ImageFile[] = pool;
  let validationFiles: readonly ImageFile[] = [];
  if (validation) validationFiles = validation.files;
  else if (split.validation > 0) {
    // A seed of its own: the same seed would draw the same shuffle the test split was drawn with.
    const rows = splitRows(pool.length, split.validation, split.seed + 1, images.train, classesOf(pool), 'validation');
    validationFiles = pick(pool, rows.test);
    trainFiles = pick(pool, rows.train);
  }
  const xTrain = await decode(trainFiles);
  const xVal = await decode(validationFiles);
  const xTest = await decode(testFiles);
  const yTrain = Float32Array.from(trainFiles, (f) => f.classIndex);
  const yVal = Float32Array.from(validationFiles, (f) => f.classIndex);
  const yTest = Float32Array.from(testFiles, (f) => f.classIndex);

  const kind = options.normalize ?? 'none';
  const [offset, scale] = fitGlobal(xTrain, kind);
  if (offset !== 0 || scale !== 1) {
    for (const x of [xTrain, xVal, xTest]) for (let i = 0; i < x.length; i++) x[i] = (x[i]! - offset) / scale;
  }

  return {
    featureNames: Array.from({ length: nFeatures }, (_, i) => `px${i}`),
    xTrain,
    yTrain,
    nTrain: yTrain.length,
    xVal,
    yVal,
    nVal: yVal.length,
    xTest,
    yTest,
    nTest: yTest.length,
    warnings: [],
    nFeatures,
    labels: train.classes,
    normalization: { kind, offset: new Array<number>(nFeatures).fill(offset), scale: new Array<number>(nFeatures).fill(scale) },
    imageShape: [height, width, channels],
  };
}

function checkShape(images: ImageFolderSpec): [number, number, number] {
  const [height, width] = images.size;
  const side = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_IMAGE_SIDE;
  if (images.size.length !== 2 || !side(height) || !side(width)) {
    throw new AppError(
      'training',
      `data.images.size must be [height, width] with whole numbers from 1 to ${MAX_IMAGE_SIDE}, got ${JSON.stringify(images.size)}`,
    );
  }
  if (images.channels !== 1 && images.channels !== 3) {
    throw new AppError('training', `data.images.channels must be 1 (grayscale) or 3 (RGB), got ${images.channels}`);
  }
  return [height!, width!, images.channels];
}

/** Lists `folder`'s class subfolders and their images; with `knownClasses`, every folder must be one of them. */
function listFolder(repoDir: string, folder: string, what: string, knownClasses: string[] | null): FolderListing {
  const root = resolve(repoDir, folder, what);
  if (!fs.statSync(root).isDirectory()) {
    throw new AppError('training', `${what} "${folder}" is not a folder; it should hold one subfolder per class`);
  }
  const classNames: string[] = [];
  for (const name of visibleEntries(root)) {
    const relative = joinRelative(folder, name);
    const abs = resolve(repoDir, relative, what);
    if (!fs.statSync(abs).isDirectory()) {
      throw new AppError('training', `${relative}: expected only class folders in ${what} "${folder}", found a file`);
    }
    classNames.push(name);
  }
  classNames.sort(compareText);
  const classes = knownClasses ?? classNames;
  const files: ImageFile[] = [];
  for (const className of classNames) {
    const classIndex = classes.indexOf(className);
    if (classIndex < 0) {
      throw new AppError(
        'training',
        `${joinRelative(folder, className)}: class "${className}" has no folder in data.images.train (classes: ${classes.join(', ')})`,
      );
    }
    const classDir = joinRelative(folder, className);
    const names = visibleEntries(resolve(repoDir, classDir, what)).sort(compareText);
    if (names.length === 0 && knownClasses === null) {
      throw new AppError('training', `${classDir}: the class folder "${className}" holds no images`);
    }
    for (const name of names) {
      const relative = joinRelative(classDir, name);
      const absolute = resolve(repoDir, relative, what);
      const stat = fs.statSync(absolute);
      if (stat.isDirectory()) {
        throw new AppError('training', `${relative}: folders inside a class folder are not supported; put the images directly in ${classDir}`);
      }
      if (!IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase())) {
        throw new AppError('training', `${relative} is not an image; a class folder may hold only .png, .jpg and .jpeg files`);
      }
      files.push({ relative, absolute, bytes: stat.size, classIndex });
    }
  }
  if (files.length === 0) throw new AppError('training', `${what} "${folder}" holds no images`);
  return { classes, files };
}

function visibleEntries(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => !name.startsWith('.'));
}

function joinRelative(folder: string, name: string): string {
  return `${folder.replace(/[\\/]+$/, '')}/${name}`;
}

function resolve(repoDir: string, relative: string, what: string): string {
  try {
    return resolveInsideRepo(repoDir, relative, what);
  } catch (error) {
    throw new AppError('training', error instanceof Error ? error.message : String(error));
  }
}

interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** RGBA, 8 bits per channel. */
  readonly rgba: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Decodes by content (PNG signature or JPEG SOI marker), whatever the extension says. */
export function decodeImage(buffer: Uint8Array, file: string, maxPixels = DEFAULT_MAX_IMAGE_PIXELS): DecodedImage {
  if (PNG_SIGNATURE.every((b, i) => buffer[i] === b)) {
    // The IHDR chunk comes first: width and height at bytes 16–23. Checked before pngjs allocates anything.
    if (buffer.length >= 24) {
      const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      checkPixels(view.getUint32(16), view.getUint32(20), file, maxPixels);
    }
    let png: PNG;
    try {
      png = PNG.sync.read(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    } catch (error) {
      throw new AppError('training', `${file} could not be decoded as a PNG image (${oneLine(error)})`);
    }
    return { width: png.width, height: png.height, rgba: png.data };
  }
  if (buffer[0] === 0xff && buffer[1] === 0xd8) {
    let image: { width: number; height: number; data: Uint8Array };
    try {
      image = jpeg.decode(buffer, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: maxPixels / 1_000_000,
        maxMemoryUsageInMB: 1024,
      });
    } catch (error) {
      const message = oneLine(error);
      if (/maxResolutionInMP/.test(message)) {
        throw new AppError('training', `${file} is larger than ${maxPixels} pixels, the most one image may have`);
      }
      throw new AppError('training', `${file} could not be decoded as a JPEG image (${message})`);
    }
    checkPixels(image.width, image.height, file, maxPixels);
    return { width: image.width, height: image.height, rgba: image.data };
  }
  throw new AppError('training', `${file} is not a PNG or JPEG image (its content does not start like one)`);
}

function checkPixels(width: number, height: number, file: string, maxPixels: number): void {
  if (width < 1 || height < 1) throw new AppError('training', `${file} has no pixels (${width} × ${height})`);
  if (width * height > maxPixels) {
    throw new AppError(
      'training',
      `${file} is ${width} × ${height} = ${width * height} pixels, over the limit of ${maxPixels} pixels per image`,
    );
  }
}

/**
 * Writes `image` as `channels` planes interleaved (row-major h, w, c), values in [0, 1], resized to
 * `height` × `width` by bilinear interpolation with half-pixel centres (tf.image.resizeBilinear with
 * halfPixelCenters: true, without antialiasing); an image already that size is copied as is.
 */
export function writeResized(
  image: DecodedImage,
  channels: number,
  height: number,
  width: number,
  out: Float32Array,
  at: number,
): void {
  const { width: sw, height: sh, rgba } = image;
  // Source pixels converted to the wanted channels, in [0, 1].
  const source = new Float32Array(sw * sh * channels);
  for (let p = 0; p < sw * sh; p++) {
    const r = rgba[p * 4]!;
    const g = rgba[p * 4 + 1]!;
    const b = rgba[p * 4 + 2]!;
    if (channels === 1) {
      source[p] = (r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b) / 255;
    } else {
      source[p * 3] = r / 255;
      source[p * 3 + 1] = g / 255;
      source[p * 3 + 2] = b / 255;
    }
  }
  if (sw === width && sh === height) {
    out.set(source, at);
    return;
  }
  const scaleY = sh / height;
  const scaleX = sw / width;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const dy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), sw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const dx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const v00 = source[(y0 * sw + x0) * channels + c]!;
        const v01 = source[(y0 * sw + x1) * channels + c]!;
        const v10 = source[(y1 * sw + x0) * channels + c]!;
        const v11 = source[(y1 * sw + x1) * channels + c]!;
        const top = v00 + (v01 - v00) * dx;
        const bottom = v10 + (v11 - v10) * dx;
        out[at + (y * width + x) * channels + c] = top + (bottom - top) * dy;
      }
    }
  }
}

/** One [offset, scale] over every training pixel: the features of an image share a scale. */
function fitGlobal(x: Float32Array, kind: NormalizeKind): [number, number] {
  if (kind === 'none' || x.length === 0) return [0, 1];
  if (kind === 'minmax') {
    let min = Infinity;
    let max = -Infinity;
    for (const v of x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const range = max - min;
    return [min, range > 0 ? range : 1];
  }
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let squares = 0;
  for (const v of x) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / x.length);
  return [mean, std > 0 ? std : 1];
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
