// Builds a RawTable from data that arrives by column (a Parquet file's columns, NumPy or IDX arrays) with the same
// rules and messages as the CSV reader (read-table.ts): the label and features must exist, a missing value is an
// error unless data.impute covers its column, the row limit counts. "line N" in messages is row N, from 1.
import { AppError } from '../../app-error.js';
import type { NdArray } from './numpy-array.js';
import { TableBuilder, type ColumnRequest, type MaybeCell, type RawTable, type RowBudget } from './read-table.js';

/** Rows copied together: 256 rows of 784 float64 pixels are 1.6 MB. */
const ROW_BLOCK = 256;

/** One column: row r's value is `values[r * stride + offset]`. */
export interface ColumnVector {
  readonly name: string;
  readonly values: ArrayLike<unknown>;
  readonly stride: number;
  readonly offset: number;
}

export interface ColumnSet {
  readonly columns: readonly ColumnVector[];
  readonly rowCount: number;
  /** Names that stand for several columns (an array's flattened columns): data.features may name them. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

/**
 * The columns of named arrays, all with the same first dimension (the rows): a 1-D array is one column of its
 * name, a wider one is flattened per row into columns `name[0]`, `name[1]`, … (or `0`, `1`, … for the name '').
 */
export function columnsOfArrays(file: string, arrays: readonly (readonly [string, NdArray])[]): ColumnSet {
  const columns: ColumnVector[] = [];
  const groups = new Map<string, string[]>();
  let rowCount = -1;
  let first = '';
  for (const [name, array] of arrays) {
    if (array.shape.length === 0) throw new AppError('training', `${file}: array "${name || 'the array'}" is a single value, not rows`);
    const rows = array.shape[0]!;
    if (rowCount === -1) {
      rowCount = rows;
      first = name;
    } else if (rows !== rowCount) {
      throw new AppError('training', `${file}: array "${name}" has ${rows} rows, but "${first}" has ${rowCount}`);
    }
    if (array.shape.length === 1 && name !== '') {
      columns.push({ name, values: array.values, stride: 1, offset: 0 });
      continue;
    }
    const width = array.shape.slice(1).reduce((a, b) => a * b, 1);
    const names: string[] = [];
    for (let j = 0; j < width; j++) {
      const column = name === '' ? String(j) : `${name}[${j}]`;
      names.push(column);
      columns.push({ name: column, values: array.values, stride: width, offset: j });
    }
    if (name !== '') groups.set(name, names);
  }
  return { columns, rowCount: Math.max(rowCount, 0), groups };
}

/** Reads the columns the request names into a RawTable. */
export function tableFromColumns(file: string, set: ColumnSet, request: ColumnRequest, budget: RowBudget): RawTable {
  const labelGroup = set.groups.get(request.label);
  const byName = new Map(set.columns.map((c) => [c.name, c] as const));
  // A label array of several values a row is one-hot (Keras's to_categorical): its class is the index of the 1.
  const oneHot = labelGroup && labelGroup.length > 1 ? classOfOneHot(file, request.label, labelGroup.map((n) => byName.get(n)!), set.rowCount) : null;
  const label = labelGroup && !oneHot ? labelGroup[0]! : request.label;
  const grouped = new Set(oneHot ? labelGroup : []);
  const features = request.features ? request.features.flatMap((name) => set.groups.get(name) ?? [name]) : null;
  const available = [...set.columns.map((c) => c.name).filter((n) => !grouped.has(n)), ...(oneHot ? [label] : [])];
  const builder = new TableBuilder(file, available, { ...request, label, features }, budget);
  const labelColumn = oneHot ?? byName.get(label)!;
  for (let row = 0; row < set.rowCount; row++) {
    builder.startRow();
    builder.pushLabel(row + 1, plain(labelColumn.values[row * labelColumn.stride + labelColumn.offset]));
    builder.endRow(row + 1);
  }
  // Column by column within blocks of rows (a block of a row-major array stays in the cache while its columns are
  // copied): a typed array's finite numbers are copied as they are; any other value takes the reader's rules.
  const sources = builder.features.map((name) => byName.get(name)!);
  const fast = sources.map((c, i) => isNumberArray(c.values) && !builder.needsRawValue(i));
  const featureValues = sources.map(() => new Array<MaybeCell>(set.rowCount));
  for (let first = 0; first < set.rowCount; first += ROW_BLOCK) {
    const last = Math.min(first + ROW_BLOCK, set.rowCount);
    for (let i = 0; i < sources.length; i++) {
      const { values, stride, offset } = sources[i]!;
      const out = featureValues[i]!;
      for (let row = first; row < last; row++) {
        const value = values[row * stride + offset];
        out[row] = fast[i] && Number.isFinite(value) ? (value as number) : builder.featureCell(i, row + 1, plain(value));
      }
    }
  }
  return builder.buildWithColumns(featureValues);
}

/** The class index of each row of one-hot label columns; a row that is not exactly one 1 among 0s is an error. */
export function classOfOneHot(file: string, name: string, columns: readonly ColumnVector[], rowCount: number): ColumnVector {
  const classes = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    let hot = -1;
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      const v = Number(c.values[row * c.stride + c.offset]);
      if (v === 1 && hot === -1) hot = k;
      else if (v !== 0) {
        throw new AppError(
          'training',
          `${file} line ${row + 1}: the label "${name}" has ${columns.length} values a row but is not one-hot there; a label is one value a row, or a one-hot row`,
        );
      }
    }
    if (hot === -1) throw new AppError('training', `${file} line ${row + 1}: the one-hot label "${name}" has no 1`);
    classes[row] = hot;
  }
  return { name, values: classes, stride: 1, offset: 0 };
}

function isNumberArray(values: ArrayLike<unknown>): boolean {
  return ArrayBuffer.isView(values) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array);
}

/** NaN is a missing value (NumPy's and pandas' convention); a 64-bit integer becomes a number. */
function plain(value: unknown): unknown {
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'bigint') return Number(value);
  return value;
}
