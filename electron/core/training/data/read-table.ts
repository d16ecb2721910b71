// Streams one data file (CSV/TSV through papaparse, or JSONL line by line) into column arrays holding only the
// columns the manifest uses, failing on the first problem with the file, line and column in the message.
import fs from 'node:fs';
import readline from 'node:readline';
import Papa from 'papaparse';
import { AppError } from '../../app-error.js';

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
}

export type DataFormat = 'csv' | 'tsv' | 'jsonl';

export function formatOf(file: string): DataFormat | null {
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
): Promise<RawTable> {
  const format = formatOf(file);
  if (format === 'jsonl') return readJsonl(absPath, file, request, budget);
  if (format === 'csv' || format === 'tsv') return readDelimited(absPath, file, format === 'csv' ? ',' : '\t', request, budget);
  throw new AppError('training', `${file}: unsupported data format; use .csv, .tsv or .jsonl`);
}

/** Collects rows once the columns are known; shared by both readers. */
class TableBuilder {
  readonly features: string[];
  readonly featureValues: MaybeCell[][];
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
    this.featureValues = this.features.map(() => []);
  }

  /** `get` returns the raw value of a column in the current row (undefined when absent). */
  add(line: number, get: (column: string) => unknown): void {
    this.budget.used++;
    if (this.budget.used > this.budget.maxRows) {
      throw new AppError(
        'training',
        `${this.file}: the data has more than ${this.budget.maxRows} rows, the most a project may train on`,
      );
    }
    this.features.forEach((name, i) => this.featureValues[i]!.push(this.feature(line, name, get(name))));
    const label = this.cell(line, this.request.label, get(this.request.label));
    if (this.request.labelKind === 'number') {
      if (typeof label !== 'number') {
        throw new AppError(
          'training',
          `${this.file} line ${line}, column "${this.request.label}": "${label}" is not a number (a regression label must be numeric)`,
        );
      }
      this.labelValues.push(label);
    } else {
      this.labelValues.push(typeof label === 'number' ? labelText(get(this.request.label)) : label);
    }
    this.lines.push(line);
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
      featureValues: this.featureValues,
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

function readDelimited(
  absPath: string,
  file: string,
  delimiter: string,
  request: ColumnRequest,
  budget: RowBudget,
): Promise<RawTable> {
  return new Promise<RawTable>((resolve, reject) => {
    const stream = fs.createReadStream(absPath, { encoding: 'utf8' });
    let builder: TableBuilder | null = null;
    let header: string[] | null = null;
    let index = new Map<string, number>();
    let line = 1; // the line the next row starts on
    let settled = false;

    const finish = (error: unknown) => {
      if (settled) return;
      settled = true;
      stream.destroy();
      if (error) reject(error instanceof AppError ? error : new AppError('training', `${file}: ${messageOf(error)}`));
      else if (!builder) reject(new AppError('training', `${file} is empty; it needs a header row`));
      else resolve(builder.build());
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
