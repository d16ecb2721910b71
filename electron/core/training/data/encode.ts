// Turns raw columns into the model's numeric matrix: one-hot categorical columns (training vocabulary), class
// labels as indices, and normalization fitted on the training split only.
import { AppError } from '../../app-error.js';
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

export interface FeatureEncoder {
  readonly featureNames: string[];
  readonly nFeatures: number;
  readonly normalization: Normalization;
  /** Row-major [rows, nFeatures], normalized. */
  encode(view: RowView): Float32Array;
}

/** Code-unit order, independent of the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A column is categorical when any of its values (in either split) is not a number. Categories are one-hot
 * encoded over the training split's sorted vocabulary ("color=red"); a category unseen in training encodes as all
 * zeros. Numeric columns are normalized with statistics of the training split (a constant column gets scale 1);
 * one-hot columns are left as 0/1 (offset 0, scale 1).
 */
export function fitFeatureEncoder(features: string[], train: RowView, test: RowView, kind: NormalizeKind): FeatureEncoder {
  const featureNames: string[] = [];
  const offset: number[] = [];
  const scale: number[] = [];
  const plans: ColumnPlan[] = features.map((name, column) => {
    const at = featureNames.length;
    if (hasText(train, column) || hasText(test, column)) {
      const vocabulary = new Set<string>();
      for (let r = 0; r < train.rows.length; r++) vocabulary.add(String(train.featureValues[column]![train.rows[r]!]!));
      const sorted = [...vocabulary].sort(compareText);
      for (const category of sorted) {
        featureNames.push(`${name}=${category}`);
        offset.push(0);
        scale.push(1);
      }
      return { kind: 'categorical', at, index: new Map(sorted.map((c, i) => [c, i] as const)) };
    }
    featureNames.push(name);
    const [o, s] = fitColumn(train.featureValues[column]!, train.rows, kind);
    offset.push(o);
    scale.push(s);
    return { kind: 'numeric', at };
  });
  const nFeatures = featureNames.length;

  return {
    featureNames,
    nFeatures,
    normalization: { kind, offset, scale },
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

function hasText(view: RowView, column: number): boolean {
  const values = view.featureValues[column]!;
  for (let r = 0; r < view.rows.length; r++) if (typeof values[view.rows[r]!] === 'string') return true;
  return false;
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
