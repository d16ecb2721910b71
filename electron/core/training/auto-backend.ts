// The `auto` decision, made here and nowhere else: from what each backend measured on the run's model — the training
// process's and, when the host has a Chromium context, Chromium's — the fastest trains the run; when none can, one
// line says why. The training service asks it once the training process has reported its figures (the process
// waits for the answer); a training process with no host to ask (trainModel, the model-impact pool) asks it too.
import { isChromiumBackend, PROCESS_BACKENDS, type ChromiumBackend, type ProcessBackend } from '../../../shared/backends.js';
import { AppError } from '../app-error.js';
import type { ProbeFigure } from './portable/trainer-protocol.js';

export type AutoChoice =
  | { readonly runsIn: 'training process'; readonly backend: ProcessBackend; readonly probes: ProbeFigure[] }
  | { readonly runsIn: 'chromium'; readonly backend: ChromiumBackend; readonly probes: ProbeFigure[] };

/** The backend `auto` trains on, among every figure given (all of them are kept with the run); throws when none can train. */
export function chooseAuto(probes: readonly ProbeFigure[]): AutoChoice {
  const best = fastest(probes);
  const all = [...probes];
  if (best && isChromiumBackend(best.backend)) return { runsIn: 'chromium', backend: best.backend, probes: all };
  if (best && isProcessBackend(best.backend)) return { runsIn: 'training process', backend: best.backend, probes: all };
  throw new AppError('training', noBackendMessage(probes));
}

/** The backend of this process `auto` trains on, or null when a backend elsewhere (Chromium's) measured faster. */
export function chooseHere(probes: readonly ProbeFigure[]): ProcessBackend | null {
  const choice = chooseAuto(probes);
  return choice.runsIn === 'training process' ? choice.backend : null;
}

export function fastest<P extends ProbeFigure>(probes: readonly P[]): P | null {
  return probes.filter((p) => p.samplesPerSecond !== null).sort((a, b) => b.samplesPerSecond! - a.samplesPerSecond!)[0] ?? null;
}

/**
 * The one line when no backend can train: the real reason once, first (the model's own failure is the same on every
 * backend that loads), then the backends that are merely not installed.
 */
export function noBackendMessage(probes: readonly ProbeFigure[]): string {
  const byReason = new Map<string, string[]>();
  for (const p of probes) byReason.set(p.reason ?? 'unknown', [...(byReason.get(p.reason ?? 'unknown') ?? []), p.backend]);
  const notInstalled = (reason: string) => / is not installed \(npm install /.test(reason);
  const reasons = [...byReason.entries()].sort(([a], [b]) => Number(notInstalled(a)) - Number(notInstalled(b)));
  const [first, ...rest] = reasons;
  if (!first) return 'No backend can train this model here';
  const also = rest.map(([reason, backends]) => `${backends.join(', ')}: ${reason}`);
  return `No backend can train this model here: ${first[0]} (${first[1].join(', ')})${also.length ? `; also ${also.join('; ')}` : ''}`;
}

function isProcessBackend(b: string): b is ProcessBackend {
  return (PROCESS_BACKENDS as readonly string[]).includes(b);
}
