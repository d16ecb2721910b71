// Turns raw columns into the model's numeric matrix: one-hot categorical columns (training vocabulary), class
// labels as indices, and normalization fitted on the training split only.
import { AppError } from '../../app-error.js';
import type { ColumnKind } from './column-kinds.js';
import type { Cell } from './read-table.js';
import { parseNumber } from './read-table.js';

export type NormalizeKind = 'standard' | 'minmax' | 'none';

export interface Normalization {
  kind: NormalizeKind;
  offset: number[];
  scale: number[];
}

/** Some rows of a table's feature columns. */
export interface RowView {
  readonly featureValues: Cell[][];
  readonly rows: ArrayLike<number>;
}

type ColumnPlan =
  | { readonly kind: 'numeric'; readonly at: number }
  | { readonly kind: 'categorical'; readonly at: number; readonly index: Map<string, number> };

/** A categorical column may have at most this many distinct training values … */
export const MAX_CATEGORIES = 1000;
/** … and, over at least MIN_ROWS_FOR_UNIQUE_SHARE training rows, at most this share of them distinct (else it is an id or free text). */
export const MAX_UNIQUE_SHARE = 0.5;
export const MIN_ROWS_FOR_UNIQUE_SHARE = 20;
/** Most float32 values an encoded data set may hold (1 GB), checked before the matrices are made. */
export const MAX_ENCODED_VALUES = 250_000_000;

export interface FeatureEncoder {
  readonly featureNames: string[];
  readonly nFeatures: number;
  readonly normalization: Normalization;
  /** Columns with one value over the training rows: kept, but they cannot help (reported in the run). */
  readonly warnings: string[];
  /** Fails, naming the widest column, when `rows` rows would encode to more than `limit` values. */
  checkSize(rows: number, limit?: number): void;
  /** Row-major [rows, nFeatures], normalized. */
  encode(view: RowView): Float32Array;
}

/** Code-unit order, independent of the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Fits the encoding on the training rows only; `kinds` (column-kinds.ts) says which columns are categorical.
 * Categories are one-hot encoded over the training split's sorted vocabulary ("color=red"); a category unseen in
 * training encodes as all zeros, and a column with more categories than a one-hot can sensibly hold (over
 * MAX_CATEGORIES, or more than half the rows distinct) is an error. Numeric columns are normalized with statistics
 * of the training split (a constant column gets scale 1); one-hot columns are left as 0/1 (offset 0, scale 1).
 */
