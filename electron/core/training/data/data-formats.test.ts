// The data formats repositories ship besides CSV: Parquet (written here with hyparquet-writer: numbers, text,
// booleans, dictionary pages, several row groups, snappy and gzip), NumPy .npy / .npz (written by python3's
// NumPy), MNIST IDX pairs (gzip'd or not) and gzip'd CSV/TSV; each loads to what the same data as a CSV loads to,
// and every bad file is refused in one line naming it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import { parsesOrAppError } from '../../testing/fuzz-properties.js';
import { tempDir } from '../../testing/git-fixtures.js';
import { runNumpy } from '../../testing/numpy-script.js';
import { activateBackend } from '../backends.js';
import { trainModel } from '../train-model.js';
import { dataCacheKey } from './data-cache.js';
import { loadTabularData, type TabularData } from './index.js';

const root = tempDir('mc-data-formats-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let made = 0;

/** A project folder holding `files` (text or bytes, by relative path). */
function project(files: Record<string, string | Uint8Array>): string {
  const dir = path.join(root, `p${made++}`);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function manifest(data: Record<string, unknown>, task: 'classification' | 'regression' = 'classification'): Manifest {
  return Manifest.parse({ name: 'formats', task, data: { split: { test: 0.25, validation: 0, seed: 4 }, ...data }, model: { layers: [{ type: 'dense', units: 2 }] } });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const message = (error as AppError).message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

/** The parts of loaded data a user sees: the same numbers in the same order, the same classes. */
function summary(data: TabularData) {
  return {
    featureNames: data.featureNames,
    labels: data.labels,
    counts: [data.nTrain, data.nVal, data.nTest],
    xTrain: Array.from(data.xTrain),
    yTrain: Array.from(data.yTrain),
    xTest: Array.from(data.xTest),
    yTest: Array.from(data.yTest),
  };
}

/** 40 rows: two numbers, a category (few values, so dictionary-encoded), a boolean and a text label. */
const rows = Array.from({ length: 40 }, (_, i) => ({
  width: i * 0.25,
  count: (i * 7) % 13,
  color: ['red', 'green', 'blue'][i % 3]!,
  ripe: i % 4 === 0,
  label: i % 2 ? 'yes' : 'no',
}));
const rowsCsv = ['width,count,color,ripe,label', ...rows.map((r) => `${r.width},${r.count},${r.color},${r.ripe},${r.label}`)].join('\n') + '\n';

function rowsParquet(options: { rowGroupSize?: number; gzipColor?: boolean } = {}): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'width', data: rows.map((r) => r.width), type: 'DOUBLE' },
      { name: 'count', data: Int32Array.from(rows.map((r) => r.count)), type: 'INT32' },
      { name: 'color', data: rows.map((r) => r.color), type: 'STRING', ...(options.gzipColor ? { codec: 'GZIP' as const } : {}) },
      { name: 'ripe', data: rows.map((r) => r.ripe), type: 'BOOLEAN' },
      { name: 'label', data: rows.map((r) => r.label), type: 'STRING' },
    ],
    rowGroupSize: options.rowGroupSize ?? 1000,
    compressors: { GZIP: (input: Uint8Array) => new Uint8Array(zlib.gzipSync(input)) },
  });
  return new Uint8Array(buffer);
}

const numpy = runNumpy;

function idx(type: number, shape: number[], values: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = type;
  header[3] = shape.length;
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}

/** A .npy file's bytes built by hand: `header` is the dict text; the data bytes follow. */
function npyBytes(header: string, data: Uint8Array = new Uint8Array(0)): Buffer {
  const padded = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(padded.length, 8);
  return Buffer.concat([head, Buffer.from(padded, 'latin1'), data]);
}

