// The line a run shows before its first epoch: what it is doing (loading data, measuring backends for `auto`).
import type { TrainingPhase } from '../../../../shared/contract';

export function phaseText(phase: TrainingPhase | null, device: string | null): string {
  if (device) return `Building the model on ${device}…`;
  if (!phase) return 'Starting…';
  if (phase.step === 'loading') return 'Loading data…';
  const of = phase.total > 0 ? ` ${phase.done + 1}/${phase.total}` : '';
  return `Measuring backends: ${phase.backend ?? 'this machine'}${of} (once per machine and model shape)…`;
}
