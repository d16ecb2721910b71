// The metric a project leads with (`metrics.primary`, else accuracy or r2), and metric maps ordered with it first.
import type { Run } from '../../../../shared/contract';

export function defaultMetric(task: Run['task']): string {
  return task === 'classification' ? 'accuracy' : 'r2';
}

/** The entries of `metrics`, the primary one first, the rest in their order. */
export function primaryFirst(metrics: Record<string, number>, primary: string | null | undefined): [string, number][] {
  const entries = Object.entries(metrics);
  const at = primary ? entries.findIndex(([k]) => k === primary) : -1;
  return at <= 0 ? entries : [entries[at]!, ...entries.slice(0, at), ...entries.slice(at + 1)];
}
