// `init` on repositories whose data is Parquet, NumPy or MNIST IDX: the files are found (an IDX labels file and a
// y.npy as partners, not data of their own), previewed, and the proposed manifest trains.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../shared/manifest.js';
import { createServices } from '../services.js';
import { loadTabularData } from '../training/data/index.js';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { runNumpy } from '../testing/numpy-script.js';
import { findSetupFiles } from './find-setup-files.js';

const root = tempDir('mc-setup-formats-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let repos = 0;

/** A committed repository holding `files` and what `write` puts in it. */
function repoWith(files: Record<string, string | Uint8Array>, write?: (dir: string) => void): string {
  const repo = makeRepo(path.join(root, `r${repos++}`), [{ author: 'Ada', email: 'ada@x.org', message: 'readme', files: { 'README.md': '# Data\n' } }]);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), content);
  }
  write?.(repo);
  git(repo, ['add', '-A']);
  git(repo, ['-c', 'user.name=Ada', '-c', 'user.email=ada@x.org', 'commit', '-q', '-m', 'data']);
  return repo;
}

function idx(type: number, shape: number[], values: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = type;
  header[3] = shape.length;
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}

/** `n` 4×4 images: class 0 bright on the left half, class 1 on the right. */
function halves(n: number): { images: number[]; labels: number[] } {
  const images: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    labels.push(label);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) images.push((x < 2) === (label === 0) ? 200 + ((i * 7 + x) % 50) : (i * 3 + y) % 40);
  }
  return { images, labels };
}

async function detect(repo: string) {
  const services = createServices({ home: path.join(root, `home-${repos}`), version: 'test' });
  const project = await services.projects.add(repo, { inPlace: true });
  return { services, project, proposal: await services.setup.detect(project.id) };
}

describe('init finds and proposes the data formats repositories ship', () => {
  it('finds .parquet, .npz, .npy, .csv.gz and IDX images files, not the IDX labels file or y.npy beside them', () => {
    const dir = path.join(root, 'found');
    for (const name of ['a.parquet', 'b.npz', 'X_train.npy', 'y_train.npy', 'lone.npy', 'c.csv.gz', 'mnist/train-images-idx3-ubyte.gz', 'mnist/train-labels-idx1-ubyte.gz', 'notes.txt']) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), '');
    }
    expect(findSetupFiles(dir).dataFiles).toEqual(['X_train.npy', 'a.parquet', 'b.npz', 'c.csv.gz', 'lone.npy', 'mnist/train-images-idx3-ubyte.gz']);
  });

  it('MNIST IDX files with nothing else: label "label", the t10k files as the test data, and the proposed manifest trains', async () => {
    const train = halves(80);
    const test = halves(20);
    const repo = repoWith({
      'data/train-images-idx3-ubyte.gz': zlib.gzipSync(idx(0x08, [80, 4, 4], train.images)),
      'data/train-labels-idx1-ubyte.gz': zlib.gzipSync(idx(0x08, [80], train.labels)),
      'data/t10k-images-idx3-ubyte.gz': zlib.gzipSync(idx(0x08, [20, 4, 4], test.images)),
      'data/t10k-labels-idx1-ubyte.gz': zlib.gzipSync(idx(0x08, [20], test.labels)),
    });
    const { services, project, proposal } = await detect(repo);
    try {
      expect(proposal.question).toBeNull();
      expect(proposal.dataFiles).toEqual(['data/train-images-idx3-ubyte.gz', 'data/t10k-images-idx3-ubyte.gz']);
      expect(proposal.manifest?.data).toMatchObject({ train: 'data/train-images-idx3-ubyte.gz', test: 'data/t10k-images-idx3-ubyte.gz', label: 'label' });
      expect(proposal.manifest?.task).toBe('classification');
      expect(proposal.manifest?.data.features).toHaveLength(16);
      services.setup.write(project.id, proposal.manifest);
      const { finished } = await services.training.start(project.id, { backend: 'cpu', epochs: 10 });
      const run = await finished;
      expect(run.error).toBeNull();
      expect(run.labels).toEqual(['0', '1']);
      expect(run.metrics?.['accuracy']).toBeGreaterThanOrEqual(0.75); // bright left or right half: chance is 0.5
    } finally {
      services.close();
    }
  });

  it('a Parquet file: previewed with its columns, the text label found by name, the features proposed', async () => {
    const n = 30;
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'sepal', data: Float64Array.from({ length: n }, (_, i) => 4 + (i % 7) * 0.3), type: 'DOUBLE' },
        { name: 'petal', data: Float64Array.from({ length: n }, (_, i) => 1 + (i % 5) * 0.4), type: 'DOUBLE' },
        { name: 'species', data: Array.from({ length: n }, (_, i) => ['setosa', 'virginica'][i % 2]!), type: 'STRING' },
      ],
    });
    const repo = repoWith({ 'iris.parquet': new Uint8Array(bytes) });
    const { services, proposal } = await detect(repo);
    try {
      expect(proposal.data).toMatchObject({ kind: 'table', file: 'iris.parquet', rows: n });
      expect(proposal.manifest?.data).toMatchObject({ train: 'iris.parquet', label: 'species', features: ['sepal', 'petal'] });
    } finally {
      services.close();
    }
  });

  it('an .npz with x_train, y_train, x_test, y_test: label "y", the same file as the test data', async () => {
    const repo = repoWith({}, (dir) =>
      runNumpy(dir, "x = np.arange(40 * 6, dtype=np.float32).reshape(40, 2, 3)\ny = np.arange(40) % 2\nnp.savez('data.npz', x_train=x[:30], y_train=y[:30], x_test=x[30:], y_test=y[30:])"),
    );
    const { services, proposal } = await detect(repo);
    try {
      expect(proposal.manifest?.data).toMatchObject({ train: 'data.npz', test: 'data.npz', label: 'y', features: ['x[0]', 'x[1]', 'x[2]', 'x[3]', 'x[4]', 'x[5]'] });
    } finally {
      services.close();
    }
  });

  it('X.npy beside a one-hot y.npy: the pair is one data file, the label "y" is its class, and the manifest loads', async () => {
    const repo = repoWith({}, (dir) =>
      runNumpy(dir, "np.save('X.npy', np.random.default_rng(2).random((30, 4)))\nnp.save('y.npy', np.eye(3)[np.arange(30) % 3])"),
    );
    const { services, proposal } = await detect(repo);
    try {
      expect(proposal.dataFiles).toEqual(['X.npy']);
      expect(proposal.manifest?.data).toMatchObject({ train: 'X.npy', label: 'y', features: ['x[0]', 'x[1]', 'x[2]', 'x[3]'] });
      expect(proposal.manifest?.task).toBe('classification');
      const data = await loadTabularData(repo, Manifest.parse(proposal.manifest));
      expect(data.labels).toEqual(['0', '1', '2']);
    } finally {
      services.close();
    }
  });
});
