// A sweep: values for some manifest keys (`--set KEY=V1,V2`), searched as a grid (every combination) or at random
// (N distinct combinations, seeded), each point trained once — or K times with k-fold cross-validation. Only keys
// that tune a training are sweepable; every point's manifest is validated like a written one.
import type { Manifest } from '../../../shared/manifest.js';
import { Manifest as ManifestSchema } from '../../../shared/manifest.js';
import { AppError } from '../app-error.js';
import { mulberry32, shuffleInPlace } from '../training/data/seeded-random.js';

/** training.learningRate, training.batchSize, training.epochs, model.layers[N].units, model.layers[N].rate */
const SWEEP_KEY = /^(training\.(learningRate|batchSize|epochs)|model\.layers\[(\d+)\]\.(units|rate))$/;
export const SWEEP_KEYS_HELP = 'training.learningRate, training.batchSize, training.epochs, model.layers[N].units, model.layers[N].rate';

export interface SweepAxis {
  readonly key: string;
  readonly values: readonly number[];
}

export type SweepPoint = Readonly<Record<string, number>>;

/** Parses one `--set KEY=V1,V2,…`. */
export function parseSweepAxis(text: string): SweepAxis {
  const eq = text.indexOf('=');
  const key = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (eq < 0) throw new AppError('invalid-request', `--set ${text}: give KEY=V1,V2,… (keys: ${SWEEP_KEYS_HELP})`);
  if (!SWEEP_KEY.test(key)) throw new AppError('invalid-request', `--set ${key}: not a sweepable key (keys: ${SWEEP_KEYS_HELP})`);
  const raw = text.slice(eq + 1).split(',').map((v) => v.trim());
  const values = raw.map((v) => {
    const n = v === '' ? NaN : Number(v);
    if (!Number.isFinite(n)) throw new AppError('invalid-request', `--set ${key}: "${v}" is not a number`);
    return n;
  });
  return { key, values: [...new Set(values)] };
}

/** Every combination of the axes (the first axis varies slowest); with `random`, that many distinct ones, seeded. */
export function sweepPoints(axes: readonly SweepAxis[], options: { random?: number; seed?: number } = {}): SweepPoint[] {
  const keys = axes.map((a) => a.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new AppError('invalid-request', `--set ${dup} is given twice: put all its values in one --set`);
  let points: SweepPoint[] = [{}];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.key]: v })));
  if (options.random === undefined) return points;
  if (!Number.isInteger(options.random) || options.random < 1) throw new AppError('invalid-request', `--random takes a whole number above 0, not ${options.random}`);
  return shuffleInPlace(points, mulberry32(options.seed ?? 0)).slice(0, options.random);
}

/** The manifest with the point's values set; an error names the key when the result is not a valid manifest. */
export function applySweepPoint(manifest: Manifest, point: SweepPoint): Manifest {
  const next = structuredClone(manifest) as Manifest & { model: { layers?: Record<string, unknown>[] } };
  for (const [key, value] of Object.entries(point)) {
    const m = SWEEP_KEY.exec(key);
    if (!m) throw new AppError('invalid-request', `${key}: not a sweepable key (keys: ${SWEEP_KEYS_HELP})`);
    if (m[2]) (next.training as Record<string, unknown>)[m[2]] = value;
    else {
      const index = Number(m[3]);
      const layers = next.model.layers;
      if (!layers) throw new AppError('invalid-request', `${key}: this model is declared by a file, so it has no model.layers to set`);
      const layer = layers[index];
      if (!layer) throw new AppError('invalid-request', `${key}: the model has ${layers.length} layers (model.layers[0] … [${layers.length - 1}])`);
      if (!(m[4]! in layer)) throw new AppError('invalid-request', `${key}: layer ${index} (${String(layer.type)}) has no ${m[4]}`);
      layer[m[4]!] = value;
    }
  }
  const checked = ManifestSchema.safeParse(next);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new AppError('invalid-request', `The sweep point ${JSON.stringify(point)} makes an invalid manifest: ${issue.path.join('.')}: ${issue.message}`);
  }
  return checked.data;
}