describe('Parquet', () => {
  it('loads numbers, text, booleans and dictionary-encoded columns from several snappy row groups, as the same CSV does', async () => {
    const bytes = rowsParquet({ rowGroupSize: 16, gzipColor: true });
    const metadata = parquetMetadata(bytes.buffer as ArrayBuffer);
    expect(metadata.row_groups.length).toBe(3); // 16 + 16 + 8 rows
    const chunks = metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data!));
    expect(chunks.find((c) => c.path_in_schema[0] === 'label')!.codec).toBe('SNAPPY');
    expect(chunks.find((c) => c.path_in_schema[0] === 'color')!.codec).toBe('GZIP');
    expect(chunks.find((c) => c.path_in_schema[0] === 'color')!.encodings.some((e) => /DICTIONARY/.test(e))).toBe(true);

    const dir = project({ 'data/rows.parquet': bytes, 'data/rows.csv': rowsCsv });
    const fromParquet = await loadTabularData(dir, manifest({ train: 'data/rows.parquet', label: 'label' }));
    const fromCsv = await loadTabularData(dir, manifest({ train: 'data/rows.csv', label: 'label' }));
    expect(fromParquet.featureNames).toEqual(['width', 'count', 'color=blue', 'color=green', 'color=red', 'ripe=false', 'ripe=true']);
    expect(summary(fromParquet)).toEqual(summary(fromCsv));
  });

  it('reads only the named features, fills nulls where data.impute says, and refuses a null elsewhere naming the row', async () => {
    const width = rows.map((r, i) => (i === 5 ? null : r.width));
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'width', data: width, type: 'DOUBLE' },
        { name: 'count', data: Int32Array.from(rows.map((r) => r.count)), type: 'INT32' },
        { name: 'label', data: rows.map((r) => r.label), type: 'STRING' },
      ],
    });
    const dir = project({ 'gaps.parquet': new Uint8Array(buffer) });
    const filled = await loadTabularData(dir, manifest({ train: 'gaps.parquet', label: 'label', features: ['width'], impute: 'median' }));
    expect(filled.featureNames).toEqual(['width']);
    expect(await refusal(loadTabularData(dir, manifest({ train: 'gaps.parquet', label: 'label' })))).toBe('gaps.parquet line 6, column "width": missing value');
    expect(await refusal(loadTabularData(dir, manifest({ train: 'gaps.parquet', label: 'kind' })))).toMatch(/^gaps\.parquet has no label column "kind" \(its columns: "width", "count", "label"\)$/);
  });

  it('reads 64-bit integer columns as numbers, leaves out pandas\' index column, and refuses a date column by name', async () => {
    const n = 12;
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 1000)), type: 'INT64' },
        { name: 'label', data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 3)), type: 'INT64' },
        { name: '__index_level_0__', data: Int32Array.from({ length: n }, (_, i) => 100 + i), type: 'INT32' },
        { name: 'when', data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i))), type: 'TIMESTAMP' },
      ],
    });
    const dir = project({ 'big.parquet': new Uint8Array(buffer) });
    const data = await loadTabularData(dir, manifest({ train: 'big.parquet', label: 'label', features: ['id'], normalize: 'none' }));
    expect(data.labels).toEqual(['0', '1', '2']);
    expect(new Set([...data.xTrain, ...data.xTest])).toEqual(new Set(Array.from({ length: n }, (_, i) => i * 1000)));
    expect(await refusal(loadTabularData(dir, manifest({ train: 'big.parquet', label: 'label' })))).toBe(
      'big.parquet row 1, column "when": a date/time value; columns of numbers, text or booleans are read (leave it out with data.features)',
    );
    expect(await refusal(loadTabularData(dir, manifest({ train: 'big.parquet', label: 'label', features: ['__index_level_0__'] })))).toMatch(
      /^big\.parquet has no feature column "__index_level_0__" \(its columns: "id", "label", "when"\)$/,
    );
  });

  it('refuses a file that is not Parquet, and one whose columns would be over the data limit uncompressed, in one line', async () => {
    // 20,000 plain doubles repeating 0, 1: 160 kB uncompressed, a few kB once snappy has them.
    const repetitive = parquetWriteBuffer({
      columnData: [
        { name: 'width', data: Float64Array.from({ length: 20_000 }, (_, i) => i % 2), type: 'DOUBLE', encoding: 'PLAIN' },
        { name: 'label', data: Int32Array.from({ length: 20_000 }, (_, i) => i % 2), type: 'INT32', encoding: 'PLAIN' },
      ],
    });
    const dir = project({ 'bad.parquet': 'width,label\n1,a\n', 'rows.parquet': new Uint8Array(repetitive) });
    expect(await refusal(loadTabularData(dir, manifest({ train: 'bad.parquet', label: 'label' })))).toBe('bad.parquet: not a readable Parquet file (parquet file invalid (footer != PAR1))');
    const size = fs.statSync(path.join(dir, 'rows.parquet')).size;
    expect(size).toBeLessThan(40_000);
    expect(await refusal(loadTabularData(dir, manifest({ train: 'rows.parquet', label: 'label' }), { maxBytes: 40_000 }))).toMatch(
      /^rows\.parquet: the columns read are \d+ bytes uncompressed, over the data limit of \d+ bytes$/,
    );
  });
});

