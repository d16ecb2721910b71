import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import { loadTabularData } from './index.js';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-data-'));
  made.push(dir);
  return dir;
}

/** A temporary project holding `files` (paths relative to its root). */
function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** These tests read and encode: no validation rows unless a test asks (the validation tests do). */
function manifest(data: Record<string, unknown>, task: 'classification' | 'regression' = 'classification'): Manifest {
  const split = { validation: 0, ...(data.split as object | undefined) };
  return Manifest.parse({ name: 'fixture', task, data: { ...data, split }, model: { layers: [{ type: 'dense', units: 2 }] } });
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}

/** Rejects with an AppError of kind 'training' whose message contains `text`. */
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

function column(x: Float32Array, nFeatures: number, at: number): number[] {
  const out: number[] = [];
  for (let i = at; i < x.length; i += nFeatures) out.push(x[i]!);
  return out;
}

describe('loadTabularData: reading', () => {
  it('reads a CSV with numeric and categorical features, one-hot over the training vocabulary', async () => {
    const dir = project({
      'data/train.csv': csv([
        ['size', 'color', 'species'],
        [1, 'red', 'cat'],
        [2, 'blue', 'dog'],
        [3, 'red', 'cat'],
        [4, 'green', 'dog'],
      ]),
      'data/test.csv': csv([
        ['color', 'size', 'species'], // column order may differ from the training file
        ['blue', 5, 'dog'],
        ['purple', 6, 'cat'], // a category never seen in training → all zeros
      ]),
    });
    const data = await loadTabularData(
      dir,
      manifest({ train: 'data/train.csv', test: 'data/test.csv', label: 'species', normalize: 'none' }),
    );
    expect(data.featureNames).toEqual(['size', 'color=blue', 'color=green', 'color=red']);
    expect(data.nFeatures).toBe(4);
    expect(data.labels).toEqual(['cat', 'dog']);
    expect(data.nTrain).toBe(4);
    expect(data.nTest).toBe(2);
    expect([...data.xTrain]).toEqual([1, 0, 0, 1, 2, 1, 0, 0, 3, 0, 0, 1, 4, 0, 1, 0]);
    expect([...data.yTrain]).toEqual([0, 1, 0, 1]);
    expect([...data.xTest]).toEqual([5, 1, 0, 0, 6, 0, 0, 0]);
    expect([...data.yTest]).toEqual([1, 0]);
    expect(data.normalization).toEqual({ kind: 'none', offset: [0, 0, 0, 0], scale: [1, 1, 1, 1] });
  });

  it('reads TSV files, quoted fields and a BOM, using every column but the label by default', async () => {
    const dir = project({
      'train.tsv': '\uFEFFa\tb\tname\ty\n1\t"x"\t"Smith, J"\tp\n2\ty\t"Doe\tJ"\tq\n3\tx\tRoe\tp\n',
      'test.tsv': 'a\tb\tname\ty\n4\ty\tZed\tq\n',
    });
    const data = await loadTabularData(dir, manifest({ train: 'train.tsv', test: 'test.tsv', label: 'y', normalize: 'none' }));
    expect(data.featureNames).toEqual(['a', 'b=x', 'b=y', 'name=Doe\tJ', 'name=Roe', 'name=Smith, J']);
    expect([...data.xTest]).toEqual([4, 0, 1, 0, 0, 0]);
    expect(data.labels).toEqual(['p', 'q']);
  });

  it('reads JSONL, one object per line, skipping blank lines', async () => {
    const lines = [
      '{"x": 1.5, "flag": true, "kind": "a", "y": 3.25, "ignored": {"deep": 1}}',
      '',
      '{"x": 2.5, "flag": false, "kind": "b", "y": -1}',
      '{"x": "3.5", "flag": true, "kind": "a", "y": "7"}',
    ];
    const dir = project({ 'd.jsonl': lines.join('\n') + '\n', 't.jsonl': '{"x": 0, "flag": false, "kind": "c", "y": 0}\n' });
    const data = await loadTabularData(
      dir,
      manifest({ train: 'd.jsonl', test: 't.jsonl', label: 'y', features: ['x', 'flag', 'kind'], normalize: 'none' }, 'regression'),
    );
    expect(data.labels).toBeNull();
    expect(data.featureNames).toEqual(['x', 'flag=false', 'flag=true', 'kind=a', 'kind=b']);
    expect([...data.xTrain]).toEqual([1.5, 0, 1, 1, 0, 2.5, 1, 0, 0, 1, 3.5, 0, 1, 1, 0]);
    expect([...data.yTrain]).toEqual([3.25, -1, 7]);
    expect([...data.xTest]).toEqual([0, 1, 0, 0, 0]);
    expect([...data.yTest]).toEqual([0]);
  });

  it('orders numeric class labels numerically and text labels by code unit', async () => {
    const numeric = project({ 'd.csv': csv([['x', 'y'], [1, 10], [2, 9], [3, 100], [4, 9], [5, 10], [6, 100]]) });
    const a = await loadTabularData(numeric, manifest({ train: 'd.csv', label: 'y', split: { test: 0.5, seed: 1 } }));
    expect(a.labels).toEqual(['9', '10', '100']);
    const text = project({ 'd.csv': csv([['x', 'y'], [1, 'b'], [2, 'B'], [3, 'a'], [4, 'b'], [5, 'B'], [6, 'a']]) });
    const b = await loadTabularData(text, manifest({ train: 'd.csv', label: 'y', split: { test: 0.5, seed: 1 } }));
    expect(b.labels).toEqual(['B', 'a', 'b']);
  });

  it('counts lines through quoted multi-line fields, blank lines and many stream chunks', async () => {
    const quoted = project({ 'd.csv': 'x,note,y\n1,"two\nlines",a\n\n2,ok,b\n3,,a\n' });
    await expectTrainingError(
      loadTabularData(quoted, manifest({ train: 'd.csv', label: 'y' })),
      'd.csv line 6, column "note": missing value',
    );
    const crlf = project({ 'd.csv': 'x,y\r\n1,a\r\n\r\n2,b\r\n,a\r\n' });
    await expectTrainingError(loadTabularData(crlf, manifest({ train: 'd.csv', label: 'y' })), 'd.csv line 5, column "x": missing value');
    const rows: (string | number)[][] = [['x', 'y']];
    for (let i = 0; i < 30_000; i++) rows.push([i * 1.5, i % 3 === 0 ? 'long-label-a' : 'long-label-b']);
    rows.push(['', 'long-label-a']);
    const big = project({ 'd.csv': csv(rows) });
    await expectTrainingError(
      loadTabularData(big, manifest({ train: 'd.csv', label: 'y' })),
      'd.csv line 30002, column "x": missing value',
    );
  });
});

