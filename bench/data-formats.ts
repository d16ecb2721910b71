// Loading the same digits in each data format a repository may ship (Kaggle's MNIST CSV, the CSV gzip'd, MNIST's
// IDX files gzip'd, an .npz as Keras's mnist.npz lays it out, a snappy Parquet file), by the whole tabular loader,
// against the plain CSV (the anchor, measured in the same run) and NumPy's np.load of the .npz; best of N.
// Run: npx tsx bench/data-formats.ts [--rows 60000] [--repeats 3]   (needs python3 with NumPy)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { Manifest } from '../shared/manifest.js';
import { loadTabularData } from '../electron/core/training/data/index.js';
import { tempDir } from '../electron/core/testing/git-fixtures.js';
import { kagglePixelColumns, writeKaggleMnistCsv } from './mnist-bench-data.js';

const { values: opts } = parseArgs({ options: { rows: { type: 'string', default: '60000' }, repeats: { type: 'string', default: '3' } } });
const rows = Number(opts.rows);
const repeats = Number(opts.repeats);
const work = tempDir('mc-data-formats-');
fs.mkdirSync(path.join(work, 'data'));
const csv = path.join(work, 'data', 'train.csv');
writeKaggleMnistCsv(csv, rows);

// The other formats, written from the CSV's numbers by NumPy (npz, IDX) and hyparquet-writer (Parquet).
const python = (script: string) => {
  const run = spawnSync('/usr/bin/python3', ['-c', `import sys, time, gzip, struct, numpy as np\n${script}`, work], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr.trim().split('\n').pop()}`);
  return run.stdout.trim();
};
python(`d = np.loadtxt(sys.argv[1] + '/data/train.csv', delimiter=',', skiprows=1, dtype=np.uint8)
y, x = d[:, 0], d[:, 1:].reshape(-1, 28, 28)
np.savez_compressed(sys.argv[1] + '/data/mnist.npz', x_train=x, y_train=y)
with gzip.open(sys.argv[1] + '/data/train-images-idx3-ubyte.gz', 'wb') as f: f.write(struct.pack('>IIII', 0x803, *x.shape)); f.write(x.tobytes())
with gzip.open(sys.argv[1] + '/data/train-labels-idx1-ubyte.gz', 'wb') as f: f.write(struct.pack('>II', 0x801, len(y))); f.write(y.tobytes())
np.save(sys.argv[1] + '/data/matrix.npy', d)`);
const matrix = fs.readFileSync(path.join(work, 'data', 'matrix.npy'));
const start = matrix.readUInt16LE(8) + 10;
const cells = matrix.subarray(start);
const column = (j: number) => Int32Array.from({ length: rows }, (_, r) => cells[r * 785 + j]!);
fs.writeFileSync(
  path.join(work, 'data', 'train.parquet'),
  new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'label', data: column(0), type: 'INT32' }, ...kagglePixelColumns.map((name, i) => ({ name, data: column(i + 1), type: 'INT32' as const }))] })),
);
fs.writeFileSync(path.join(work, 'data', 'train.csv.gz'), zlib.gzipSync(fs.readFileSync(csv), { level: 6 }));
fs.rmSync(path.join(work, 'data', 'matrix.npy'));

const formats: [string, string, string][] = [
  ['CSV (anchor)', 'data/train.csv', 'label'],
  ['CSV gzip', 'data/train.csv.gz', 'label'],
  ['Parquet snappy', 'data/train.parquet', 'label'],
  ['IDX gzip', 'data/train-images-idx3-ubyte.gz', 'label'],
  ['npz deflate', 'data/mnist.npz', 'y'],
];

async function best(what: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await what();
    fastest = Math.min(fastest, (performance.now() - t) / 1000);
  }
  return fastest;
}

const seconds: number[] = [];
for (const [, train, label] of formats) {
  const manifest = Manifest.parse({ name: 'digits', task: 'classification', data: { train, label, normalize: 'minmax' }, model: { layers: [{ type: 'dense', units: 10 }] } });
  seconds.push(await best(() => loadTabularData(work, manifest)));
}
const npLoad = Number(python(`best = 1e9
for _ in range(${repeats}):
    t = time.perf_counter(); z = np.load(sys.argv[1] + '/data/mnist.npz'); x, y = z['x_train'], z['y_train']; best = min(best, time.perf_counter() - t)
print(best)`));

console.log(`${rows.toLocaleString('en')} digits × 785 columns, loadTabularData (read, split, encode), best of ${repeats}, Node ${process.version}`);
formats.forEach(([name, train], i) => {
  const size = (fs.statSync(path.join(work, train)).size / 1e6).toFixed(1);
  console.log(`${name.padEnd(16)} ${size.padStart(6)} MB  ${seconds[i]!.toFixed(2)} s  ${(seconds[i]! / seconds[0]!).toFixed(2)}× the CSV's time`);
});
console.log(`np.load of the .npz (decompress only, no split or encoding): ${npLoad.toFixed(2)} s`);
fs.rmSync(work, { recursive: true, force: true });
