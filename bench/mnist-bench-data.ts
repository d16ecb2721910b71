// The data and models the training-speed benches share (bench/train-speed.ts on the CPU, bench/gpu-train-speed.ts on
// the GPU): real MNIST digits from the `mnist` package as a CSV, and the manifests of the MLP and the CNN they train.
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