describe('loadTabularData: errors', () => {
  it('names file, line and column for a missing value', async () => {
    const rows: (string | number)[][] = [['age', 'income', 'label']];
    for (let i = 0; i < 15; i++) rows.push([20 + i, 1000 * i, i % 2 ? 'yes' : 'no']);
    rows[13]![0] = ''; // rows[13] is written on line 14 (the header is line 1)
    const dir = project({ 'data/train.csv': csv(rows) });
    const error = await expectTrainingError(loadTabularData(dir, manifest({ train: 'data/train.csv', label: 'label' })), '');
    expect(error.message).toBe('data/train.csv line 14, column "age": missing value');
  });

  it('treats a whitespace-only cell as missing', async () => {
    const dir = project({ 'd.csv': 'a,b\n1,x\n  ,y\n' });
    await expectTrainingError(loadTabularData(dir, manifest({ train: 'd.csv', label: 'b' })), 'd.csv line 3, column "a": missing value');
  });

  it('names file, line and column for a missing or null value in JSONL', async () => {
    const nullValue = project({ 'd.jsonl': '{"a": 1, "y": "p"}\n{"a": null, "y": "q"}\n' });
    await expectTrainingError(
      loadTabularData(nullValue, manifest({ train: 'd.jsonl', label: 'y' })),
      'd.jsonl line 2, column "a": missing value',
    );
    const absentKey = project({ 'd.jsonl': '{"a": 1, "y": "p"}\n\n{"y": "q"}\n' });
    await expectTrainingError(
      loadTabularData(absentKey, manifest({ train: 'd.jsonl', label: 'y' })),
      'd.jsonl line 3, column "a": missing value',
    );
    const nested = project({ 'd.jsonl': '{"a": [1, 2], "y": "p"}\n' });
    await expectTrainingError(
      loadTabularData(nested, manifest({ train: 'd.jsonl', label: 'y' })),
      'd.jsonl line 1, column "a": nested values are not supported',
    );
    const broken = project({ 'd.jsonl': '{"a": 1, "y": "p"}\n{"a": 2, "y": \n' });
    await expectTrainingError(loadTabularData(broken, manifest({ train: 'd.jsonl', label: 'y' })), 'd.jsonl line 2: not valid JSON');
    const notObject = project({ 'd.jsonl': '[1, 2]\n' });
    await expectTrainingError(
      loadTabularData(notObject, manifest({ train: 'd.jsonl', label: 'y' })),
      'd.jsonl line 1: expected a JSON object',
    );
  });

  it('refuses a non-numeric regression label, naming file, line and column', async () => {
    const dir = project({ 'data/houses.csv': csv([['rooms', 'price'], [3, 100], [4, 'n/a'], [5, 300]]) });
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'data/houses.csv', label: 'price' }, 'regression')),
      'data/houses.csv line 3, column "price": "n/a" is not a number',
    );
  });

  it('names a missing label or feature column', async () => {
    const dir = project({ 'd.csv': csv([['a', 'b'], [1, 2], [3, 4]]) });
    await expectTrainingError(loadTabularData(dir, manifest({ train: 'd.csv', label: 'target' })), 'd.csv has no label column "target"');
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', label: 'b', features: ['a', 'height'] })),
      'd.csv has no feature column "height"',
    );
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', label: 'b', features: ['a', 'b'] }), {}),
      'data.features lists the label column "b"',
    );
    const duplicated = project({ 'd.csv': csv([['a', 'a', 'b'], [1, 2, 'x'], [3, 4, 'y']]) });
    await expectTrainingError(
      loadTabularData(duplicated, manifest({ train: 'd.csv', label: 'b' })),
      'd.csv: column "a" appears more than once',
    );
    const testLacksColumn = project({ 'd.csv': csv([['a', 'b'], [1, 'x'], [3, 'y']]), 't.csv': csv([['b'], ['x']]) });
    await expectTrainingError(
      loadTabularData(testLacksColumn, manifest({ train: 'd.csv', test: 't.csv', label: 'b' })),
      't.csv has no feature column "a"',
    );
  });

  it('refuses rows whose field count differs from the header', async () => {
    const dir = project({ 'd.csv': 'a,b,y\n1,2,p\n3,4\n' });
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', label: 'y' })),
      'd.csv line 3: 2 fields, but the header has 3',
    );
  });

  it('refuses empty files and empty splits', async () => {
    const headerOnly = project({ 'd.csv': 'a,y\n' });
    await expectTrainingError(loadTabularData(headerOnly, manifest({ train: 'd.csv', label: 'y' })), 'd.csv has no data rows');
    const empty = project({ 'd.csv': '' });
    await expectTrainingError(loadTabularData(empty, manifest({ train: 'd.csv', label: 'y' })), 'd.csv is empty');
    const emptyJsonl = project({ 'd.jsonl': '\n\n' });
    await expectTrainingError(loadTabularData(emptyJsonl, manifest({ train: 'd.jsonl', label: 'y' })), 'd.jsonl has no data rows');
    const emptyTest = project({ 'd.csv': csv([['a', 'y'], [1, 'p'], [2, 'q']]), 't.csv': 'a,y\n' });
    await expectTrainingError(
      loadTabularData(emptyTest, manifest({ train: 'd.csv', test: 't.csv', label: 'y' })),
      't.csv has no data rows',
    );
    const tiny = project({ 'd.csv': csv([['a', 'y'], [1, 5], [2, 6]]) });
    await expectTrainingError(
      loadTabularData(tiny, manifest({ train: 'd.csv', label: 'y', split: { test: 0.6, seed: 1 } }, 'regression')),
      'd.csv has 2 rows: split.test = 0.6 leaves the training split empty',
    );
    const oneRow = project({ 'd.csv': csv([['a', 'y'], [1, 5]]) });
    await expectTrainingError(
      loadTabularData(oneRow, manifest({ train: 'd.csv', label: 'y' }, 'regression')),
      'd.csv has 1 row: split.test = 0.2 leaves the training split empty',
    );
  });

  it('refuses classification with a single class', async () => {
    const dir = project({ 'd.csv': csv([['a', 'y'], [1, 'p'], [2, 'p'], [3, 'p']]) });
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', label: 'y' })),
      'd.csv: the label column "y" has only one class ("p"); classification needs at least 2',
    );
  });

  it('enforces the row and byte limits with the numbers in the message', async () => {
    const rows: (string | number)[][] = [['a', 'y']];
    for (let i = 0; i < 10; i++) rows.push([i, i % 2 ? 'p' : 'q']);
    const text = csv(rows);
    const dir = project({ 'd.csv': text, 't.csv': csv([['a', 'y'], [1, 'p'], [2, 'q']]) });
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', label: 'y' }), { maxRows: 9 }),
      'd.csv: the data has more than 9 rows, the most a project may train on',
    );
    // 10 training rows fit; the 2 test rows count towards the same limit of 11.
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', test: 't.csv', label: 'y' }), { maxRows: 11 }),
      't.csv: the data has more than 11 rows',
    );
    const bytes = Buffer.byteLength(text);
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', label: 'y' }), { maxBytes: 20 }),
      `d.csv is ${bytes} bytes (0.0 MB), over the data limit of 20 bytes (0.0 MB)`,
    );
    const data = await loadTabularData(dir, manifest({ train: 'd.csv', label: 'y' }), { maxBytes: bytes, maxRows: 10 });
    expect(data.nTrain + data.nTest).toBe(10);
  });

  it('refuses paths that leave the project, including a symlink pointing outside', async () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret.csv'), csv([['a', 'y'], [1, 'p'], [2, 'q']]));
    const dir = project({ 'd.csv': csv([['a', 'y'], [1, 'p'], [2, 'q']]) });
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(dir, 'link.csv'));
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'link.csv', label: 'y' })),
      'data.train "link.csv" is a link that points outside the project folder',
    );
    const relative = path.relative(dir, path.join(outside, 'secret.csv'));
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: relative, label: 'y' })),
      `data.train "${relative}" escapes the project folder`,
    );
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', test: path.join(outside, 'secret.csv'), label: 'y' })),
      'is absolute; only paths inside the project are allowed',
    );
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'missing.csv', label: 'y' })),
      'data.train "missing.csv" does not exist in the project',
    );
  });

  it('refuses unsupported formats and folders', async () => {
    const dir = project({ 'd.xlsx': 'PK', 'folder.csv/x': '' });
    await expectTrainingError(loadTabularData(dir, manifest({ train: 'd.xlsx', label: 'y' })), 'unsupported data format');
    await expectTrainingError(loadTabularData(dir, manifest({ train: 'folder.csv', label: 'y' })), 'data.train "folder.csv" is not a file');
  });
});