describe('NumPy .npy and .npz', () => {
  it('an .npz with x_train/y_train/x_test/y_test (Keras mnist.npz layout) loads train and test from one file; a 3-D x is flattened', async () => {
    const dir = project({});
    numpy(
      dir,
      `rng = np.random.default_rng(1)
x = rng.integers(0, 256, size=(30, 4, 3), dtype=np.uint8)
y = (np.arange(30) % 3).astype(np.int64)
np.savez_compressed('digits.npz', x_train=x[:24], y_train=y[:24], x_test=x[24:], y_test=y[24:])
np.savetxt('train.csv', np.column_stack([x[:24].reshape(24, -1), y[:24]]), fmt='%d', delimiter=',', header=','.join([f'x[{i}]' for i in range(12)] + ['y']), comments='')
np.savetxt('test.csv', np.column_stack([x[24:].reshape(6, -1), y[24:]]), fmt='%d', delimiter=',', header=','.join([f'x[{i}]' for i in range(12)] + ['y']), comments='')`,
    );
    const fromNpz = await loadTabularData(dir, manifest({ train: 'digits.npz', test: 'digits.npz', label: 'y' }));
    const fromCsv = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y' }));
    expect(fromNpz.featureNames).toHaveLength(12);
    expect(fromNpz.featureNames[0]).toBe('x[0]');
    expect([fromNpz.nTrain, fromNpz.nTest]).toEqual([24, 6]);
    expect(summary(fromNpz)).toEqual(summary(fromCsv));
    // data.features may name the array itself: all of its columns.
    const named = await loadTabularData(dir, manifest({ train: 'digits.npz', test: 'digits.npz', label: 'y', features: ['x'] }));
    expect(summary(named)).toEqual(summary(fromNpz));
  });

  it('X_train.npy beside y_train.npy is a pair (x and y); float32, bool and text labels are read; a lone 2-D .npy has columns 0, 1, …', async () => {
    const dir = project({});
    numpy(
      dir,
      `x = np.arange(60, dtype=np.float32).reshape(20, 3) / 4
np.save('X_train.npy', x)
np.save('y_train.npy', np.array(['cat', 'dog'] * 10))
np.save('flags.npy', np.column_stack([np.arange(20) % 3 == 0, np.arange(20) % 2]).astype(np.bool_))
np.save('table.npy', np.column_stack([x, np.arange(20) % 2]).astype(np.float64))`,
    );
    const pair = await loadTabularData(dir, manifest({ train: 'X_train.npy', label: 'y', normalize: 'none' }));
    expect(pair.featureNames).toEqual(['x[0]', 'x[1]', 'x[2]']);
    expect(pair.labels).toEqual(['cat', 'dog']);
    expect(pair.nTrain + pair.nTest).toBe(20);
    const values = new Set(Array.from(pair.xTrain));
    expect(values.has(0.25)).toBe(true);
    const lone = await loadTabularData(dir, manifest({ train: 'table.npy', label: '3', normalize: 'none' }));
    expect(lone.featureNames).toEqual(['0', '1', '2']);
    expect(lone.labels).toEqual(['0', '1']);
    const flags = await loadTabularData(dir, manifest({ train: 'flags.npy', label: '1', normalize: 'none' }));
    expect(new Set(Array.from(flags.xTrain))).toEqual(new Set([0, 1]));
  });

  it('refuses Fortran order, big-endian, object arrays, a shape that does not match the bytes and a header claiming 10^12 elements', async () => {
    const dir = project({
      'fortran.npz': zipOf({ 'x.npy': npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16)) }),
      'big.npy': npyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }", new Uint8Array(32)),
      'objects.npy': npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (2, 2), }", new Uint8Array(16)),
      'short.npy': npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", new Uint8Array(32)),
      'huge.npy': npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", new Uint8Array(16)),
      'text.npy': 'not numpy at all',
    });
    const load = (file: string) => refusal(loadTabularData(dir, manifest({ train: file, label: '1' })));
    expect(await load('fortran.npz')).toBe('fortran.npz: x.npy: the array is in Fortran order; save it in C order (np.ascontiguousarray) to use it');
    expect(await load('big.npy')).toMatch(/^big\.npy: dtype >f8 is big-endian/);
    expect(await load('objects.npy')).toMatch(/^objects\.npy: an object array \(pickled Python objects\) is never read/);
    expect(await load('short.npy')).toBe("short.npy: the header's shape (3, 2) needs 48 bytes of data, the file has 32");
    expect(await load('huge.npy')).toMatch(/^huge\.npy: shape \(1000000, 1000000\) is 1\.00e\+12 elements .* over the limit/);
    expect(await load('text.npy')).toBe('text.npy: not a NumPy .npy file (no \\x93NUMPY magic)');
  });

  it('one-hot labels (to_categorical) read as their class; a row that is not one-hot is refused naming it', async () => {
    const dir = project({});
    numpy(
      dir,
      `x = np.arange(20, dtype=np.float64).reshape(10, 2)
y = np.arange(10) % 3
np.savez('plain.npz', x=x, y=y)
np.savez('hot.npz', x=x, y=np.eye(3, dtype=np.float32)[y])
bad = np.eye(3)[y]; bad[4] = [1, 1, 0]
np.savez('bad.npz', x=x, y=bad)`,
    );
    const plain = await loadTabularData(dir, manifest({ train: 'plain.npz', label: 'y' }));
    const hot = await loadTabularData(dir, manifest({ train: 'hot.npz', label: 'y' }));
    expect(summary(hot)).toEqual(summary(plain));
    expect(hot.featureNames).toEqual(['x[0]', 'x[1]']);
    expect(await refusal(loadTabularData(dir, manifest({ train: 'bad.npz', label: 'y' })))).toBe(
      'bad.npz line 5: the label "y" has 3 values a row but is not one-hot there; a label is one value a row, or a one-hot row',
    );
  });

  it('an .npz without arrays for the test role, or with an entry declared over the data limit, is refused before inflating', async () => {
    const dir = project({});
    numpy(dir, `np.savez_compressed('train-only.npz', x_train=np.zeros((10000, 2)), y_train=np.arange(10000) % 2)`);
    expect(await refusal(loadTabularData(dir, manifest({ train: 'train-only.npz', test: 'train-only.npz', label: 'y' })))).toBe(
      'train-only.npz has no test arrays (its arrays: x_train, y_train); name them like x_test',
    );
    const size = fs.statSync(path.join(dir, 'train-only.npz')).size;
    expect(size).toBeLessThan(100_000); // 160 kB of zeros, deflated
    expect(await refusal(loadTabularData(dir, manifest({ train: 'train-only.npz', label: 'y' }), { maxBytes: 100_000 }))).toMatch(
      /^train-only\.npz: x_train\.npy \(\d+ bytes\) is over the data limit of \d+ bytes$/,
    );
  });
});

