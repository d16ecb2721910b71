// The set-up preview of a data file that is not plain text (Parquet, NumPy, IDX, gzip'd CSV/TSV): its column names
// and first rows as text cells, as sampleTable gives for a CSV, read with the training readers (the same columns).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../app-error.js';
import { classOfOneHot, type ColumnSet, type ColumnVector } from '../training/data/column-table.js';
import { dataFormatOf } from '../training/data/data-formats.js';
import { LABEL_NAMES } from './propose-manifest.js';
import { SAMPLE_MAX_BYTES, SAMPLE_MAX_ROWS, sampleTable, type TableSample } from './sample-table.js';

/** A preview reads at most this many cells (rows × columns): 785 MNIST columns give 1,273 rows. */
const SAMPLE_MAX_CELLS = 1_000_000;

export interface DataFileSample extends TableSample {
  /** An .npz that also holds test arrays (x_test, y_test): the same file is the test data. */
  readonly alsoTest?: boolean;
}

/** Whether `file` needs this sampler (sampleTable reads only plain CSV, TSV and JSONL). */
export function needsBinarySample(file: string): boolean {
  const format = dataFormatOf(file);
  return format !== null && format !== 'csv' && format !== 'tsv' && format !== 'jsonl';
}

/** The head of any data file; errors are one line naming the file (kind 'invalid-request', as sampleTable's). */
export async function sampleDataFile(absPath: string, file: string): Promise<DataFileSample> {
  const format = dataFormatOf(file);
  if (!needsBinarySample(file)) return sampleTable(absPath, file);
  try {
    if (format === 'csv.gz' || format === 'tsv.gz') return await sampleGzipped(absPath, file);
    const tables = await import('../training/data/binary-tables.js');
    const budget = { maxRows: Number.MAX_SAFE_INTEGER, used: 0 };
    if (format === 'npz') {
      const { parseNpz } = await import('../training/data/numpy-array.js');
      const { columnsOfArrays } = await import('../training/data/column-table.js');
      const { MAX_ENCODED_VALUES } = await import('../training/data/encode.js');
      const { DEFAULT_DECODED_BYTES } = await import('../training/data/read-table.js');
      const all = parseNpz(fs.readFileSync(absPath), file, { maxElements: MAX_ENCODED_VALUES, maxBytes: DEFAULT_DECODED_BYTES });
      const alsoTest = [...all.keys()].some((name) => tables.roleOf(name)?.role === 'test');
      return { ...rowsOf(columnsOfArrays(file, tables.npzArrays(all, file, 'train'))), ...(alsoTest ? { alsoTest } : {}) };
    }
    return rowsOf(await tables.readColumnSet(absPath, file, format!, null, budget, 'train', SAMPLE_MAX_ROWS));
  } catch (error) {
    throw error instanceof AppError && error.kind === 'invalid-request'
      ? error
      : new AppError('invalid-request', error instanceof Error ? error.message : String(error));
  }
}

/**
 * The sample's columns and first rows; an array named like a label (`y`, `label`, …) holding one-hot rows is shown
 * as the one column the loader makes of it (the class index).
 */
function rowsOf(whole: ColumnSet): TableSample {
  let set = whole;
  for (const [name, members] of whole.groups) {
    if (members.length < 2 || !(LABEL_NAMES as readonly string[]).includes(name.toLowerCase())) continue;
    const byName = new Map(set.columns.map((c) => [c.name, c] as const));
    let classes: ColumnVector;
    try {
      classes = classOfOneHot(name, name, members.map((m) => byName.get(m)!), set.rowCount);
    } catch {
      continue; // not one-hot: the columns are shown as they are
    }
    const at = set.columns.findIndex((c) => c.name === members[0]);
    const rest = set.columns.filter((c) => !members.includes(c.name));
    set = { ...set, columns: [...rest.slice(0, at), classes, ...rest.slice(at)] };
  }
  const columns = set.columns.map((c) => c.name);
  const rowCount = Math.min(set.rowCount, SAMPLE_MAX_ROWS, Math.max(1, Math.floor(SAMPLE_MAX_CELLS / Math.max(1, columns.length))));
  const rows: string[][] = [];
  for (let r = 0; r < rowCount; r++) rows.push(set.columns.map((c) => cellText(c.values[r * c.stride + c.offset])));
  return { columns, rows, truncated: rowCount < set.rowCount };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
  return typeof value === 'string' ? value.trim() : String(value);
}

/** The first SAMPLE_MAX_BYTES (+ 1, so that sampleTable sees the file goes on) inflated bytes, sampled as the plain file. */
async function sampleGzipped(absPath: string, file: string): Promise<TableSample> {
  const { openInflated } = await import('../training/data/byte-source.js');
  const stream = openInflated(absPath, file, Number.MAX_SAFE_INTEGER);
  const chunks: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      have += chunk.length;
      if (have > SAMPLE_MAX_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-sample-'));
  const plain = path.join(dir, path.basename(file).replace(/\.gz$/i, ''));
  try {
    fs.writeFileSync(plain, Buffer.concat(chunks).subarray(0, SAMPLE_MAX_BYTES + 1));
    return sampleTable(plain, file.replace(/\.gz$/i, ''));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
