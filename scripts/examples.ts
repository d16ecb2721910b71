// The example model projects that `scripts/make-examples.ts` builds: their manifests and the quality each one is
// documented to reach with the manifest's own settings (asserted by scripts/make-examples.test.ts).

export type ExampleMetric = 'accuracy' | 'r2';

export interface ExampleSpec {
  /** Folder and manifest name. */
  readonly name: string;
  readonly title: string;
  readonly task: 'classification' | 'regression';
  readonly data: 'tabular' | 'images';
  readonly primaryMetric: ExampleMetric;
  /** The test-split value of `primaryMetric` that training with the manifest's settings reaches at least. */
  readonly expectedMin: number;
  /** The sentence the example's README states about its quality. */
  readonly quality: string;
  /** The modelcommons.json content. */
  readonly manifest: Record<string, unknown>;
}

export const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
export const AUTO_MPG_FEATURES = [
  'cylinders',
  'displacement',
  'horsepower',
  'weight',
  'acceleration',
  'model_year',
  'origin',
] as const;

/** Digits per class written by make-examples for mnist-digits. */
export const MNIST_TRAIN_PER_DIGIT = 150;
export const MNIST_TEST_PER_DIGIT = 50;

const iris: ExampleSpec = {
  name: 'iris-classifier',
  title: 'Iris species classifier',
  task: 'classification',
  data: 'tabular',
  primaryMetric: 'accuracy',
  expectedMin: 0.9,
  quality: 'accuracy ≥ 0.9 on the seeded 20 % stratified test split (30 flowers) with this manifest’s settings',
  manifest: {
    name: 'iris-classifier',
    description: 'Classifies iris flowers into three species from four measurements of their sepals and petals.',
    task: 'classification',
    data: {
      train: 'data/iris.csv',
      label: 'species',
      features: [...IRIS_FEATURES],
      split: { test: 0.2, seed: 42 },
      normalize: 'standard',
    },
    model: {
      layers: [
        { type: 'dense', units: 16, activation: 'relu' },
        { type: 'dense', units: 3, activation: 'softmax' },
      ],
    },
    training: { epochs: 60, batchSize: 16, optimizer: 'adam', learningRate: 0.01, seed: 7 },
    metrics: { primary: 'accuracy' },
  },
};

const autoMpg: ExampleSpec = {
  name: 'auto-mpg-regression',
  title: 'Fuel economy (Auto MPG) regression',
  task: 'regression',
  data: 'tabular',
  primaryMetric: 'r2',
  expectedMin: 0.8,
  quality: 'R² ≥ 0.8 on the seeded 20 % test split (79 cars) with this manifest’s settings',
  manifest: {
    name: 'auto-mpg-regression',
    description: 'Predicts a 1970s–80s car’s fuel economy (miles per US gallon) from its engine, weight, year and origin.',
    task: 'regression',
    data: {
      train: 'data/auto-mpg.csv',
      label: 'mpg',
      features: [...AUTO_MPG_FEATURES],
      split: { test: 0.2, seed: 42 },
      normalize: 'standard',
    },
    model: {
      layers: [
        { type: 'dense', units: 32, activation: 'relu' },
        { type: 'dense', units: 16, activation: 'relu' },
        { type: 'dense', units: 1 },
      ],
    },
    training: { epochs: 100, batchSize: 16, optimizer: 'adam', learningRate: 0.005, seed: 7 },
    metrics: { primary: 'r2' },
  },
};

const mnist: ExampleSpec = {
  name: 'mnist-digits',
  title: 'Handwritten digits (MNIST sample)',
  task: 'classification',
  data: 'images',
  primaryMetric: 'accuracy',
  expectedMin: 0.85,
  quality: `accuracy ≥ 0.85 on the ${10 * MNIST_TEST_PER_DIGIT} test digits in images/test with this manifest’s settings`,
  manifest: {
    name: 'mnist-digits',
    description: 'Recognises handwritten digits 0–9 in 28 × 28 grayscale images.',
    task: 'classification',
    data: {
      images: { train: 'images/train', test: 'images/test', size: [28, 28], channels: 1 },
      normalize: 'none',
    },
    model: {
      // The reshape makes the model independent of whether the trainer feeds flat rows or [28, 28, 1] images;
      // a conv2d/maxPooling2d stack can go between it and the flatten.
      layers: [
        { type: 'reshape', targetShape: [28, 28, 1] },
        { type: 'flatten' },
        { type: 'dense', units: 128, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    training: { epochs: 15, batchSize: 32, optimizer: 'adam', learningRate: 0.001, seed: 7 },
    metrics: { primary: 'accuracy' },
  },
};

export const EXAMPLES: readonly ExampleSpec[] = [iris, autoMpg, mnist];
