// The readers of data files that are not text: Parquet (hyparquet, every codec of hyparquet-compressors), NumPy
// .npy / .npz and MNIST IDX, each turned into the same RawTable as a CSV (column-table.ts). Sizes are checked from
// the headers and metadata before the data is read.
import fs from 'node:fs';
import path from 'node:path';
import type { FileMetaData } from 'hyparquet';
import { AppError } from '../../app-error.js';
import { columnsOfArrays, tableFromColumns, type ColumnSet, type ColumnVector } from './column-table.js';
import { idxPartner, partnerFile, ROLE_SUFFIXES, type DataFormat, type DataRole } from './data-formats.js';
import { MAX_ENCODED_VALUES } from './encode.js';
import { readIdxFile } from './idx-file.js';
import { parseNpy, parseNpz, type ArrayLimits, type NdArray } from './numpy-array.js';
import { DEFAULT_DECODED_BYTES, type ColumnRequest, type RawTable, type RowBudget } from './read-table.js';

export async function readBinaryTable(
  absPath: string,
  file: string,
  format: DataFormat,
  request: ColumnRequest,
  budget: RowBudget,
  role: DataRole,
): Promise<RawTable> {
  const set = await readColumnSet(absPath, file, format, request, budget, role);
  return tableFromColumns(file, set, request, budget);
}