export function fitFeatureEncoder(features: string[], kinds: readonly ColumnKind[], train: RowView, kind: NormalizeKind, file: string): FeatureEncoder {
  const featureNames: string[] = [];
  const offset: number[] = [];
  const scale: number[] = [];
  const widths: number[] = [];
  const warnings: string[] = [];
  const rows = train.rows.length;
  const plans: ColumnPlan[] = features.map((name, column) => {
    const at = featureNames.length;
    const values = train.featureValues[column]!;
    const constant = (value: Cell) =>
      warnings.push(`Column "${name}" of ${file} has the same value ("${value}") in every training row, so it cannot help the model; leave it out with data.features`);
    if (kinds[column] === 'categorical') {
      const distinct = new Set<string>();
      for (let r = 0; r < rows; r++) distinct.add(String(values[train.rows[r]!]!));
      if (distinct.size === 1 && rows > 1) constant([...distinct][0]!);
      if (distinct.size > MAX_CATEGORIES || (rows >= MIN_ROWS_FOR_UNIQUE_SHARE && distinct.size > MAX_UNIQUE_SHARE * rows)) {
        throw new AppError(
          'training',
          `${file}, column "${name}": ${distinct.size.toLocaleString('en')} distinct text values in ${rows.toLocaleString('en')} training rows are too many categories for one-hot encoding (at most ${MAX_CATEGORIES.toLocaleString('en')}, and at most half the rows); leave the column out by listing the others in data.features, or tokenize it as text with data.text`,
        );
      }
      const sorted = [...distinct].sort(compareText);
      widths.push(sorted.length);
      for (const category of sorted) {
        featureNames.push(`${name}=${category}`);
        offset.push(0);
        scale.push(1);
      }
      return { kind: 'categorical', at, index: new Map(sorted.map((c, i) => [c, i] as const)) };
    }
    widths.push(1);
    if (rows > 1 && isConstant(values, train.rows)) constant(values[train.rows[0]!]!);
    featureNames.push(name);
    const [o, s] = fitColumn(values, train.rows, kind);
    offset.push(o);
    scale.push(s);
    return { kind: 'numeric', at };
  });
  const nFeatures = featureNames.length;

  return {
    featureNames,
    nFeatures,
    normalization: { kind, offset, scale },
    warnings,
    checkSize(total: number, limit = MAX_ENCODED_VALUES): void {
      if (total * nFeatures <= limit) return;
      const widest = widths.reduce((best, w, i) => (w > widths[best]! ? i : best), 0);
      throw new AppError(
        'training',
        `${file}: ${total.toLocaleString('en')} rows × ${nFeatures.toLocaleString('en')} encoded features would be ${(total * nFeatures).toExponential(2)} values (${gigabytes(total * nFeatures * 4)}), over the limit of ${limit.toLocaleString('en')}; the widest column is "${features[widest]}" (${widths[widest]!.toLocaleString('en')} ${widths[widest] === 1 ? 'column' : 'categories'}): leave it out with data.features`,
      );
    },
    encode(view: RowView): Float32Array {
      const out = new Float32Array(view.rows.length * nFeatures);
      plans.forEach((plan, column) => {
        const values = view.featureValues[column]!;
        for (let r = 0; r < view.rows.length; r++) {
          const value = values[view.rows[r]!]!;
          if (plan.kind === 'numeric') {
            out[r * nFeatures + plan.at] = ((value as number) - offset[plan.at]!) / scale[plan.at]!;
          } else {
            const hot = plan.index.get(String(value));
            if (hot !== undefined) out[r * nFeatures + plan.at + hot] = 1;
          }
        }
      });
      return out;
    },
  };
}

function isConstant(values: Cell[], rows: ArrayLike<number>): boolean {
  const first = values[rows[0]!];
  for (let r = 1; r < rows.length; r++) if (values[rows[r]!] !== first) return false;
  return true;
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** [offset, scale] so that (x − offset) / scale is normalized; scale is 1 for a constant column. */
function fitColumn(values: Cell[], rows: ArrayLike<number>, kind: NormalizeKind): [number, number] {
  if (kind === 'none') return [0, 1];
  const n = rows.length;
  if (kind === 'minmax') {
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < n; r++) {
      const v = values[rows[r]!] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const range = max - min;
    return [min, range > 0 && Number.isFinite(range) ? range : 1];
  }
  let sum = 0;
  for (let r = 0; r < n; r++) sum += values[rows[r]!] as number;
  const mean = sum / n;
  let squares = 0;
  for (let r = 0; r < n; r++) squares += ((values[rows[r]!] as number) - mean) ** 2;
  const std = Math.sqrt(squares / n); // population std, as sklearn's StandardScaler
  return [mean, std > 0 && Number.isFinite(std) ? std : 1];
}

/**
 * The class order: distinct label texts sorted numerically when every one is a number, else in code-unit order.
 */
export function classOrder(labelColumns: Cell[][], file: string, label: string): string[] {
  const distinct = new Set<string>();
  for (const column of labelColumns) for (const value of column) distinct.add(String(value));
  const texts = [...distinct];
  const numbers = new Map(texts.map((t) => [t, parseNumber(t)] as const));
  const numeric = texts.every((t) => numbers.get(t) !== null);
  texts.sort(numeric ? (a, b) => numbers.get(a)! - numbers.get(b)! || compareText(a, b) : compareText);
  if (texts.length < 2) {
    throw new AppError(
      'training',
      `${file}: the label column "${label}" has ${texts.length === 1 ? `only one class ("${texts[0]}")` : 'no values'}; classification needs at least 2`,
    );
  }
  return texts;
}

export function classIndices(labelValues: Cell[], labels: string[]): Int32Array {
  const index = new Map(labels.map((l, i) => [l, i] as const));
  const out = new Int32Array(labelValues.length);
  for (let i = 0; i < labelValues.length; i++) out[i] = index.get(String(labelValues[i]))!;
  return out;
}
