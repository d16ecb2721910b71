// Loads `data.inputs` (one entry per model input: feature columns or a text column) as one flat matrix: each entry
// is loaded as a single-input manifest of its own, and the entries' columns are put side by side in entry order.
import type { InputSpec, Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import type { InputColumnsOfData, TrainingData } from '../portable/train-on-data.js';
import type { Normalization } from './encode.js';

/** What one entry loads to: the fields of TabularData that are joined. */
type EntryData = Omit<TrainingData, 'warnings' | 'inputColumns'> & {
  readonly featureNames: string[];
  readonly normalization: Normalization;
  readonly warnings: readonly string[];
};

/** How one entry is named in messages: `data.inputs[1] (text "body")`. */
export function describeEntry(entry: InputSpec, i: number): string {
  return 'features' in entry ? `data.inputs[${i}] (features ${entry.features.join(', ')})` : `data.inputs[${i}] (text "${entry.text.column}")`;
}

/** The single-input manifest one entry loads as: its columns as data.features or data.text, impute kept for its columns. */
export function manifestOfEntry(manifest: Manifest, entry: InputSpec): Manifest {
  const { inputs: _inputs, features: _features, text: _text, impute, imputeValue, ...rest } = manifest.data;
  if ('text' in entry) return { ...manifest, data: { ...rest, text: entry.text } };
  const kept = impute === undefined || typeof impute === 'string' ? impute : Object.fromEntries(Object.entries(impute).filter(([c]) => entry.features.includes(c)));
  const keep = kept !== undefined && (typeof kept === 'string' || Object.keys(kept).length > 0);
  return {
    ...manifest,
    data: { ...rest, features: entry.features, normalize: entry.normalize ?? rest.normalize, ...(keep ? { impute: kept, ...(imputeValue !== undefined ? { imputeValue } : {}) } : {}) },
  };
}

/**
 * Puts the entries' columns side by side. Every entry was split from the same file with the same seeds, so their
 * rows and labels agree; that is checked, not assumed.
 */
export function joinEntries<T extends EntryData>(
  manifest: Manifest,
  parts: readonly T[],
): Omit<T, 'xTrain' | 'xVal' | 'xTest' | 'nFeatures' | 'featureNames' | 'normalization' | 'warnings'> & EntryData & { inputColumns: InputColumnsOfData } {
  const entries = manifest.data.inputs!;
  const first = parts[0]!;
  parts.forEach((p, i) => {
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, k) => v === b[k]);
    if (!same(p.yTrain, first.yTrain) || !same(p.yVal, first.yVal) || !same(p.yTest, first.yTest)) {
      throw new AppError('training', `${describeEntry(entries[i]!, i)}: its rows do not line up with data.inputs[0]'s (the same file split the same way should)`);
    }
  });
  const widths = parts.map((p) => p.nFeatures);
  const nFeatures = widths.reduce((a, b) => a + b, 0);
  const join = (pick: (p: T) => Float32Array, rows: number) => {
    const out = new Float32Array(rows * nFeatures);
    let offset = 0;
    parts.forEach((p, i) => {
      const x = pick(p);
      const w = widths[i]!;
      for (let r = 0; r < rows; r++) out.set(x.subarray(r * w, r * w + w), r * nFeatures + offset);
      offset += w;
    });
    return out;
  };
  // One kind for the whole row: the manifest's, or "none" when no entry of feature columns is normalized by it.
  const normalized = parts.filter((p) => p.normalization.kind !== 'none');
  return {
    ...first,
    xTrain: join((p) => p.xTrain, first.nTrain),
    xVal: join((p) => p.xVal, first.nVal),
    xTest: join((p) => p.xTest, first.nTest),
    nFeatures,
    featureNames: parts.flatMap((p) => p.featureNames),
    normalization: {
      kind: normalized.length ? normalized[0]!.normalization.kind : 'none',
      offset: parts.flatMap((p) => p.normalization.offset),
      scale: parts.flatMap((p) => p.normalization.scale),
    },
    warnings: parts.flatMap((p) => p.warnings),
    inputColumns: entries.map((entry, i) => ({ what: describeEntry(entry, i), size: widths[i]! })),
  };
}
