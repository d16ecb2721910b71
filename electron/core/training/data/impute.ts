// Fills missing feature values as the manifest's `data.impute` asks, with statistics of the training split only
// (like normalization); the same fill value then goes into both splits. Labels are never imputed.
import type { Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import type { ColumnKind } from './column-kinds.js';
import { compareText } from './encode.js';
import type { Cell, MaybeCell } from './read-table.js';
import { parseNumber } from './read-table.js';

export type ImputeStrategy = 'mean' | 'median' | 'mostFrequent' | 'constant';
export type ImputeSetting = NonNullable<Manifest['data']['impute']>;

/** Some rows of a table's feature columns, as read (null = missing). */
export interface MaybeRowView {
  readonly featureValues: MaybeCell[][];
  readonly rows: ArrayLike<number>;
}

const NUMERIC: readonly ImputeStrategy[] = ['mean', 'median', 'constant'];
const CATEGORICAL: readonly ImputeStrategy[] = ['mostFrequent', 'constant'];

/** The columns whose missing values the reader keeps (as null), or undefined when nothing is imputed. */
export function imputableColumns(impute: ImputeSetting | undefined): 'all' | ReadonlySet<string> | undefined {
  if (impute === undefined) return undefined;
  return typeof impute === 'string' ? 'all' : new Set(Object.keys(impute));
}

/**
 * The fill value of each feature column (undefined: nothing to fill). A single strategy applies to every feature
 * column that has a missing value in any split (`all`); a per-column object to exactly the columns it names, which
 * must be features. `kinds` (column-kinds.ts) says which columns are numeric: they take mean / median / constant,
 * categorical ones mostFrequent / constant. Statistics come from the `train` rows only.
 */
export function fitImputer(
  features: string[],
  kinds: readonly ColumnKind[],
  train: MaybeRowView,
  all: readonly MaybeRowView[],
  impute: ImputeSetting,
  imputeValue: number | string | undefined,
  file: string,
): (Cell | undefined)[] {
  if (typeof impute !== 'string') {
    for (const name of Object.keys(impute)) {
      if (!features.includes(name)) {
        throw new AppError('training', `data.impute names "${name}", which is not a feature column of ${file}`);
      }
    }
  }
  return features.map((name, column) => {
    const strategy = typeof impute === 'string' ? impute : impute[name];
    if (strategy === undefined) return undefined;
    if (typeof impute === 'string' && !all.some((view) => hasMissing(view, column))) return undefined;
    const categorical = kinds[column] === 'categorical';
    const allowed = categorical ? CATEGORICAL : NUMERIC;
    if (!allowed.includes(strategy)) {
      throw new AppError(
        'training',
        `data.impute: column "${name}" is ${categorical ? 'categorical (text)' : 'numeric'}, so "${strategy}" cannot fill it; use ${orList(allowed)}`,
      );
    }
    if (strategy === 'constant') {
      if (imputeValue === undefined) throw new AppError('training', 'data.impute "constant" needs data.imputeValue');
      if (categorical) return imputeValue;
      if (typeof imputeValue === 'number') return imputeValue;
      const spelled = parseNumber(imputeValue.trim());
      if (spelled === null) {
        throw new AppError('training', `data.imputeValue "${imputeValue}" is not a number, but column "${name}" is numeric`);
      }
      return spelled;
    }
    const values = present(train, column);
    if (values.length === 0) {
      throw new AppError('training', `data.impute: column "${name}" has no values in the training split to compute the ${strategy} from`);
    }
    if (strategy === 'mean') return (values as number[]).reduce((sum, v) => sum + v, 0) / values.length;
    if (strategy === 'median') return median(values as number[]);
    return mostFrequent(values);
  });
}

/** The columns with each null replaced by its column's fill value (`lines`: each row's line, for messages). */
export function applyFills(featureValues: MaybeCell[][], fills: (Cell | undefined)[], file: string, features: string[], lines?: readonly number[]): Cell[][] {
  return featureValues.map((values, column) => {
    const fill = fills[column];
    if (fill === undefined && !values.includes(null)) return values as Cell[];
    return values.map((value, row) => {
      if (value !== null) return value;
      if (fill === undefined) throw new AppError('training', `${file}${lines ? ` line ${lines[row]}` : ''}, column "${features[column]}": missing value`);
      return fill;
    });
  });
}

function hasMissing(view: MaybeRowView, column: number): boolean {
  const values = view.featureValues[column]!;
  for (let r = 0; r < view.rows.length; r++) if (values[view.rows[r]!] === null) return true;
  return false;
}

function present(view: MaybeRowView, column: number): Cell[] {
  const values = view.featureValues[column]!;
  const out: Cell[] = [];
  for (let r = 0; r < view.rows.length; r++) {
    const value = values[view.rows[r]!]!;
    if (value !== null) out.push(value);
  }
  return out;
}

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The most frequent value (compared as text, as the one-hot encoder does); ties go to the first in code-unit order. */
function mostFrequent(values: Cell[]): Cell {
  const counts = new Map<string, { value: Cell; count: number }>();
  for (const value of values) {
    const key = String(value);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { value, count: 1 });
  }
  let best: { key: string; value: Cell; count: number } | null = null;
  for (const [key, entry] of counts) {
    if (!best || entry.count > best.count || (entry.count === best.count && compareText(key, best.key) < 0)) {
      best = { key, ...entry };
    }
  }
  return best!.value;
}

function orList(items: readonly string[]): string {
  const quoted = items.map((i) => `"${i}"`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