describe('loadTabularData: split and normalization', () => {
  function labelled(counts: Record<string, number>): string {
    const rows: (string | number)[][] = [['x', 'kind']];
    let i = 0;
    for (const [label, count] of Object.entries(counts)) for (let k = 0; k < count; k++) rows.push([i++, label]);
    return csv(rows);
  }

  function countBy(values: Float32Array, classes: number): number[] {
    const out = new Array<number>(classes).fill(0);
    for (const v of values) out[v]! += 1;
    return out;
  }

  it('stratifies the seeded split by class', async () => {
    // 70 a / 30 b, split.test 0.2 → 20 test rows: 14 a and 6 b (exact shares).
    const dir = project({ 'd.csv': labelled({ a: 70, b: 30 }) });
    const data = await loadTabularData(dir, manifest({ train: 'd.csv', label: 'kind', normalize: 'none' }));
    expect(data.nTest).toBe(20);
    expect(data.nTrain).toBe(80);
    expect(countBy(data.yTest, 2)).toEqual([14, 6]);
    expect(countBy(data.yTrain, 2)).toEqual([56, 24]);
    // Every row lands in exactly one split.
    const seen = [...data.xTrain, ...data.xTest].sort((p, q) => p - q);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // Rows keep their file order inside each split.
    expect([...data.xTest]).toEqual([...data.xTest].sort((p, q) => p - q));

    // 50 / 30 / 20 with split.test 0.25 → ceil(25) = 25 test rows; shares 12.5 / 7.5 / 5 → floors 12 / 7 / 5,
    // the one row left goes to the largest remainder (a tie between classes 0 and 1 → the lower index).
    const three = project({ 'd.csv': labelled({ a: 50, b: 30, c: 20 }) });
    const split = await loadTabularData(three, manifest({ train: 'd.csv', label: 'kind', split: { test: 0.25, seed: 3 } }));
    expect(countBy(split.yTest, 3)).toEqual([13, 7, 5]);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const dir = project({ 'd.csv': labelled({ a: 40, b: 40, c: 20 }) });
    const m = (seed: number) => manifest({ train: 'd.csv', label: 'kind', split: { test: 0.3, seed } });
    const first = await loadTabularData(dir, m(11));
    const again = await loadTabularData(dir, m(11));
    expect(again.xTrain).toEqual(first.xTrain);
    expect(again.yTrain).toEqual(first.yTrain);
    expect(again.xTest).toEqual(first.xTest);
    expect(again.yTest).toEqual(first.yTest);
    expect(again.normalization).toEqual(first.normalization);
    const other = await loadTabularData(dir, m(12));
    expect(other.xTest).not.toEqual(first.xTest);
    expect(countBy(other.yTest, 3)).toEqual(countBy(first.yTest, 3));

    const regression = project({ 'r.csv': csv([['x', 'y'], ...Array.from({ length: 50 }, (_, i) => [i, i * 2])]) });
    const r = (seed: number) => loadTabularData(regression, manifest({ train: 'r.csv', label: 'y', split: { test: 0.2, seed } }, 'regression'));
    const [r1, r2, r3] = await Promise.all([r(5), r(5), r(6)]);
    expect(r1.nTest).toBe(10);
    expect(r2.yTest).toEqual(r1.yTest);
    expect(r3.yTest).not.toEqual(r1.yTest);
  });

  it('fits standard normalization on the training split only and applies it to both', async () => {
    // train x = 1, 2, 3 → mean 2, population std √(2/3); test x = 10 → (10 − 2)/√(2/3) ≈ 9.798.
    // The constant column c (always 5) gets scale 1 → 0 everywhere, never NaN.
    const dir = project({
      'train.csv': csv([['x', 'c', 'y'], [1, 5, 0.5], [2, 5, 1.5], [3, 5, 2.5]]),
      'test.csv': csv([['x', 'c', 'y'], [10, 7, 9]]),
    });
    const data = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y' }, 'regression'));
    const std = Math.sqrt(2 / 3);
    expect(data.normalization.kind).toBe('standard');
    expect(data.normalization.offset).toEqual([2, 5]);
    expect(data.normalization.scale[0]).toBeCloseTo(std, 12);
    expect(data.normalization.scale[1]).toBe(1);
    const xTrain = column(data.xTrain, 2, 0);
    expect(xTrain[0]).toBeCloseTo(-1 / std, 5);
    expect(xTrain[1]).toBe(0);
    expect(xTrain[2]).toBeCloseTo(1 / std, 5);
    expect(column(data.xTest, 2, 0)[0]).toBeCloseTo(8 / std, 4);
    expect(column(data.xTrain, 2, 1)).toEqual([0, 0, 0]);
    expect(column(data.xTest, 2, 1)).toEqual([2]);
    // Targets are never normalized.
    expect([...data.yTrain]).toEqual([0.5, 1.5, 2.5]);
    expect([...data.yTest]).toEqual([9]);
  });

  it('fits minmax on the training split, leaves one-hot columns at 0/1, and none leaves values as they are', async () => {
    const files = {
      'train.csv': csv([['x', 'k', 'c', 'y'], [2, 'u', 3, 'p'], [4, 'v', 3, 'q'], [6, 'u', 3, 'p']]),
      'test.csv': csv([['x', 'k', 'c', 'y'], [8, 'v', 1, 'q']]),
    };
    const dir = project(files);
    const minmax = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', normalize: 'minmax' }));
    expect(minmax.featureNames).toEqual(['x', 'k=u', 'k=v', 'c']);
    expect(minmax.normalization).toEqual({ kind: 'minmax', offset: [2, 0, 0, 3], scale: [4, 1, 1, 1] });
    expect([...minmax.xTrain]).toEqual([0, 1, 0, 0, 0.5, 0, 1, 0, 1, 1, 0, 0]);
    expect([...minmax.xTest]).toEqual([1.5, 0, 1, -2]);
    for (const v of [...minmax.xTrain, ...minmax.xTest]) expect(Number.isFinite(v)).toBe(true);

    const none = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', normalize: 'none' }));
    expect([...none.xTest]).toEqual([8, 0, 1, 1]);
  });

  it('builds the one-hot vocabulary from the training split only, sorted', async () => {
    // A column is categorical when under 90 % of its values are numbers (3 of 8 here), and the numbers in it
    // become categories too. In the seeded split the test rows' categories never enter the vocabulary.
    const dir = project({
      'train.csv': csv([['code', 'y'], ['b', 'p'], ['a', 'q'], [10, 'p'], [2, 'q'], ['b', 'p']]),
      'test.csv': csv([['code', 'y'], ['z9', 'p'], ['a', 'q'], [2, 'q']]),
    });
    const data = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y' }));
    expect(data.featureNames).toEqual(['code=10', 'code=2', 'code=a', 'code=b']);
    expect([...data.xTest]).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
    expect(data.normalization.offset).toEqual([0, 0, 0, 0]);
    expect(data.normalization.scale).toEqual([1, 1, 1, 1]);

    const rows: (string | number)[][] = [['color', 'y']];
    // Every category occurs once; 16 training rows stay under the 20 from which "over half distinct" is refused.
    for (let i = 0; i < 20; i++) rows.push([`c${i}`, i % 2 ? 'p' : 'q']);
    const split = await loadTabularData(project({ 'd.csv': csv(rows) }), manifest({ train: 'd.csv', label: 'y' }));
    expect(split.nFeatures).toBe(split.nTrain);
    expect(split.featureNames).toEqual([...split.featureNames].sort());
    // Each test row's category was held out of the vocabulary → an all-zero row.
    expect([...split.xTest].every((v) => v === 0)).toBe(true);
  });
});

