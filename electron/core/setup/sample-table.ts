// Reads the head of a CSV, TSV or JSONL file (bounded by bytes and rows) into its column names and text cells, for
// proposing a label and features and for the set-up preview.
import fs from 'node:fs';
import Papa from 'papaparse';
import { AppError, oneLine } from '../app-error.js';
import { formatOf, parseNumber } from '../training/data/read-table.js';
import type { SetupColumn } from '../../../shared/setup.js';

export interface TableSample {
  readonly columns: string[];
  /** Rows as text cells ('' for a missing value), in file order. */
  readonly rows: string[][];
  /** Whether the file goes on past what was read. */
  readonly truncated: boolean;
}

export const SAMPLE_MAX_BYTES = 8 * 1024 * 1024;
export const SAMPLE_MAX_ROWS = 50_000;

/** `file` is the repository-relative path, for messages. */
export function sampleTable(absPath: string, file: string, maxBytes = SAMPLE_MAX_BYTES, maxRows = SAMPLE_MAX_ROWS): TableSample {
  const format = formatOf(file);
  if (!format) throw new AppError('invalid-request', `${file}: not a CSV, TSV or JSONL file`);
  const size = fs.statSync(absPath).size;
  const fd = fs.openSync(absPath, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(Math.min(size, maxBytes));
    text = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    fs.closeSync(fd);
  }
  let truncated = size > maxBytes;
  // A cut file ends mid-row: the partial last line is dropped.
  if (truncated) text = text.slice(0, text.lastIndexOf('\n') + 1);
  let columns: string[];
  let rows: string[][];
  if (format === 'jsonl') {
    const objects: Record<string, unknown>[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new AppError('invalid-request', `${file} line ${i + 1}: invalid JSON (${oneLine((err as Error).message)})`);
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new AppError('invalid-request', `${file} line ${i + 1}: each line must be a JSON object`);
      objects.push(value as Record<string, unknown>);
    }
    columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    rows = objects.map((o) => columns.map((c) => cellText(o[c])));
  } else {
    const parsed = Papa.parse<string[]>(text, { delimiter: format === 'tsv' ? '\t' : ',', skipEmptyLines: 'greedy' });
    const [header, ...body] = parsed.data;
    if (!header) throw new AppError('invalid-request', `${file} is empty: no header row`);
    columns = header.map((h) => h.trim());
    rows = body.map((r) => columns.map((_, i) => (r[i] ?? '').trim()));
  }
  if (!columns.length) throw new AppError('invalid-request', `${file} has no columns`);
  if (rows.length > maxRows) {
    rows = rows.slice(0, maxRows);
    truncated = true;
  }
  return { columns, rows, truncated };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v.trim() : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Each column's type by the loader's rule (numeric when ≥ 90 % of its non-empty cells are numbers), distinct values and empty cells. */
export function describeColumns(sample: TableSample): SetupColumn[] {
  return sample.columns.map((name, i) => {
    let numbers = 0;
    let filled = 0;
    const distinct = new Set<string>();
    for (const row of sample.rows) {
      const cell = row[i]!;
      if (cell === '') continue;
      filled++;
      distinct.add(cell);
      if (parseNumber(cell) !== null) numbers++;
    }
    return { name, type: filled > 0 && numbers >= 0.9 * filled ? 'number' : 'text', distinct: distinct.size, missing: sample.rows.length - filled };
  });
}
