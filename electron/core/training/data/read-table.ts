// Streams one data file (CSV/TSV byte by byte, or through papaparse when quoted, either one gzip'd or not; JSONL
// line by line) into column arrays holding only the columns the manifest uses, failing on the first problem with
// the file, line and column. Parquet, NumPy and IDX files go to their readers (binary-tables.ts), with the same rules.
import fs from 'node:fs';
import readline from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import Papa from 'papaparse';
import { AppError } from '../../app-error.js';
import { CellBlocks } from './cell-blocks.js';
import { openBytes, openInflated, isGzipped } from './byte-source.js';
import { DATA_FORMATS_TEXT, dataFormatOf, type DataRole } from './data-formats.js';
import { FieldSpans, fastNumber, NOT_FAST, splitFields } from './delimited-bytes.js';

/** A cell: a number, or a non-numeric string (trimmed, never empty). */
export type Cell = number | string;

/** A cell as read: null is a missing value in a column the manifest imputes (elsewhere a missing value is an error). */
export type MaybeCell = Cell | null;

export type LabelKind = 'class' | 'number';

export interface ColumnRequest {
  readonly label: string;
  readonly labelKind: LabelKind;
  /** The feature columns, or null for "every column but the label" (unnamed columns are skipped). */
  readonly features: readonly string[] | null;
  /** Feature columns whose missing values are kept (as null) for imputation: 'all', or these names. */
  readonly imputable?: 'all' | ReadonlySet<string>;
  /** A feature column kept as its trimmed text, never parsed as a number (tokenized text). */
  readonly rawText?: string;
}

export interface RawTable {
  /** The path as the manifest wrote it, for messages. */
  readonly file: string;
  readonly features: string[];
  /** One array per feature, in `features` order; null only in an imputable column. */
  readonly featureValues: MaybeCell[][];
  /** Classification: the label text as written; regression: the number. */
  readonly labelValues: Cell[];
  /** The 1-based line each row starts on. */
  readonly lines: number[];
  readonly rowCount: number;
}

/** Shared across the files of one load, so that the row limit counts them together. */
export interface RowBudget {
  readonly maxRows: number;
  used: number;
  /** The most bytes one file may take once decompressed or decoded (a .gz, an .npz entry, an array). */
  readonly maxBytes?: number;
}

/** The default of RowBudget.maxBytes (the data limit of index.ts). */
export const DEFAULT_DECODED_BYTES = 200 * 1024 * 1024;

/** The plain-text formats, read as text (the set-up sampler reads these itself). */
export type TextFormat = 'csv' | 'tsv' | 'jsonl';

export function formatOf(file: string): TextFormat | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.tsv')) return 'tsv';
  if (lower.endsWith('.jsonl')) return 'jsonl';
  return null;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a trimmed text spells, or null when it is not a plain decimal number. */
export function parseNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

export async function readTable(
  absPath: string,
  file: string,
  request: ColumnRequest,
  budget: RowBudget,
  role: DataRole = 'train',
): Promise<RawTable> {
  const format = dataFormatOf(file);
  if (format === 'jsonl') return readJsonl(absPath, file, request, budget);
  if (format === 'csv' || format === 'tsv' || format === 'csv.gz' || format === 'tsv.gz') {
    return readDelimited(absPath, file, format.startsWith('csv') ? ',' : '\t', request, budget);
  }
  if (format !== null) {
    const { readBinaryTable } = await import('./binary-tables.js'); // Parquet's reader loads only when a project uses it
    return readBinaryTable(absPath, file, format, request, budget, role);
  }
  throw new AppError('training', `${file}: unsupported data format; use ${DATA_FORMATS_TEXT}`);
}

/** Collects rows once the columns are known; shared by every reader. */
export class TableBuilder {
  readonly features: string[];
  private readonly cells: CellBlocks;
  readonly labelValues: Cell[] = [];
  readonly lines: number[] = [];

  constructor(
    readonly file: string,
    available: string[],
    private readonly request: ColumnRequest,
    private readonly budget: RowBudget,
  ) {
    const seen = new Set<string>();
    const duplicated = new Set<string>();
    for (const name of available) (seen.has(name) ? duplicated : seen).add(name);
    if (!seen.has(request.label)) {
      throw new AppError('training', `${file} has no label column "${request.label}" (its columns: ${listColumns(available)})`);
    }
    this.features = request.features
      ? [...request.features]
      : available.filter((name) => name !== request.label && name.trim() !== '');
    if (this.features.length === 0) {
      throw new AppError('training', `${file} has no feature columns besides the label "${request.label}"`);
    }
    for (const name of this.features) {
      if (name === request.label) {
        throw new AppError('training', `data.features lists the label column "${name}"; a label cannot also be a feature`);
      }
      if (!seen.has(name)) {
        throw new AppError('training', `${file} has no feature column "${name}" (its columns: ${listColumns(available)})`);
      }
    }
    for (const name of [request.label, ...this.features]) {
      if (duplicated.has(name)) throw new AppError('training', `${file}: column "${name}" appears more than once`);
    }
    if (request.imputable && request.imputable !== 'all') {
      for (const name of request.imputable) {
        if (!this.features.includes(name)) {
          throw new AppError('training', `data.impute names "${name}", which is not a feature column of ${file}`);
        }
      }
    }
    this.cells = new CellBlocks(this.features.length);
  }