describe('loadTabularData: honest column types and sizes', () => {
  const numbers = (n: number, at: number, odd: string) => {
    const rows: (string | number)[][] = [['x', 'z', 'y']];
    for (let i = 0; i < n; i++) rows.push([i === at ? odd : i * 0.5, i % 4, i % 2 ? 'p' : 'q']);
    return csv(rows);
  };

  it('one "abc" among numbers is an error naming file, line and column, not a column of categories', async () => {
    const dir = project({ 'd.csv': numbers(40, 5, 'abc') });
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', label: 'y' })),
      'd.csv line 7, column "x": "abc" is not a number, but 39 of the column\'s 40 values (97.5 %) are, so it is a numeric column',
    );
    // In a data.test file too, with that file's line.
    const test = project({ 'train.csv': numbers(30, -1, ''), 'test.csv': numbers(10, 2, 'n/a') });
    await expectTrainingError(loadTabularData(test, manifest({ train: 'train.csv', test: 'test.csv', label: 'y' })), 'test.csv line 4, column "x": "n/a"');
  });

  it('data.impute covering the column fills such a cell like a missing one, from the training rows', async () => {
    const dir = project({ 'train.csv': numbers(30, -1, ''), 'test.csv': numbers(10, 2, '?') });
    const data = await loadTabularData(dir, manifest({ train: 'train.csv', test: 'test.csv', label: 'y', impute: { x: 'mean' }, normalize: 'none' }));
    expect(data.featureNames).toEqual(['x', 'z']);
    expect(column(data.xTest, 2, 0)[2]).toBeCloseTo(7.25, 6); // the mean of 0, 0.5, … 14.5
  });

  it('a column of mostly text stays categorical, numbers in it included', async () => {
    const rows: (string | number)[][] = [['kind', 'y']];
    for (let i = 0; i < 30; i++) rows.push([i % 5 === 0 ? 3 : ['a', 'b'][i % 2]!, i % 2 ? 'p' : 'q']);
    const data = await loadTabularData(project({ 'd.csv': csv(rows) }), manifest({ train: 'd.csv', label: 'y' }));
    expect(data.featureNames).toEqual(['kind=3', 'kind=a', 'kind=b']);
  });

  it('refuses an id-like text column (over half distinct, or over 1,000 values), suggesting features or text', async () => {
    const rows: (string | number)[][] = [['id', 'x', 'y']];
    for (let i = 0; i < 40; i++) rows.push([`user-${i}`, i, i % 2 ? 'p' : 'q']);
    await expectTrainingError(
      loadTabularData(project({ 'd.csv': csv(rows) }), manifest({ train: 'd.csv', label: 'y' })),
      'd.csv, column "id": 32 distinct text values in 32 training rows are too many categories for one-hot encoding (at most 1,000, and at most half the rows); leave the column out by listing the others in data.features, or tokenize it as text with data.text',
    );
    const many: (string | number)[][] = [['code', 'y']];
    for (let i = 0; i < 6000; i++) many.push([`c${i % 1500}`, i % 2 ? 'p' : 'q']);
    await expectTrainingError(loadTabularData(project({ 'd.csv': csv(many) }), manifest({ train: 'd.csv', label: 'y' })), /column "code": 1,4\d\d distinct text values in 4,\d{3} training rows/);
  });

  it('refuses, before allocating, an encoding larger than the limit, with the numbers and the widest column', async () => {
    const rows: (string | number)[][] = [['a', 'b', 'y']];
    for (let i = 0; i < 100; i++) rows.push([`v${i % 40}`, i, i % 2 ? 'p' : 'q']);
    const dir = project({ 'd.csv': csv(rows) });
    await expectTrainingError(
      loadTabularData(dir, manifest({ train: 'd.csv', label: 'y' }), { maxValues: 1000 }),
      /^d\.csv: 100 rows × (\d+) encoded features would be [\d.]+e\+3 values \(0\.0 GB\), over the limit of 1,000; the widest column is "a" \(\d+ categories\): leave it out with data\.features$/,
    );
    const fits = await loadTabularData(dir, manifest({ train: 'd.csv', label: 'y' }), { maxValues: 100 * 41 });
    expect(fits.nFeatures).toBe(1 + fits.featureNames.filter((n) => n.startsWith('a=')).length);
  });

  it('reports a constant column as a warning, not an error', async () => {
    const rows: (string | number)[][] = [['x', 'same', 'tag', 'y']];
    for (let i = 0; i < 10; i++) rows.push([i, 5, 'only', i % 2 ? 'p' : 'q']);
    const data = await loadTabularData(project({ 'd.csv': csv(rows) }), manifest({ train: 'd.csv', label: 'y' }));
    expect(data.warnings).toEqual([
      'Column "same" of d.csv has the same value ("5") in every training row, so it cannot help the model; leave it out with data.features',
      'Column "tag" of d.csv has the same value ("only") in every training row, so it cannot help the model; leave it out with data.features',
    ]);
  });
});

