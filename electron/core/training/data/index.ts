// Loads a manifest's tabular data (CSV, TSV, JSONL, gzip'd CSV/TSV, Parquet, NumPy or MNIST IDX inside the project)
// into normalized train/validation/test matrices.
import fs from 'node:fs';
import type { Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import { resolveInsideRepo } from '../../safe-path.js';
import { decideColumns } from './column-kinds.js';
import type { Normalization } from './encode.js';
import { classIndices, classOrder, fitFeatureEncoder } from './encode.js';
import type { ColumnRequest, RawTable, RowBudget } from './read-table.js';
import { readTable } from './read-table.js';
import { DATA_FORMATS_TEXT, dataFormatOf } from './data-formats.js';
import { applyFills, fitImputer, imputableColumns } from './impute.js';
import { splitRows } from './split.js';
import type { TrainingData } from '../portable/train-on-data.js';
import { fitTextEncoder } from './text.js';
import { joinEntries, manifestOfEntry } from './several-inputs.js';

export type { Normalization } from './encode.js';
export { mulberry32, randomIndex, seededPermutation, shuffleInPlace } from './seeded-random.js';

/** The training matrices (TrainingData, what the loop needs) plus what produced them. */
export interface TabularData extends TrainingData {
  /** After one-hot expansion, e.g. "color=red". */
  readonly featureNames: string[];
  readonly normalization: Normalization;
  readonly warnings: readonly string[];
}

export interface DataLimits {
  maxRows?: number;
  maxBytes?: number;
  /** Most float32 values of the encoded matrices, all splits together (default MAX_ENCODED_VALUES). */
  maxValues?: number;
}

export const DEFAULT_MAX_ROWS = 1_000_000;
export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

/** Rows of one table that form a split. */
interface Part {
  readonly table: RawTable;
  readonly rows: ArrayLike<number>;
}

/**
 * Reads `data.train` (and `data.test`, or else a seeded split of the training file — stratified for
 * classification), holds out validation rows (`data.validation`, or else `data.split.validation` of the training
 * rows, seeded and stratified likewise), encodes the features and labels, and normalizes with statistics of the
 * training rows only (never validation or test). Every failure is an AppError('training') with a one-line message
 * naming the file, line and column.
 *
 * A column's type follows column-kinds.ts (≥ 90 % numbers: numeric, and a stray word in it is an error). A missing
 * feature value is an error unless `data.impute` covers its column (see impute.ts; fill values come from the
 * training rows). With `data.text` the one text column is the only input: its token ids (text.ts, the vocabulary
 * fitted on the training rows) are the features, not normalized, and other columns are not read. With `data.inputs`
 * each entry is loaded that way on its own and the entries' columns are put side by side (several-inputs.ts).
 */
export async function loadTabularData(repoDir: string, manifest: Manifest, limits: DataLimits = {}): Promise<TabularData> {
  if (manifest.data.inputs) {
    // data.inputs: each entry loads as a manifest of one input (the same file and seeds, so the same rows).
    const parts: TabularData[] = [];
    for (const entry of manifest.data.inputs) parts.push(await loadTabularData(repoDir, manifestOfEntry(manifest, entry), limits));
    return joinEntries(manifest, parts);
  }
  const maxRows = limits.maxRows ?? DEFAULT_MAX_ROWS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const { task } = manifest;
  const { train: trainFile, label: labelColumn } = manifest.data;
  if (!trainFile || !labelColumn) throw new AppError('training', 'The manifest names no data.train file and data.label column');
  const data = { ...manifest.data, train: trainFile, label: labelColumn };

  const files = [{ path: data.train, what: 'data.train' }];
  if (data.validation !== undefined) files.push({ path: data.validation, what: 'data.validation' });
  if (data.test !== undefined) files.push({ path: data.test, what: 'data.test' });
  let totalBytes = 0;
  const absolute = files.map(({ path, what }) => {
    const abs = resolveData(repoDir, path, what);
    if (dataFormatOf(path) === null) {
      throw new AppError('training', `${what} "${path}": unsupported data format; use ${DATA_FORMATS_TEXT}`);
    }
    totalBytes += fs.statSync(abs).size;
    return abs;
  });
  if (totalBytes > maxBytes) {
    const which = files.map((f) => f.path).join(' and ');
    throw new AppError(
      'training',
      `${which} ${files.length > 1 ? 'are' : 'is'} ${totalBytes} bytes (${megabytes(totalBytes)}), over the data limit of ${maxBytes} bytes (${megabytes(maxBytes)})`,
    );
  }

  const budget: RowBudget = { maxRows, used: 0, maxBytes };
  const imputable = imputableColumns(data.impute);
  const request: ColumnRequest = {
    label: data.label,
    labelKind: task === 'classification' ? 'class' : 'number',
    features: data.text ? [data.text.column] : (data.features ?? null),
    ...(imputable ? { imputable } : {}),
    ...(data.text ? { rawText: data.text.column } : {}),
  };
  const trainTable = nonEmpty(await readTable(absolute[0]!, data.train, request, budget));
  const more = { ...request, features: trainTable.features };
  const validationTable =
    data.validation !== undefined ? nonEmpty(await readTable(absolute[1]!, data.validation, more, budget, 'validation')) : null;
  const testTable = data.test !== undefined ? nonEmpty(await readTable(absolute.at(-1)!, data.test, more, budget, 'test')) : null;
  const tables = [trainTable, ...(validationTable ? [validationTable] : []), ...(testTable ? [testTable] : [])];

  const labels = task === 'classification' ? classOrder(tables.map((t) => t.labelValues), data.train, data.label) : null;
  const targetsOf = new Map(tables.map((t) => [t, targets(t, labels)] as const));
  const trainTargets = targetsOf.get(trainTable)!;

  // The test rows first (a file, or a seeded share of data.train), then validation out of what is left.
  let pool: ArrayLike<number>;
  let test: Part;
  if (testTable) {
    test = { table: testTable, rows: identity(testTable.rowCount) };
    pool = identity(trainTable.rowCount);
  } else {
    const split = splitRows(trainTable.rowCount, data.split.test, data.split.seed, data.train, labels ? trainTargets : undefined);
    test = { table: trainTable, rows: split.test };
    pool = split.train;
  }
  let train: Part;
  let validation: Part;
  if (validationTable) {
    train = { table: trainTable, rows: pool };
    validation = { table: validationTable, rows: identity(validationTable.rowCount) };
  } else if (data.split.validation > 0) {
    const classes = labels ? Int32Array.from(pool, (row) => trainTargets[row]!) : undefined;
    // A seed of its own: the same seed would draw the same shuffle the test split was drawn with.
    const split = splitRows(pool.length, data.split.validation, data.split.seed + 1, data.train, classes, 'validation');
    train = { table: trainTable, rows: split.train.map((i) => pool[i]!) };
    validation = { table: trainTable, rows: split.test.map((i) => pool[i]!) };
  } else {
    train = { table: trainTable, rows: pool };
    validation = { table: trainTable, rows: [] };
  }
  const parts = [train, validation, test] as const;
  const [yTrain, yVal, yTest] = parts.map((p) => gather(targetsOf.get(p.table)!, p.rows)) as [Float32Array, Float32Array, Float32Array];
  const counts = { nTrain: train.rows.length, nVal: validation.rows.length, nTest: test.rows.length };

  if (data.text) {
    const text = fitTextEncoder(data.text, trainTable.featureValues[0]!, train.rows);
    const [xTrain, xVal, xTest] = parts.map((p) => text.encode(p.table.featureValues[0]!, p.rows)) as [Float32Array, Float32Array, Float32Array];
    return {
      featureNames: text.featureNames,
      xTrain,
      yTrain,
      xVal,
      yVal,
      xTest,
      yTest,
      ...counts,
      nFeatures: text.nFeatures,
      labels,
      normalization: { kind: 'none', offset: new Array<number>(text.nFeatures).fill(0), scale: new Array<number>(text.nFeatures).fill(1) },
      warnings: [],
    };
  }

  const features = trainTable.features;
  const decided = decideColumns(features, tables, imputable);
  const raw = new Map(tables.map((t, i) => [t, decided.values[i]!] as const));
  const view = (p: Part) => ({ featureValues: raw.get(p.table)!, rows: p.rows });
  const fills = data.impute
    ? fitImputer(features, decided.kinds, view(train), parts.map(view), data.impute, data.imputeValue, data.train)
    : [];
  const filled = new Map(tables.map((t) => [t, applyFills(raw.get(t)!, fills, t.file, features, t.lines)] as const));
  const encoder = fitFeatureEncoder(features, decided.kinds, { featureValues: filled.get(trainTable)!, rows: train.rows }, data.normalize, data.train);
  encoder.checkSize(counts.nTrain + counts.nVal + counts.nTest, limits.maxValues);
  const [xTrain, xVal, xTest] = parts.map((p) => encoder.encode({ featureValues: filled.get(p.table)!, rows: p.rows })) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  return {
    featureNames: encoder.featureNames,
    xTrain,
    yTrain,
    xVal,
    yVal,
    xTest,
    yTest,
    ...counts,
    nFeatures: encoder.nFeatures,
    labels,
    normalization: encoder.normalization,
    warnings: encoder.warnings,
  };
}

function resolveData(repoDir: string, relative: string, what: string): string {
  let abs: string;
  try {
    abs = resolveInsideRepo(repoDir, relative, what);
  } catch (error) {
    throw new AppError('training', error instanceof Error ? error.message : String(error));
  }
  if (!fs.statSync(abs).isFile()) throw new AppError('training', `${what} "${relative}" is not a file`);
  return abs;
}

function nonEmpty(table: RawTable): RawTable {
  if (table.rowCount === 0) throw new AppError('training', `${table.file} has no data rows`);
  return table;
}

function targets(table: RawTable, labels: string[] | null): Float64Array | Int32Array {
  return labels ? classIndices(table.labelValues, labels) : Float64Array.from(table.labelValues as number[]);
}

function identity(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

function gather(values: Float64Array | Int32Array, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