  /** `get` returns the raw value of a column in the current row (undefined when absent). */
  add(line: number, get: (column: string) => unknown): void {
    this.startRow();
    this.features.forEach((name, i) => this.pushFeature(i, line, get(name)));
    this.pushLabel(line, get(this.request.label));
    this.lines.push(line);
  }

  /** Counts a data row against the row limit; the fast reader then pushes its cells and ends it with `endRow`. */
  startRow(): void {
    this.budget.used++;
    if (this.budget.used > this.budget.maxRows) {
      throw new AppError(
        'training',
        `${this.file}: the data has more than ${this.budget.maxRows} rows, the most a project may train on`,
      );
    }
  }

  /** Feature `i` of the current row from its raw value, with every rule of `cell` (missing, imputable, text). */
  pushFeature(i: number, line: number, raw: unknown): void {
    this.cells.set(this.lines.length, i, this.feature(line, this.features[i]!, raw));
  }

  /**
   * Where the current row's numbers go: `block[offset + i]` is feature i, for a reader that knows a cell is a plain
   * finite number (what `cell` would return for it) and writes it directly.
   */
  numberSlots(): { block: Float64Array; offset: number } {
    const row = this.lines.length;
    return { block: this.cells.block(row), offset: this.cells.offset(row) };
  }

  /** A feature that must go through `pushFeature` even when it looks like a number (imputable or text). */
  needsRawValue(i: number): boolean {
    const { imputable, rawText } = this.request;
    const name = this.features[i]!;
    return name === rawText || imputable === 'all' || (imputable?.has(name) ?? false);
  }

  pushLabel(line: number, raw: unknown): void {
    const label = this.cell(line, this.request.label, raw);
    if (this.request.labelKind === 'number') {
      if (typeof label !== 'number') {
        throw new AppError(
          'training',
          `${this.file} line ${line}, column "${this.request.label}": "${label}" is not a number (a regression label must be numeric)`,
        );
      }
      this.labelValues.push(label);
    } else {
      this.labelValues.push(typeof label === 'number' ? labelText(raw) : label);
    }
  }

  endRow(line: number): void {
    this.lines.push(line);
  }

  /** Feature `i` of `line` from its raw value, with every rule of `pushFeature`, for a reader that fills columns itself. */
  featureCell(i: number, line: number, raw: unknown): MaybeCell {
    return this.feature(line, this.features[i]!, raw);
  }

  /**
   * The table of a reader that read its rows' labels through `startRow`/`pushLabel`/`endRow` but built the feature
   * columns itself (column-table.ts: one value per row, `featureCell`'s rules).
   */
  buildWithColumns(featureValues: MaybeCell[][]): RawTable {
    return { file: this.file, features: this.features, featureValues, labelValues: this.labelValues, lines: this.lines, rowCount: this.lines.length };
  }

  private feature(line: number, column: string, raw: unknown): MaybeCell {
    const { imputable, rawText } = this.request;
    if (column === rawText && typeof raw === 'string' && raw.trim() !== '') return raw.trim();
    if (imputable === 'all' || imputable?.has(column)) {
      if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return null;
    }
    return this.cell(line, column, raw);
  }

  private cell(line: number, column: string, raw: unknown): Cell {
    const where = `${this.file} line ${line}, column "${column}"`;
    if (raw === undefined || raw === null) throw new AppError('training', `${where}: missing value`);
    if (typeof raw === 'number') {
      if (!Number.isFinite(raw)) throw new AppError('training', `${where}: ${raw} is not a finite number`);
      return raw;
    }
    if (typeof raw === 'boolean') return String(raw);
    if (typeof raw !== 'string') throw new AppError('training', `${where}: nested values are not supported`);
    const text = raw.trim();
    if (text === '') throw new AppError('training', `${where}: missing value`);
    return parseNumber(text) ?? text;
  }

  build(): RawTable {
    return {
      file: this.file,
      features: this.features,
      featureValues: this.cells.toColumns(this.lines.length),
      labelValues: this.labelValues,
      lines: this.lines,
      rowCount: this.lines.length,
    };
  }
}

/** A class label keeps the text it was written with ("1.0" stays "1.0"); JSON numbers print as JavaScript does. */
function labelText(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim() : String(raw);
}

