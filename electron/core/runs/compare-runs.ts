// Puts runs side by side: each param and metric as one row of values, one per run, with deltas against the first
// run (the baseline); "diff only" keeps the rows whose values are not all the same.
import type { Run } from '../../../shared/contract.js';

export type CellValue = string | number | boolean | null;

export interface ComparedRow<V extends CellValue> {
  readonly name: string;
  /** One value per run, in the order the runs were given (null: the run has none). */
  readonly values: readonly (V | null)[];
  /** value − baseline's value for numbers (null where either is missing or not a number); the first is 0 or null. */
  readonly deltas: readonly (number | null)[];
  readonly differs: boolean;
}

export interface RunsComparison {
  readonly runs: readonly { id: string; status: Run['status']; commit: string; backend: string; startedAt: string; seconds: number | null }[];
  readonly params: readonly ComparedRow<CellValue>[];
  readonly metrics: readonly ComparedRow<number>[];
}

export function compareRuns(runs: readonly Run[], options: { diffOnly?: boolean } = {}): RunsComparison {
  if (runs.length < 2) throw new Error(`Compare takes at least two runs, not ${runs.length}`);
  const params = rows(runs.map((r) => ({ backend: r.backend, commit: r.commit, ...(r.params ?? {}) })));
  const metrics = rows(runs.map((r) => r.metrics ?? {})) as ComparedRow<number>[];
  const keep = <R extends { differs: boolean }>(list: R[]) => (options.diffOnly ? list.filter((r) => r.differs) : list);
  return {
    runs: runs.map((r) => ({ id: r.id, status: r.status, commit: r.commit, backend: r.backend, startedAt: r.startedAt, seconds: r.seconds })),
    params: keep(params),
    metrics: keep(metrics),
  };
}

/** Every key any run has, in first-seen order, as a row of values with deltas against the first run. */
function rows(maps: readonly Record<string, CellValue>[]): ComparedRow<CellValue>[] {
  const names = [...new Set(maps.flatMap((m) => Object.keys(m)))];
  return names.map((name) => {
    const values = maps.map((m) => (Object.hasOwn(m, name) ? (m[name] ?? null) : null));
    const base = values[0];
    const deltas = values.map((v) => (typeof v === 'number' && typeof base === 'number' ? v - base : null));
    const differs = values.some((v) => v !== base);
    return { name, values, deltas, differs };
  });
}
