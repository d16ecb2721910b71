// Picks the training backend by measurement. `auto` runs a short probe of the actual model — a preflight step that
// runs every kernel the training needs (forward, backward, predict), then a few timed steps — on each backend that
// loads, and takes the fastest; the figures are cached per machine and model shape. A backend missing a kernel is
// skipped with the kernel's name, so a run never fails midway with "Kernel X not registered".
import { AppError } from '../app-error.js';
import { activateBackend, autoOrder, startBackend, unavailableReason, type ActiveBackend, type ConcreteBackend } from './backends.js';
import { missingKernel, PROBE_BUDGET_MS, type ProbeTarget } from './probe-target.js';
import type { BackendChoice, ChromiumBackendName, ProbeFigure } from './trainer-protocol.js';

export { missingKernel, PROBE_BUDGET_MS, type ProbeTarget };
import { readProbeCache, writeProbeCache } from './probe-cache.js';
export { probeCacheKey, probeSignature, readProbeCache, writeProbeCache } from './probe-cache.js';

export interface BackendProbe {
  readonly backend: ConcreteBackend;
  readonly device: string | null;
  /** Training samples per second over the probe's timed steps; null when the backend could not train this model. */
  readonly samplesPerSecond: number | null;
  /** Why the backend cannot train this model here (not installed, no device, a missing kernel). */
  readonly reason: string | null;
}

export type BackendChoiceResult =
  | { readonly kind: 'here'; readonly active: ActiveBackend; readonly probes: readonly ProbeFigure[] }
  /** A Chromium backend (one of `rivals`) measured fastest: the run trains there. */
  | { readonly kind: 'handoff'; readonly backend: ChromiumBackendName; readonly probes: readonly ProbeFigure[] };

function reasonOf(backend: ConcreteBackend, err: unknown): string {
  const kernel = missingKernel(err);
  return kernel ? `the ${backend} backend lacks the kernel ${kernel}` : unavailableReason(backend, err);
}

/** Told before each backend is measured (index of the total), so a run can say what it is doing meanwhile. */
export type OnMeasuring = (backend: string, done: number, total: number) => void;

export async function probeBackends(
  candidates: readonly ConcreteBackend[],
  target: ProbeTarget,
  budgetMs = PROBE_BUDGET_MS,
  onMeasuring?: OnMeasuring,
): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  for (const backend of candidates) {
    onMeasuring?.(backend, probes.length, candidates.length);
    let device: string | null = null;
    try {
      device = (await startBackend(backend)).device;
      probes.push({ backend, device, samplesPerSecond: await target.measure(budgetMs), reason: null });
    } catch (err) {
      probes.push({ backend, device, samplesPerSecond: null, reason: reasonOf(backend, err) });
    }
  }
  return probes;
}

export function fastest<P extends ProbeFigure>(probes: readonly P[]): P | null {
  return probes.filter((p) => p.samplesPerSecond !== null).sort((a, b) => b.samplesPerSecond! - a.samplesPerSecond!)[0] ?? null;
}

/**
 * Starts the backend a run trains on. A forced backend must pass the preflight (else an error naming the missing
 * kernel). `auto` probes every backend that loads — or reuses the cached probe for this machine and model — and
 * starts the fastest, unless one of `rivals` (Chromium's backends, measured elsewhere) is faster still.
 */
export async function chooseBackend(
  choice: BackendChoice,
  target: ProbeTarget,
  cache?: { file: string; key: string },
  rivals: readonly ProbeFigure[] = [],
  onMeasuring?: OnMeasuring,
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
  const cached = cache ? readProbeCache(cache.file, cache.key) : null;
  const own = cached ?? (await probeBackends(autoOrder, target, PROBE_BUDGET_MS, onMeasuring));
  if (cache && !cached) writeProbeCache(cache.file, cache.key, own);
  const probes: ProbeFigure[] = [...own, ...rivals];
  const best = fastest(probes);
  if (!best) throw new AppError('training', noBackendMessage(probes));
  const rival = rivals.find((r) => r === best);
  if (rival) return { kind: 'handoff', backend: rival.backend as ChromiumBackendName, probes };
  return { kind: 'here', active: await activateBackend(best.backend as ConcreteBackend), probes };
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