/** The columns of a binary data file; for Parquet only the columns the request uses are read (null: every column). */
export async function readColumnSet(
  absPath: string,
  file: string,
  format: DataFormat,
  request: Pick<ColumnRequest, 'label' | 'features'> | null,
  budget: Pick<RowBudget, 'maxBytes' | 'maxRows' | 'used'>,
  role: DataRole,
  /** Read at most this many rows of a Parquet file (a preview); the other formats are read whole. */
  headRows?: number,
): Promise<ColumnSet> {
  const limits: ArrayLimits = { maxElements: MAX_ENCODED_VALUES, maxBytes: budget.maxBytes ?? DEFAULT_DECODED_BYTES };
  try {
    switch (format) {
      case 'parquet':
        return await readParquetColumns(absPath, file, request, budget, limits, headRows);
      case 'npy':
        return columnsOfArrays(file, npyArrays(absPath, file, limits));
      case 'npz':
        return columnsOfArrays(file, npzArrays(parseNpz(fs.readFileSync(absPath), file, limits), file, role));
      case 'idx':
        return columnsOfArrays(file, idxArrays(absPath, file, limits));
      default:
        throw new AppError('training', `${file}: not a binary data format`);
    }
  } catch (error) {
    throw error instanceof AppError ? error : new AppError('training', `${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** x.npy with its y.npy beside it: arrays "x" and "y"; a lone .npy: a 2-D array whose columns are 0, 1, …. */
function npyArrays(absPath: string, file: string, limits: ArrayLimits): [string, NdArray][] {
  const array = parseNpy(fs.readFileSync(absPath), file, limits);
  const partner = partnerFile(absPath, file);
  if (partner) return [['x', array], ['y', parseNpy(fs.readFileSync(partner), `${path.basename(partner)} (the labels of ${file})`, limits)]];
  if (array.shape.length < 2) {
    throw new AppError('training', `${file}: a lone .npy needs rows of several columns (shape (${array.shape.join(', ')})); put the labels in y${path.basename(file).slice(1)} beside an x… file, or use an .npz`);
  }
  return [['', array]];
}

/**
 * The arrays of an .npz for one role: `x_train` / `y_train` are the training file's "x" / "y", `x_test` the test
 * file's; arrays without such a suffix belong to every role.
 */
export function npzArrays(all: ReadonlyMap<string, NdArray>, file: string, role: DataRole): [string, NdArray][] {
  const out: [string, NdArray][] = [];
  let anyRole = false;
  for (const [name, array] of all) {
    const r = roleOf(name);
    if (!r) out.push([name, array]);
    else {
      anyRole = true;
      if (r.role === role) out.push([r.base, array]);
    }
  }
  if (anyRole && ![...all.keys()].some((n) => roleOf(n)?.role === role)) {
    throw new AppError('training', `${file} has no ${role} arrays (its arrays: ${[...all.keys()].join(', ')}); name them like x_${ROLE_SUFFIXES[role][0]}`);
  }
  return out;
}

/** The role an .npz array's name gives it (`x_test`: test, named "x"), or null for an array of every role. */
export function roleOf(name: string): { role: DataRole; base: string } | null {
  for (const [r, suffixes] of Object.entries(ROLE_SUFFIXES) as [DataRole, readonly string[]][]) {
    for (const suffix of suffixes) {
      const m = new RegExp(`^(.+)[_-]${suffix}$`, 'i').exec(name);
      if (m) return { role: r, base: m[1]! };
    }
  }
  return null;
}

/** An IDX images file and its labels file (either one may be named): arrays "image" and "label". */
function idxArrays(absPath: string, file: string, limits: ArrayLimits): [string, NdArray][] {
  const partner = partnerFile(absPath, file);
  if (!partner) throw new AppError('training', `${file}: its ${/idx1/i.test(file) ? 'images' : 'labels'} file ${path.posix.basename(idxPartner(file))} is not beside it`);
  const partnerName = idxPartner(file);
  const mine = readIdxFile(absPath, file, limits);
  const other = readIdxFile(partner, partnerName, limits);
  const [images, labels, imagesName, labelsName] = /idx1/i.test(file) ? [other, mine, partnerName, file] : [mine, other, file, partnerName];
  if (labels.shape.length !== 1) throw new AppError('training', `${labelsName}: labels have shape (${labels.shape.join(', ')}); an IDX labels file is one value per image`);
  if (labels.shape[0] !== images.shape[0]) {
    throw new AppError('training', `${labelsName} has ${labels.shape[0]} labels, but ${imagesName} has ${images.shape[0]} images`);
  }
  return [['image', images], ['label', labels]];
}

async function readParquetColumns(
  absPath: string,
  file: string,
  request: Pick<ColumnRequest, 'label' | 'features'> | null,
  budget: Pick<RowBudget, 'maxRows' | 'used'>,
  limits: ArrayLimits,
  headRows?: number,
): Promise<ColumnSet> {
  const [{ asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema }, { compressors }] = await Promise.all([
    import('hyparquet'),
    import('hyparquet-compressors'),
  ]);
  const buffer = await asyncBufferFromFile(absPath);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new AppError('training', `${file}: not a readable Parquet file (${error instanceof Error ? error.message : String(error)})`);
  }
  checkParquetLayout(file, metadata, buffer.byteLength);
  const rowCount = Math.min(Number(metadata.num_rows), headRows ?? Infinity);
  if (budget.used + rowCount > budget.maxRows) {
    throw new AppError('training', `${file}: the data has more than ${budget.maxRows} rows, the most a project may train on`);
  }
  const top = parquetSchema(metadata).children;
  // pandas keeps a non-default index as __index_level_0__: its metadata, not a column of the data.
  const flat = top
    .filter((c) => c.children.length === 0 && c.element.repetition_type !== 'REPEATED' && !/^__index_level_\d+__$/.test(c.element.name))
    .map((c) => c.element.name);
  const nested = new Set(top.filter((c) => c.children.length > 0 || c.element.repetition_type === 'REPEATED').map((c) => c.element.name));
  const wanted = request === null ? flat : request.features === null ? flat : [request.label, ...request.features];
  for (const name of wanted) {
    if (nested.has(name)) throw new AppError('training', `${file}: column "${name}" is nested (a list, map or struct); only flat columns are read`);
  }
  const reading = wanted.filter((name) => flat.includes(name));
  let bytes = 0;
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    if (groupStart >= rowCount) break; // a preview reads the first row groups only
    groupStart += Number(group.num_rows);
    for (const chunk of group.columns) {
      const name = chunk.meta_data?.path_in_schema[0];
      if (name !== undefined && reading.includes(name)) bytes += Number(chunk.meta_data!.total_uncompressed_size);
    }
  }
  if (bytes > limits.maxBytes) {
    throw new AppError('training', `${file}: the columns read are ${bytes} bytes uncompressed, over the data limit of ${limits.maxBytes} bytes`);
  }
  // One pass over the file, column chunks as they are decoded (no rows assembled).
  const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>(reading.map((name) => [name, []]));
  await parquetRead({
    file: buffer,
    metadata,
    columns: reading,
    compressors,
    rowStart: 0,
    rowEnd: rowCount,
    onChunk: (chunk) => chunks.get(chunk.columnName)?.push({ rowStart: chunk.rowStart, data: chunk.columnData }),
  });
  const values = new Map<string, ArrayLike<unknown>>();
  for (const [name, parts] of chunks) {
    const column = joinChunks(parts, rowCount);
    checkParquetValues(file, name, column);
    values.set(name, column);
  }
  const columns: ColumnVector[] = flat.map((name) => ({ name, values: values.get(name) ?? [], stride: 1, offset: 0 }));
  return { columns, rowCount, groups: new Map() };
}

/**
 * A column's chunks as one array of `rowCount` values: a Float64Array (a null as NaN, which the table reads as a
 * missing value) when every value is a number or null, so that the table copies it without per-cell checks.
 */
function joinChunks(parts: readonly { rowStart: number; data: ArrayLike<unknown> }[], rowCount: number): ArrayLike<unknown> {
  const numeric = parts.every(({ data }) => {
    if (ArrayBuffer.isView(data)) return !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array);
    for (let k = 0; k < data.length; k++) {
      const v = data[k];
      if (typeof v !== 'number' && v !== null && v !== undefined) return false;
    }
    return true;
  });
  const out: { [i: number]: unknown; length: number } = numeric ? new Float64Array(rowCount).fill(Number.NaN) : new Array<unknown>(rowCount).fill(null);
  for (const { rowStart, data } of parts) {
    const end = Math.min(data.length, rowCount - rowStart);
    for (let k = 0; k < end; k++) {
      const v = data[k];
      if (v !== null && v !== undefined) out[rowStart + k] = v;
    }
  }
  return out;
}

/**
 * Refuses metadata that does not describe the file (a damaged footer) before any page is read: every row group's
 * column chunks are the schema's columns, in the file, with row counts that add up. (hyparquet can loop forever on
 * a chunk whose path is not in the schema.)
 */
function checkParquetLayout(file: string, metadata: FileMetaData, fileBytes: number): void {
  const schema = metadata.schema;
  const leaves = new Set<string>();
  const walk = (at: number, prefix: string[]): number => {
    const element = schema[at];
    if (!element) throw new AppError('training', `${file}: damaged Parquet metadata (the schema is cut off)`);
    const children = element.num_children ?? 0;
    const pathHere = at === 0 ? [] : [...prefix, element.name];
    if (children === 0 && at !== 0) leaves.add(pathHere.join('\u0000'));
    let next = at + 1;
    for (let c = 0; c < children; c++) next = walk(next, pathHere);
    return next;
  };
  if (walk(0, []) !== schema.length) throw new AppError('training', `${file}: damaged Parquet metadata (the schema's element counts do not add up)`);
  let rows = 0;
  metadata.row_groups.forEach((group, g) => {
    rows += Number(group.num_rows);
    const seen = new Set<string>();
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      const key = meta?.path_in_schema.join('\u0000');
      if (!meta || key === undefined || !leaves.has(key) || seen.has(key)) {
        throw new AppError('training', `${file}: damaged Parquet metadata (row group ${g + 1} has a column chunk "${meta?.path_in_schema.join('.') ?? '?'}" that is not a column of the schema)`);
      }
      seen.add(key);
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = Math.max(start, Number(meta.data_page_offset)) + Number(meta.total_compressed_size);
      if (!(start >= 0 && end <= fileBytes) || Number(meta.num_values) < 0) {
        throw new AppError('training', `${file}: damaged Parquet metadata (column "${meta.path_in_schema.join('.')}" of row group ${g + 1} lies outside the file)`);
      }
    }
    if (seen.size !== leaves.size) throw new AppError('training', `${file}: damaged Parquet metadata (row group ${g + 1} has ${seen.size} of the schema's ${leaves.size} columns)`);
  });
  if (rows !== Number(metadata.num_rows)) {
    throw new AppError('training', `${file}: damaged Parquet metadata (the row groups hold ${rows} rows, the footer says ${metadata.num_rows})`);
  }
}

/** Refuses a column of values the tables cannot hold (dates, bytes, objects), by its first such value. */
function checkParquetValues(file: string, name: string, column: ArrayLike<unknown>): void {
  if (ArrayBuffer.isView(column)) return;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') continue;
    const what = v instanceof Date ? 'date/time' : v instanceof Uint8Array ? 'binary' : 'structured';
    throw new AppError('training', `${file} row ${i + 1}, column "${name}": a ${what} value; columns of numbers, text or booleans are read (leave it out with data.features)`);
  }
}
