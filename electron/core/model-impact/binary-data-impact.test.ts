// Model impact on data in the binary formats the readers take: the yardstick reads an .npz's test arrays (not its
// train arrays), and a commit that changes only an IDX labels file touches the model, because the file read beside
// a data file is part of the state (training-paths.ts), and is written beside it when the yardstick reads it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database.js';
import { ModelTrainingsRepository } from '../store/model-trainings-repository.js';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { runNumpy } from '../testing/numpy-script.js';
import { analyzeModelImpact } from './analyze-model-impact.js';
import { TrainingPool } from './training-pool.js';

const ada = { author: 'Ada Lovelace', email: 'ada@example.org' };
const grace = { author: 'Grace Hopper', email: 'grace@example.org' };
const dan = { author: 'Dan Docs', email: 'dan@example.org' };

let root: string;
let db: Db;
let pool: TrainingPool;
let store: ModelTrainingsRepository;

const manifest = (data: Record<string, unknown>) =>
  JSON.stringify({
    name: 'binary',
    task: 'classification',
    data: { split: { test: 0.25, seed: 42 }, ...data },
    model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }] },
    training: { epochs: 4, batchSize: 16, optimizer: 'adam', learningRate: 0.05, seed: 7 },
    metrics: { primary: 'accuracy' },
  });

/** An IDX file of unsigned bytes. */
function idx(shape: number[], values: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = 0x08;
  header[3] = shape.length;
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}

beforeAll(() => {
  root = tempDir('mc-binary-impact-');
  db = openDatabase(path.join(root, 'store.db'));
  store = new ModelTrainingsRepository(db);
  pool = new TrainingPool({ workers: 2 });
});

afterAll(async () => {
  await pool.close();
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('model impact on binary data files', () => {
  it('an .npz holding train and test arrays: the yardstick is its 20 test rows, not its 60 train rows', async () => {
    const dir = path.join(root, 'npz');
    runNumpy(
      dir,
      [
        'rng = np.random.default_rng(3)',
        'y = np.arange(80) % 2',
        'x = (rng.normal(size=(80, 4)) + y[:, None] * 3).astype(np.float32)',
        "np.savez('digits.npz', x_train=x[:60], y_train=y[:60], x_test=x[60:], y_test=y[60:])",
      ].join('\n'),
    );
    makeRepo(dir, [{ ...ada, message: 'data and model', files: { 'modelcommons.json': manifest({ train: 'digits.npz', test: 'digits.npz', label: 'y' }) } }]);
    const report = await analyzeModelImpact(dir, { runner: pool, store, seeds: 2, method: 'replay' });
    expect(report.evaluation.rows).toBe(20);
    expect(report.full.mean).toBeGreaterThan(0.8);
  }, 120_000);

  it('a commit that changes only the IDX labels file touches the model and is trained; a README commit is not', async () => {
    const dir = path.join(root, 'idx');
    const rows = 80;
    const labels = Array.from({ length: rows }, (_, i) => i % 2);
    const images = labels.flatMap((l, r) => Array.from({ length: 16 }, (_, p) => (l ? 180 : 20) + ((r * 7 + p * 13) % 60)));
    const relabelled = labels.map((l, i) => (i % 5 === 0 ? 1 - l : l)); // every fifth label flipped
    makeRepo(dir, [
      {
        ...ada,
        message: 'digits',
        files: {
          'modelcommons.json': manifest({ train: 'mnist/train-images-idx3-ubyte', label: 'label' }),
          'mnist/train-images-idx3-ubyte': idx([rows, 4, 4], images),
          'mnist/train-labels-idx1-ubyte': idx([rows], labels),
        },
      },
      { ...grace, message: 'relabel', files: { 'mnist/train-labels-idx1-ubyte': idx([rows], relabelled) } },
      { ...dan, message: 'docs', files: { 'README.md': '# digits\n' } },
    ]);
    const [first, relabel, docs] = git(dir, ['rev-list', '--reverse', 'HEAD']).trim().split('\n');
    const report = await analyzeModelImpact(dir, { runner: pool, store, seeds: 2, method: 'replay' });
    const commit = (sha: string | undefined) => report.commits.find((c) => c.sha === sha)!;
    expect(commit(first).trained).toBe(true);
    expect(commit(relabel)).toMatchObject({ touchesModel: true, trained: true });
    expect(commit(docs)).toMatchObject({ touchesModel: false, trained: false });
    expect(report.evaluation.rows).toBe(20); // 25 % of the 80 images, with their labels read beside them
  }, 120_000);
});
