// How the Results & credit view writes numbers: metrics, signed deltas, 95 % intervals, short shas, an ETA.
import type { MetricInterval, ModelImpactProgress } from '../../../../shared/impact';

export const shortSha = (sha: string) => sha.slice(0, 8);

export const metricText = (v: number) => v.toFixed(3);

/** A signed number with a true minus sign, so "−0.667" reads as negative to people and screen readers alike. */
export function signed(v: number, digits = 3): string {
  const text = Math.abs(v).toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return (v < 0 ? '−' : '+') + text;
}

export const intervalText = (i: MetricInterval) => `${metricText(i.mean)} [${metricText(i.low)}, ${metricText(i.high)}]`;
export const deltaText = (i: MetricInterval) => `${signed(i.mean)} [${signed(i.low)}, ${signed(i.high)}]`;

const phaseText: Record<ModelImpactProgress['phase'], string> = {
  history: 'Reading the history…',
  states: 'Hashing model states…',
  replay: 'Replaying coalitions in a temporary worktree…',
  training: 'Training',
};

/** "37/64 trainings, ETA 12 s" in the training phase; the phase's name before it. */
export function progressText(p: ModelImpactProgress): string {
  if (p.phase !== 'training') return phaseText[p.phase];
  const eta = p.etaSeconds === null ? '' : `, ETA ${formatSeconds(p.etaSeconds)}`;
  return `${p.done}/${p.total} trainings${eta}`;
}

function formatSeconds(s: number): string {
  const whole = Math.ceil(s);
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