/** A stored (uncompressed) zip, as np.savez writes. */
function zipOf(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(files, { level: 0 });
}

describe('MNIST IDX', () => {
  const images = Array.from({ length: 12 * 4 * 4 }, (_, i) => (i * 37) % 256);
  const labels = Array.from({ length: 12 }, (_, i) => i % 3);

  it('train-images-idx3-ubyte.gz with its labels file loads as image[0..15] and label, like the same CSV; naming the labels file works too', async () => {
    const header = [...Array.from({ length: 16 }, (_, i) => `image[${i}]`), 'label'].join(',');
    const csv = [header, ...labels.map((l, r) => [...images.slice(r * 16, r * 16 + 16), l].join(','))].join('\n') + '\n';
    const dir = project({
      'mnist/train-images-idx3-ubyte.gz': zlib.gzipSync(idx(0x08, [12, 4, 4], images)),
      'mnist/train-labels-idx1-ubyte.gz': zlib.gzipSync(idx(0x08, [12], labels)),
      'plain/train-images-idx3-ubyte': idx(0x08, [12, 4, 4], images),
      'plain/train-labels-idx1-ubyte': idx(0x08, [12], labels),
      'same.csv': csv,
    });
    const fromCsv = summary(await loadTabularData(dir, manifest({ train: 'same.csv', label: 'label' })));
    expect(summary(await loadTabularData(dir, manifest({ train: 'mnist/train-images-idx3-ubyte.gz', label: 'label' })))).toEqual(fromCsv);
    expect(summary(await loadTabularData(dir, manifest({ train: 'mnist/train-labels-idx1-ubyte.gz', label: 'label' })))).toEqual(fromCsv);
    expect(summary(await loadTabularData(dir, manifest({ train: 'plain/train-images-idx3-ubyte', label: 'label' })))).toEqual(fromCsv);
  });

  it('refuses a missing labels file, counts that disagree, a header claiming 10^12 values, and a .gz that inflates past the limit', async () => {
    const dir = project({
      'alone/t10k-images-idx3-ubyte': idx(0x08, [12, 4, 4], images),
      'odd/train-images-idx3-ubyte': idx(0x08, [12, 4, 4], images),
      'odd/train-labels-idx1-ubyte': idx(0x08, [11], labels.slice(1)),
      'huge/train-images-idx3-ubyte': idx(0x08, [1_000_000, 1000, 1000], []),
      'huge/train-labels-idx1-ubyte': idx(0x08, [12], labels),
      'bomb/train-images-idx3-ubyte.gz': zlib.gzipSync(Buffer.concat([idx(0x08, [10_000, 100, 100], []), Buffer.alloc(100_000_000)])),
      'bomb/train-labels-idx1-ubyte.gz': zlib.gzipSync(idx(0x08, [12], labels)),
    });
    const load = (file: string, maxBytes?: number) => refusal(loadTabularData(dir, manifest({ train: file, label: 'label' }), maxBytes ? { maxBytes } : {}));
    expect(await load('alone/t10k-images-idx3-ubyte')).toBe('alone/t10k-images-idx3-ubyte: its labels file t10k-labels-idx1-ubyte is not beside it');
    expect(await load('odd/train-images-idx3-ubyte')).toBe('odd/train-labels-idx1-ubyte has 11 labels, but odd/train-images-idx3-ubyte has 12 images');
    expect(await load('huge/train-images-idx3-ubyte')).toMatch(/^huge\/train-images-idx3-ubyte: shape \(1000000, 1000, 1000\) is 1\.00e\+12 elements/);
    expect(await load('bomb/train-images-idx3-ubyte.gz', 10_000_000)).toBe('bomb/train-images-idx3-ubyte.gz: more than 10000000 bytes once decompressed, over the data limit');
  });
});