describe('loadTabularData: validation rows', () => {
  it('holds out data.split.validation of the training rows (after the test split), seeded and stratified', async () => {
    const rows: (string | number)[][] = [['x', 'y']];
    for (let i = 0; i < 100; i++) rows.push([i, ['a', 'b', 'c', 'd'][i % 4]!]);
    const dir = project({ 'd.csv': csv(rows) });
    const load = (split: Record<string, number>) =>
      loadTabularData(dir, Manifest.parse({ name: 'v', task: 'classification', data: { train: 'd.csv', label: 'y', split, normalize: 'none' }, model: { layers: [{ type: 'dense', units: 4 }] } }));
    const data = await load({ test: 0.2, validation: 0.25, seed: 9 });
    expect([data.nTrain, data.nVal, data.nTest]).toEqual([60, 20, 20]);
    expect([0, 1, 2, 3].map((c) => [...data.yVal].filter((y) => y === c).length)).toEqual([5, 5, 5, 5]);
    // Every row is in exactly one split.
    expect([...data.xTrain, ...data.xVal, ...data.xTest].sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(await load({ test: 0.2, validation: 0.25, seed: 9 })).toEqual(data);
    // The test rows do not depend on the validation share.
    expect((await load({ test: 0.2, validation: 0, seed: 9 })).xTest).toEqual(data.xTest);
    expect((await load({ test: 0.2, seed: 9 })).nVal).toBe(8); // the default: 10 % of 80
    await expectTrainingError(load({ test: 0.5, validation: 0.99, seed: 1 }), 'd.csv has 50 training rows: split.validation = 0.99 leaves the training split empty');
  });

  it('fits normalization, the imputer and the one-hot vocabulary on training rows only', async () => {
    const dir = project({
      'train.csv': csv([['x', 'c', 'y'], [1, 'a', 'p'], [3, 'b', 'q'], ['', 'a', 'p']]),
      'val.csv': csv([['x', 'c', 'y'], [1000, 'zzz', 'p'], ['', 'a', 'q']]),
      'test.csv': csv([['x', 'c', 'y'], [2, 'b', 'q']]),
    });
    const data = await loadTabularData(
      dir,
      manifest({ train: 'train.csv', validation: 'val.csv', test: 'test.csv', label: 'y', impute: { x: 'mean' }, normalize: 'minmax' }),
    );
    expect(data.featureNames).toEqual(['x', 'c=a', 'c=b']);
    expect(data.normalization.offset).toEqual([1, 0, 0]);
    expect(data.normalization.scale).toEqual([2, 1, 1]);
    // Validation: 1000 scaled with the training range; "zzz" unseen → zeros; the missing x filled with the training mean 2.
    expect([...data.xVal]).toEqual([499.5, 0, 0, 0.5, 1, 0]);
  });
});