function listColumns(columns: string[]): string {
  const shown = columns.slice(0, 20).map((c) => `"${c}"`);
  return (columns.length > 20 ? [...shown, `… ${columns.length - 20} more`] : shown).join(', ') || 'none';
}

function newlinesIn(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

/** Bytes read at a time by the fast reader; a row longer than this grows the buffer. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** The fast reader met a quote or a lone CR: the file goes through papaparse from the start instead. */
const NEEDS_PAPAPARSE = Symbol('needs papaparse');

/**
 * CSV/TSV: the byte-level reader for files without quotes (the common case: one pass over the bytes, numbers read
 * straight from them, no per-row arrays of strings), papaparse for the rest, both with the same rules and messages.
 */
async function readDelimited(
  absPath: string,
  file: string,
  delimiter: string,
  request: ColumnRequest,
  budget: RowBudget,
): Promise<RawTable> {
  const usedBefore = budget.used;
  let fast: RawTable | typeof NEEDS_PAPAPARSE;
  try {
    fast = await readUnquoted(absPath, file, delimiter.charCodeAt(0), request, budget);
  } catch (error) {
    throw error instanceof AppError ? error : new AppError('training', `${file}: ${messageOf(error)}`);
  }
  if (fast !== NEEDS_PAPAPARSE) return fast;
  budget.used = usedBefore;
  return readDelimitedWithPapaparse(absPath, file, delimiter, request, budget);
}

/**
 * Reads a delimited file that has no quote character and only LF or CRLF line endings, chunk by chunk; answers
 * NEEDS_PAPAPARSE at the first chunk holding a quote or a lone CR (papaparse's territory: quoted fields, old Mac
 * line endings).
 */
async function readUnquoted(
  absPath: string,
  file: string,
  delimiter: number,
  request: ColumnRequest,
  budget: RowBudget,
): Promise<RawTable | typeof NEEDS_PAPAPARSE> {
  const source = await openBytes(absPath, file, budget.maxBytes ?? DEFAULT_DECODED_BYTES);
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let have = 0; // bytes of buf holding file data
    let at = 0; // where the next row starts in buf
    let eof = false;
    let firstRead = true;
    let line = 1;
    const spans = new FieldSpans();
    let builder: TableBuilder | null = null;
    let columnOf: Int32Array = new Int32Array(0); // feature i -> its field in a row
    let labelAt = -1;
    let fieldCount = 0;
    let needsRaw = new Uint8Array(0);

    const row = (start: number, end: number): boolean => {
      const n = splitFields(buf, start, end, delimiter, spans);
      if (n < 0) return false; // a lone CR
      if (n === 1 && buf.toString('utf8', start, end).trim() === '') return true; // a blank line
      if (!builder) {
        const header = Array.from({ length: n }, (_, i) => buf.toString('utf8', spans.starts[i], spans.ends[i]));
        const names = header.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
        builder = new TableBuilder(file, names, request, budget);
        const index = new Map(names.map((name, i) => [name, i] as const));
        columnOf = Int32Array.from(builder.features, (name) => index.get(name)!);
        labelAt = index.get(request.label)!;
        fieldCount = n;
        needsRaw = Uint8Array.from(builder.features, (_, i) => (builder!.needsRawValue(i) ? 1 : 0));
        return true;
      }
      if (n !== fieldCount) throw new AppError('training', `${file} line ${line}: ${n} fields, but the header has ${fieldCount}`);
      const { starts, ends } = spans;
      builder.startRow();
      const { block, offset } = builder.numberSlots();
      for (let i = 0; i < columnOf.length; i++) {
        const field = columnOf[i]!;
        const value = needsRaw[i] === 1 ? NOT_FAST : fastNumber(buf, starts[field]!, ends[field]!);
        if (value === value) block[offset + i] = value;
        else builder.pushFeature(i, line, buf.toString('utf8', starts[field], ends[field]));
      }
      builder.pushLabel(line, buf.toString('utf8', starts[labelAt], ends[labelAt]));
      builder.endRow(line);
      return true;
    };

    for (;;) {
      if (!eof) {
        if (at > 0) {
          buf.copy(buf, 0, at, have); // keep the unfinished row, drop the rows already read
          have -= at;
          at = 0;
        }
        if (have === buf.length) {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, have);
          buf = bigger;
        }
        const bytesRead = await source.read(buf, have, buf.length - have);
        if (bytesRead === 0) eof = true;
        else {
          if (buf.subarray(have, have + bytesRead).includes(34 /* " */)) return NEEDS_PAPAPARSE;
          have += bytesRead;
          if (firstRead && have >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) at = 3; // a UTF-8 BOM
          firstRead = false;
        }
      }
      const view = buf.subarray(0, have);
      for (;;) {
        const newline = view.indexOf(10, at);
        if (newline === -1) break;
        const end = newline > at && buf[newline - 1] === 13 ? newline - 1 : newline;
        if (!row(at, end)) return NEEDS_PAPAPARSE;
        line++;
        at = newline + 1;
      }
      if (eof) {
        if (at < have && !row(at, have)) return NEEDS_PAPAPARSE; // a last row without a line ending
        break;
      }
    }
    if (!builder) throw new AppError('training', `${file} is empty; it needs a header row`);
    return (builder as TableBuilder).build();
  } finally {
    await source.close();
  }
}