describe("gzip'd CSV and TSV", () => {
  it('.csv.gz and .tsv.gz load as the plain file does, through the fast reader and through papaparse (quoted fields)', async () => {
    const quoted = rowsCsv.replace('width,count', '"width",count');
    const tsv = rowsCsv.replaceAll(',', '\t');
    const dir = project({
      'rows.csv': rowsCsv,
      'rows.csv.gz': zlib.gzipSync(rowsCsv),
      'quoted.csv.gz': zlib.gzipSync('\uFEFF' + quoted),
      'rows.tsv.gz': zlib.gzipSync(tsv),
    });
    const plain = summary(await loadTabularData(dir, manifest({ train: 'rows.csv', label: 'label' })));
    for (const file of ['rows.csv.gz', 'quoted.csv.gz', 'rows.tsv.gz']) {
      expect(summary(await loadTabularData(dir, manifest({ train: file, label: 'label' })))).toEqual(plain);
    }
  });

  it('refuses a .csv.gz that is not gzip, and one that inflates past the data limit, in one line', async () => {
    const big = 'a,label\n' + '1,x\n'.repeat(500_000);
    const dir = project({ 'fake.csv.gz': rowsCsv, 'big.csv.gz': zlib.gzipSync(big) });
    expect(await refusal(loadTabularData(dir, manifest({ train: 'fake.csv.gz', label: 'label' })))).toMatch(/^fake\.csv\.gz: not a readable gzip file/);
    expect(await refusal(loadTabularData(dir, manifest({ train: 'big.csv.gz', label: 'label' }), { maxBytes: 100_000 }))).toBe(
      'big.csv.gz: more than 100000 bytes once decompressed, over the data limit',
    );
  });
});

describe('the data cache keys the new formats by content', () => {
  it('an IDX images file changes the key when its labels file changes; a y.npy likewise for its X.npy', async () => {
    const dir = project({
      'train-images-idx3-ubyte': idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
      'train-labels-idx1-ubyte': idx(0x08, [2], [0, 1]),
      'X.npy': npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 1), }", Uint8Array.of(1, 2)),
      'y.npy': npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", Uint8Array.of(0, 1)),
    });
    const idxManifest = manifest({ train: 'train-images-idx3-ubyte', label: 'label' });
    const npyManifest = manifest({ train: 'X.npy', label: 'y' });
    const before = [await dataCacheKey(dir, idxManifest), await dataCacheKey(dir, npyManifest)];
    fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), idx(0x08, [2], [1, 0]));
    fs.writeFileSync(path.join(dir, 'y.npy'), npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", Uint8Array.of(1, 0)));
    const after = [await dataCacheKey(dir, idxManifest), await dataCacheKey(dir, npyManifest)];
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });
});

