// Picks the training backend by measurement. `auto` runs a short probe of the actual model — a preflight step that
// runs every kernel the training needs (forward, backward, predict), then a few timed steps — on each backend that
// loads, and asks auto-backend.ts which to train on; the figures are cached per machine and model shape. A backend missing a kernel is
// skipped with the kernel's name, so a run never fails midway with "Kernel X not registered".
import { PROCESS_BACKENDS, type ProcessBackend } from '../../../shared/backends.js';
import { AppError } from '../app-error.js';
import { chooseHere } from './auto-backend.js';
import { activateBackend, startBackend, unavailableReason, type ActiveBackend, type ConcreteBackend } from './backends.js';
import { measureEach, missingKernel, PROBE_BUDGET_MS, type MeasuredBackend, type ProbeTarget } from './portable/probe-target.js';
import type { BackendChoice, ProbeFigure } from './portable/trainer-protocol.js';

export { missingKernel, PROBE_BUDGET_MS, type ProbeTarget };
import { readProbeCache, writeProbeCache } from './probe-cache.js';
export { probeCacheKey, probeSignature, readProbeCache, writeProbeCache } from './probe-cache.js';

export type BackendProbe = MeasuredBackend<ConcreteBackend>;

export type BackendChoiceResult =
  | { readonly kind: 'here'; readonly active: ActiveBackend; readonly probes: readonly ProbeFigure[] }
  /** `auto` was answered with a backend of another kind (Chromium's): this process trains nothing. */
  | { readonly kind: 'elsewhere'; readonly probes: readonly ProbeFigure[] };

/**
 * Asked with this process's figures for `auto`: the backend of this process to train on, or null to train nothing
 * here. auto-backend.ts decides, with or without figures from elsewhere.
 */
export type AskBackend = (probes: readonly ProbeFigure[]) => Promise<ProcessBackend | null>;

/** Told before each backend is measured (index of the total), so a run can say what it is doing meanwhile. */
export type OnMeasuring = (backend: string, done: number, total: number) => void;

export function probeBackends(
  candidates: readonly ConcreteBackend[],
  target: ProbeTarget,
  budgetMs = PROBE_BUDGET_MS,
  onMeasuring?: OnMeasuring,
): Promise<BackendProbe[]> {
  return measureEach(candidates, startBackend, target, { budgetMs, reasonOf: unavailableReason, ...(onMeasuring ? { onMeasuring } : {}) });
}

/** What this process's backends measure on the model: the cached figures for this machine and model, else a probe (then cached). */
export async function measureOwnBackends(target: ProbeTarget, cache?: { file: string; key: string }, onMeasuring?: OnMeasuring): Promise<ProbeFigure[]> {
  const cached = cache ? readProbeCache(cache.file, cache.key) : null;
  if (cached) return cached;
  const own = await probeBackends(PROCESS_BACKENDS, target, PROBE_BUDGET_MS, onMeasuring);
  if (cache) writeProbeCache(cache.file, cache.key, own);
  return own;
}

/**
 * Starts the backend a run trains on. A forced backend must pass the preflight (else an error naming the missing
 * kernel). `auto` measures every backend of this process — or reuses the cached figures for this machine and model —
 * and asks `ask` which to start (by default the fastest of them; a host that has Chromium's figures too may answer
 * that none of these should train).
 */
export async function chooseBackend(
  choice: BackendChoice,
  target: ProbeTarget,
  cache?: { file: string; key: string },
  onMeasuring?: OnMeasuring,
  ask: AskBackend = async (probes) => chooseHere(probes),
): Promise<BackendChoiceResult> {
  if (choice !== 'auto') {
    const active = await activateBackend(choice);
    try {
      await target.measure(0);
    } catch (err) {
      const kernel = missingKernel(err);
      if (kernel) throw new AppError('training', `The ${choice} backend cannot train this model: it lacks the kernel ${kernel}; try --backend auto`);
      throw err;
    }
    return { kind: 'here', active, probes: [] };
  }
  const probes = await measureOwnBackends(target, cache, onMeasuring);
  const chosen = await ask(probes);
  if (!chosen) return { kind: 'elsewhere', probes };
  return { kind: 'here', active: await activateBackend(chosen), probes };
}
