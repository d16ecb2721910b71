// Picks the training backend by measurement. `auto` runs a short probe of the actual model — a preflight step that
// runs every kernel the training needs (forward, backward, predict), then a few timed steps — on each backend that
// loads, and takes the fastest; the figures are cached per machine and model shape. A backend missing a kernel is
// skipped with the kernel's name, so a run never fails midway with "Kernel X not registered".
import * as tf from '@tensorflow/tfjs-core';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../app-error.js';
import { activateBackend, autoOrder, startBackend, unavailableReason, type ActiveBackend, type ConcreteBackend } from './backends.js';
import type { BackendChoice } from './trainer-protocol.js';

export interface BackendProbe {
  readonly backend: ConcreteBackend;
  readonly device: string | null;
  /** Training samples per second over the probe's timed steps; null when the backend could not train this model. */
  readonly samplesPerSecond: number | null;
  /** Why the backend cannot train this model here (not installed, no device, a missing kernel). */
  readonly reason: string | null;
}

export interface ProbeTarget {
  /** Builds the model on the active backend, runs the preflight step and times steps for about `budgetMs`. */
  measure(budgetMs: number): Promise<number>;
}

export interface BackendChoiceResult {
  readonly active: ActiveBackend;
  readonly probes: readonly BackendProbe[];
}

/** How long each backend is timed (after its preflight step). */
export const PROBE_BUDGET_MS = 1200;

/** The kernel named by tfjs's "Kernel 'X' not registered for backend 'Y'", when that is what went wrong. */
export function missingKernel(err: unknown): string | null {
  const m = /Kernel '([^']+)' not registered/.exec(err instanceof Error ? err.message : String(err));
  return m ? m[1]! : null;
}

function reasonOf(backend: ConcreteBackend, err: unknown): string {
  const kernel = missingKernel(err);
  return kernel ? `the ${backend} backend lacks the kernel ${kernel}` : unavailableReason(backend, err);
}

export async function probeBackends(candidates: readonly ConcreteBackend[], target: ProbeTarget, budgetMs = PROBE_BUDGET_MS): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  for (const backend of candidates) {
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

export function fastest(probes: readonly BackendProbe[]): BackendProbe | null {
  return probes.filter((p) => p.samplesPerSecond !== null).sort((a, b) => b.samplesPerSecond! - a.samplesPerSecond!)[0] ?? null;
}

/** Identifies this machine and this model's shape; a cached probe is reused only for the same key. */
export function probeCacheKey(modelSignature: unknown): string {
  const cpu = os.cpus()[0]?.model ?? 'cpu';
  const machine = { cpu, cores: os.cpus().length, platform: process.platform, arch: process.arch, tfjs: tf.version_core };
  return crypto.createHash('sha256').update(JSON.stringify({ machine, modelSignature })).digest('hex').slice(0, 32);
}

type ProbeCache = Record<string, { probes: BackendProbe[]; measuredAt: string }>;

export function readProbeCache(file: string, key: string): BackendProbe[] | null {
  try {
    const cache = JSON.parse(fs.readFileSync(file, 'utf8')) as ProbeCache;
    return cache[key]?.probes ?? null;
  } catch {
    return null;
  }
}

export function writeProbeCache(file: string, key: string, probes: readonly BackendProbe[]): void {
  let cache: ProbeCache = {};
  try {
    cache = JSON.parse(fs.readFileSync(file, 'utf8')) as ProbeCache;
  } catch {
    // a missing or unreadable cache starts afresh
  }
  cache[key] = { probes: [...probes], measuredAt: new Date().toISOString() };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(cache, null, 2));
  fs.renameSync(tmp, file);
}

/**
 * Starts the backend a run trains on. A forced backend must pass the preflight (else an error naming the missing
 * kernel). `auto` probes every backend that loads — or reuses the cached probe for this machine and model — and
 * starts the fastest.
 */
export async function chooseBackend(
  choice: BackendChoice,
  target: ProbeTarget,
  cache?: { file: string; key: string },
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
    return { active, probes: [] };
  }
  const cached = cache ? readProbeCache(cache.file, cache.key) : null;
  const probes = cached ?? (await probeBackends(autoOrder, target));
  if (cache && !cached) writeProbeCache(cache.file, cache.key, probes);
  const best = fastest(probes);
  if (!best) throw new AppError('training', `No backend can train this model here: ${probes.map((p) => `${p.backend}: ${p.reason}`).join('; ')}`);
  return { active: await activateBackend(best.backend), probes };
}