describe('MNIST as repositories ship it trains a Keras CNN taking [28, 28, 1]', () => {
  const cnn = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'model-sources', 'fixtures', 'real', 'keras3-cnn-28x28x1.json'));
  const n = 24;
  const pixels = Array.from({ length: n * 784 }, (_, i) => (i * 131 + Math.floor(i / 784) * 17) % 256);
  const labels = Array.from({ length: n }, (_, i) => i % 10);

  async function oneEpoch(dir: string, data: Record<string, unknown>) {
    const m = Manifest.parse({
      name: 'mnist',
      task: 'classification',
      data: { split: { test: 0.25, validation: 0, seed: 1 }, normalize: 'none', ...data },
      model: { keras: 'model/cnn.json' },
      training: { epochs: 1, batchSize: 8, seed: 3 },
    });
    const losses: number[] = [];
    const result = await trainModel({ repoDir: dir, manifest: m, backend: 'wasm' }, (message) => {
      if (message.kind === 'epoch') losses.push(message.record.loss);
    });
    expect(losses).toHaveLength(1);
    expect(Number.isFinite(losses[0])).toBe(true);
    expect(result.metrics).toHaveProperty('accuracy');
  }

  it("Kaggle's CSV layout (label, pixel0 … pixel783): the flat pixel columns are reshaped to the model's input", async () => {
    await activateBackend('wasm');
    const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
    const csv = [header, ...labels.map((l, r) => [l, ...pixels.slice(r * 784, (r + 1) * 784)].join(','))].join('\n') + '\n';
    await oneEpoch(project({ 'model/cnn.json': cnn, 'train.csv': csv }), { train: 'train.csv', label: 'label' });
  });

  it('train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz', async () => {
    await activateBackend('wasm');
    const dir = project({
      'model/cnn.json': cnn,
      'mnist/train-images-idx3-ubyte.gz': zlib.gzipSync(idx(0x08, [n, 28, 28], pixels)),
      'mnist/train-labels-idx1-ubyte.gz': zlib.gzipSync(idx(0x08, [n], labels)),
    });
    await oneEpoch(dir, { train: 'mnist/train-images-idx3-ubyte.gz', label: 'label' });
  });
});

describe('fuzzing the binary readers: damaged files load or are refused in one line, never crash', () => {
  const damage = fc.record({
    cut: fc.option(fc.nat(), { nil: undefined }),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
  });
  function damaged(bytes: Uint8Array, d: { cut: number | undefined; flips: [number, number][] }): Uint8Array {
    const out = Uint8Array.from(bytes);
    for (const [at, value] of d.flips) out[at % out.length] = value;
    return d.cut === undefined ? out : out.subarray(0, d.cut % (out.length + 1));
  }
  const dir = project({});
  numpy(
    dir,
    `x = np.arange(24, dtype=np.float32).reshape(8, 3); y = np.arange(8) % 2
np.save('good.npy', np.column_stack([x, y]))
np.savez_compressed('good.npz', x_train=x, y_train=y)`,
  );
  const idxImages = zlib.gzipSync(idx(0x08, [8, 2, 2], Array.from({ length: 32 }, (_, i) => i)));
  const originals: [string, Uint8Array, string][] = [
    ['data.npy', fs.readFileSync(path.join(dir, 'good.npy')), '3'],
    ['data.npz', fs.readFileSync(path.join(dir, 'good.npz')), 'y'],
    ['train-images-idx3-ubyte.gz', idxImages, 'label'],
    ['data.parquet', rowsParquet({ rowGroupSize: 16 }), 'label'],
    ['data.csv.gz', zlib.gzipSync(rowsCsv), 'label'],
  ];
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(idx(0x08, [8], [0, 1, 0, 1, 0, 1, 0, 1])));
  for (const [file, bytes, label] of originals) {
    it(`${file}: 150 damaged copies`, async () => {
      await fc.assert(
        fc.asyncProperty(damage, async (d) => {
          fs.writeFileSync(path.join(dir, file), damaged(bytes, d));
          await parsesOrAppError(() => loadTabularData(dir, manifest({ train: file, label })));
        }),
        { numRuns: 150, seed: 23 },
      );
    });
  }
});
