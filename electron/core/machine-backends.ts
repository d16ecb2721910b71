// What this machine offers training: which backends are installed, and what the last probes measured — the training
// process's (tfjs-node-gpu, tfjs-node, wasm, cpu) and Chromium's (webgpu, webgl).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import { CHROMIUM_BACKENDS, notInstalledReason, OPTIONAL_BACKEND_PACKAGES, PROCESS_BACKENDS, runsIn } from '../../shared/backends.js';
import type { ResponseOf } from '../../shared/contract.js';

type ProbeCacheFile = Record<string, { probes: { backend: string; samplesPerSecond: number | null; reason: string | null }[]; measuredAt: string }>;
type LastProbe = { samplesPerSecond: number | null; reason: string | null; measuredAt: string };

/** `chromiumUnavailable`: why no Chromium context can take a WebGPU/WebGL job here (null when one can). */
export function describeMachineBackends(probeCacheFile: string, chromiumUnavailable: string | null = null): ResponseOf<'machine:backends'> {
  const require = createRequire(import.meta.url);
  // The newest figure of each backend, across every model probed on this machine.
  const latest = new Map<string, LastProbe>();
  try {
    const cache = JSON.parse(fs.readFileSync(probeCacheFile, 'utf8')) as ProbeCacheFile;
    for (const entry of Object.values(cache)) {
      for (const p of entry.probes) {
        const seen = latest.get(p.backend);
        if (!seen || entry.measuredAt > seen.measuredAt) latest.set(p.backend, { samplesPerSecond: p.samplesPerSecond, reason: p.reason, measuredAt: entry.measuredAt });
      }
    }
  } catch {
    // nothing measured yet
  }
  const processRows = PROCESS_BACKENDS.map((backend) => {
    const pkg = OPTIONAL_BACKEND_PACKAGES[backend];
    let installed = true;
    if (pkg) {
      try {
        require.resolve(pkg);
      } catch {
        installed = false;
      }
    }
    return {
      backend,
      runsIn: runsIn(backend),
      installed,
      reason: pkg && !installed ? notInstalledReason(pkg) : null,
      lastProbe: latest.get(backend) ?? null,
    };
  });
  const chromiumRows = CHROMIUM_BACKENDS.map((backend) => ({
    backend,
    runsIn: runsIn(backend),
    installed: chromiumUnavailable === null,
    reason: chromiumUnavailable,
    lastProbe: latest.get(backend) ?? null,
  }));
  return { cpu: `${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}`, backends: [...chromiumRows, ...processRows] };
}
