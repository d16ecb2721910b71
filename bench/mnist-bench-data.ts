// The data and models the training-speed benches share (bench/train-speed.ts on the CPU, bench/gpu-train-speed.ts on
// the GPU): real MNIST digits from the `mnist` package as a CSV, and the manifests of the MLP and the CNN they train.
import fs from 'node:fs';
import { createRequire } from 'node:module';

export const BATCH_SIZE = 64;

export const benchLayers = {
  mlp: [
    { type: 'dense', units: 128, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
  cnn: [
    { type: 'reshape', targetShape: [28, 28, 1] },
    { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
} as const;

export type BenchModel = keyof typeof benchLayers;

/** `rows` MNIST digits (784 pixels in [0, 1], then the label), repeating the package's 8,000 training digits past 8,000. */
export function mnistCsv(rows: number): string {
  const mnist = createRequire(import.meta.url)('mnist') as { set(a: number, b: number): { training: { input: number[]; output: number[] }[] } };
  const digits = mnist.set(Math.min(rows, 8000), 0).training;
  const lines = ['' + [...Array.from({ length: 784 }, (_, i) => `p${i}`), 'label'].join(',')];
  for (let i = 0; i < rows; i++) {
    const d = digits[i % digits.length]!;
    lines.push([...d.input.map((v) => (v === 0 ? '0' : v.toFixed(3))), d.output.indexOf(1)].join(','));
  }
  return lines.join('\n') + '\n';
}

/** The modelcommons.json of the bench project for `kind`, its data at data/train.csv. */
export function benchManifest(kind: BenchModel, epochs: number) {
  return {
    name: `digits-${kind}`,
    task: 'classification',
    data: { train: 'data/train.csv', label: 'label', normalize: 'none', split: { test: 0.01, seed: 1 } },
    model: { layers: benchLayers[kind] },
    training: { epochs, batchSize: BATCH_SIZE, optimizer: 'adam', learningRate: 0.001, seed: 7 },
  };
}

/** The column names of Kaggle's MNIST CSV layout: the label first, then pixel0 … pixel783. */
export const kagglePixelColumns = Array.from({ length: 784 }, (_, i) => `pixel${i}`);

/**
 * Writes `rows` digits in Kaggle's MNIST CSV layout (label, then 784 integer pixels 0–255) to `file`, streaming it
 * out in chunks. The package's 8,000 real digits repeat, each repetition shifted by up to a pixel (nine positions),
 * so that a large file is not the same 8,000 rows over and over.
 */
export function writeKaggleMnistCsv(file: string, rows: number): number {
  const mnist = createRequire(import.meta.url)('mnist') as { set(a: number, b: number): { training: { input: number[]; output: number[] }[] } };
  const digits = mnist.set(Math.min(rows, 8000), 0).training;
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  const write = (text: string) => {
    bytes += fs.writeSync(fd, text);
  };
  try {
    write(['label', ...kagglePixelColumns].join(',') + '\n');
    let chunk: string[] = [];
    for (let i = 0; i < rows; i++) {
      const d = digits[i % digits.length]!;
      const k = Math.floor(i / digits.length) % 9;
      const dx = (k % 3) - 1;
      const dy = Math.floor(k / 3) - 1;
      const cells = new Array<number>(785);
      cells[0] = d.output.indexOf(1);
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const sx = x - dx;
          const sy = y - dy;
          const v = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? d.input[sy * 28 + sx]! : 0;
          cells[1 + y * 28 + x] = Math.round(v * 255);
        }
      }
      chunk.push(cells.join(','));
      if (chunk.length === 1000) {
        write(chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) write(chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/**
 * The one-click case of bench/train-speed.ts: Kaggle's MNIST CSV layout (label first) and the seed document's CNN,
 * Conv2D 32 3×3 → MaxPool 2 → Dense 10, batch 32, min-max scaled, ModelCommons' default split shares.
 */
export function kaggleCnnManifest(epochs: number) {
  return {
    name: 'digits-kaggle-cnn',
    task: 'classification',
    data: { train: 'data/train.csv', label: 'label', normalize: 'minmax', split: { test: 0.2, validation: 0.1, seed: 1 } },
    model: {
      layers: [
        { type: 'reshape', targetShape: [28, 28, 1] },
        { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
        { type: 'maxPooling2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    training: { epochs, batchSize: 32, optimizer: 'adam', learningRate: 0.001, seed: 7 },
  };
}
