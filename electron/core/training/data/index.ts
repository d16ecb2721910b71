// Loads a manifest's tabular data (CSV, TSV or JSONL inside the project) into normalized train/test matrices.
import fs from 'node:fs';
import type { Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import { resolveInsideRepo } from '../../safe-path.js';
import type { Normalization, RowView } from './encode.js';
import { classIndices, classOrder, fitFeatureEncoder } from './encode.js';
import type { MaybeRowView } from './impute.js';
import type { ColumnRequest, RawTable, RowBudget } from './read-table.js';
import { formatOf, readTable } from './read-table.js';
import { applyFills, fitImputer, imputableColumns } from './impute.js';
import { splitRows } from './split.js';
import type { TrainingData } from '../train-on-data.js';
import { fitTextEncoder } from './text.js';

export type { Normalization } from './encode.js';
export { mulberry32, randomIndex, seededPermutation, shuffleInPlace } from './seeded-random.js';

/** The training matrices (TrainingData, what the loop needs) plus what produced them. */
export interface TabularData extends TrainingData {
  /** After one-hot expansion, e.g. "color=red". */
  readonly featureNames: string[];
  readonly normalization: Normalization;
}

export interface DataLimits {
  maxRows?: number;
  maxBytes?: number;
}

export const DEFAULT_MAX_ROWS = 1_000_000;
export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

/**
 * Reads `data.train` (and `data.test`, or else a seeded split of the training file — stratified for
 * classification), encodes the features and labels, and normalizes with statistics of the training split.
 * Every failure is an AppError('training') with a one-line message naming the file, line and column.
 *
 * A missing feature value is such an error unless `data.impute` covers its column (see impute.ts; fill values come
 * from the training split). With `data.text` the one text column is the only input: its token ids (text.ts, the
 * vocabulary fitted on the training split) are the features, not normalized, and other columns are not read.
 */
export async function loadTabularData(repoDir: string, manifest: Manifest, limits: DataLimits = {}): Promise<TabularData> {
  const maxRows = limits.maxRows ?? DEFAULT_MAX_ROWS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const { task } = manifest;
  const { train: trainFile, label: labelColumn } = manifest.data;
  if (!trainFile || !labelColumn) throw new AppError('training', 'The manifest names no data.train file and data.label column');
  const data = { ...manifest.data, train: trainFile, label: labelColumn };

  const files = [{ path: data.train, what: 'data.train' }];
  if (data.test !== undefined) files.push({ path: data.test, what: 'data.test' });
  let totalBytes = 0;
  const absolute = files.map(({ path, what }) => {
    const abs = resolveData(repoDir, path, what);
    if (formatOf(path) === null) {
      throw new AppError('training', `${what} "${path}": unsupported data format; use .csv, .tsv or .jsonl`);
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

  const budget: RowBudget = { maxRows, used: 0 };
  const imputable = imputableColumns(data.impute);
  const request: ColumnRequest = {
    label: data.label,
    labelKind: task === 'classification' ? 'class' : 'number',
    features: data.text ? [data.text.column] : (data.features ?? null),
    ...(imputable ? { imputable } : {}),
    ...(data.text ? { rawText: data.text.column } : {}),
  };
  const trainTable = nonEmpty(await readTable(absolute[0]!, data.train, request, budget));
  const testTable =
    data.test !== undefined
      ? nonEmpty(await readTable(absolute[1]!, data.test, { ...request, features: trainTable.features }, budget))
      : null;

  const labels =
    task === 'classification'
      ? classOrder(testTable ? [trainTable.labelValues, testTable.labelValues] : [trainTable.labelValues], data.train, data.label)
      : null;
  const trainTargets = targets(trainTable, labels);

  let train: MaybeRowView;
  let test: MaybeRowView;
  let yTrainAll: Float64Array | Int32Array;
  let yTestAll: Float64Array | Int32Array;
  if (testTable) {
    train = { featureValues: trainTable.featureValues, rows: identity(trainTable.rowCount) };
    test = { featureValues: testTable.featureValues, rows: identity(testTable.rowCount) };
    yTrainAll = trainTargets;
    yTestAll = targets(testTable, labels);
  } else {
    const split = splitRows(
      trainTable.rowCount,
      data.split.test,
      data.split.seed,
      data.train,
      labels ? trainTargets : undefined,
    );
    train = { featureValues: trainTable.featureValues, rows: split.train };
    test = { featureValues: trainTable.featureValues, rows: split.test };
    yTrainAll = trainTargets;
    yTestAll = trainTargets;
  }

  const yTrain = gather(yTrainAll, train.rows);
  const yTest = gather(yTestAll, test.rows);
  if (data.text) {
    const text = fitTextEncoder(data.text, train.featureValues[0]!, train.rows);
    return {
      featureNames: text.featureNames,
      xTrain: text.encode(train.featureValues[0]!, train.rows),
      yTrain,
      nTrain: train.rows.length,
      xTest: text.encode(test.featureValues[0]!, test.rows),
      yTest,
      nTest: test.rows.length,
      nFeatures: text.nFeatures,
      labels,
      normalization: { kind: 'none', offset: new Array<number>(text.nFeatures).fill(0), scale: new Array<number>(text.nFeatures).fill(1) },
    };
  }

  const fills = data.impute ? fitImputer(trainTable.features, train, test, data.impute, data.imputeValue, data.train) : [];
  const trainValues = applyFills(trainTable.featureValues, fills, data.train, trainTable.features);
  const filledTrain: RowView = { featureValues: trainValues, rows: train.rows };
  const filledTest: RowView = {
    featureValues: testTable ? applyFills(testTable.featureValues, fills, testTable.file, trainTable.features) : trainValues,
    rows: test.rows,
  };
  const encoder = fitFeatureEncoder(trainTable.features, filledTrain, filledTest, data.normalize);
  return {
    featureNames: encoder.featureNames,
    xTrain: encoder.encode(filledTrain),
    yTrain,
    nTrain: train.rows.length,
    xTest: encoder.encode(filledTest),
    yTest,
    nTest: test.rows.length,
    nFeatures: encoder.nFeatures,
    labels,
    normalization: encoder.normalization,
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