function readDelimitedWithPapaparse(
  absPath: string,
  file: string,
  delimiter: string,
  request: ColumnRequest,
  budget: RowBudget,
): Promise<RawTable> {
  return new Promise<RawTable>((resolve, reject) => {
    const stream = textStream(absPath, file, budget.maxBytes ?? DEFAULT_DECODED_BYTES);
    let builder: TableBuilder | null = null;
    let header: string[] | null = null;
    let index = new Map<string, number>();
    let line = 1; // the line the next row starts on
    let settled = false;

    const finish = (error: unknown) => {
      if (settled) return;
      settled = true;
      stream.destroy();
      const fail = (e: unknown) => reject(e instanceof AppError ? e : new AppError('training', `${file}: ${messageOf(e)}`));
      if (error) fail(error);
      else if (!builder) fail(new AppError('training', `${file} is empty; it needs a header row`));
      else {
        try {
          resolve(builder.build());
        } catch (e) {
          fail(e); // thrown inside papaparse's `complete`, it would otherwise leave the promise pending
        }
      }
    };

    Papa.parse<string[]>(stream, {
      delimiter,
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      step: (results, parser) => {
        if (settled) return;
        const row = results.data;
        const rowLine = line;
        line += 1 + row.reduce((sum, field) => sum + newlinesIn(field), 0);
        try {
          const problem = results.errors[0];
          if (problem) throw new AppError('training', `${file} line ${rowLine}: ${problem.message}`);
          if (row.length === 1 && row[0]!.trim() === '') return; // a blank line
          if (!header) {
            header = row.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
            index = new Map(header.map((name, i) => [name, i] as const));
            builder = new TableBuilder(file, header, request, budget);
            return;
          }
          if (row.length !== header.length) {
            throw new AppError('training', `${file} line ${rowLine}: ${row.length} fields, but the header has ${header.length}`);
          }
          builder!.add(rowLine, (column) => {
            const i = index.get(column);
            return i === undefined ? undefined : row[i];
          });
        } catch (error) {
          finish(error); // first: abort() calls `complete` synchronously
          parser.abort();
        }
      },
      complete: () => finish(null),
      error: (error) => finish(error),
    });
  });
}

async function readJsonl(absPath: string, file: string, request: ColumnRequest, budget: RowBudget): Promise<RawTable> {
  const stream = fs.createReadStream(absPath, { encoding: 'utf8' });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let builder: TableBuilder | null = null;
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      const text = (lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
      if (text === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new AppError('training', `${file} line ${lineNumber}: not valid JSON`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new AppError('training', `${file} line ${lineNumber}: expected a JSON object`);
      }
      const record = value as Record<string, unknown>;
      builder ??= new TableBuilder(file, Object.keys(record), request, budget);
      builder.add(lineNumber, (column) => (Object.hasOwn(record, column) ? record[column] : undefined));
    }
  } catch (error) {
    throw error instanceof AppError ? error : new AppError('training', `${file}: ${messageOf(error)}`);
  } finally {
    lines.close();
    stream.destroy();
  }
  if (!builder) throw new AppError('training', `${file} has no data rows`);
  return builder.build();
}

/**
 * The file as UTF-8 text (inflated when gzip'd), a leading BOM dropped: after one, papaparse would keep the quotes
 * of a quoted first header name.
 */
function textStream(absPath: string, file: string, maxBytes: number): Readable {
  if (!isGzipped(file)) return fs.createReadStream(absPath, { encoding: 'utf8', start: startsWithBom(absPath) ? 3 : 0 });
  let first = true;
  const dropBom = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const skip = first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
      first = false;
      done(null, chunk.subarray(skip));
    },
  });
  const inflated = openInflated(absPath, file, maxBytes);
  inflated.on('error', (error) => dropBom.destroy(error));
  const text = inflated.pipe(dropBom);
  text.setEncoding('utf8');
  return text;
}

function startsWithBom(absPath: string): boolean {
  const fd = fs.openSync(absPath, 'r');
  try {
    const head = Buffer.alloc(3);
    return fs.readSync(fd, head, 0, 3, 0) === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } finally {
    fs.closeSync(fd);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
