// What this machine offers the training process: which backends are installed, and what the last probes measured.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import type { ResponseOf } from '../../shared/contract.js';
import { autoOrder } from './training/backends.js';

const OPTIONAL: Record<string, string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

type ProbeCacheFile = Record<string, { probes: { backend: string; samplesPerSecond: number | null; reason: string | null }[]; measuredAt: string }>;

export function describeMachineBackends(probeCacheFile: string): ResponseOf<'machine:backends'> {
  const require = createRequire(import.meta.url);
  let latest: ProbeCacheFile[string] | null = null;
  try {
    const cache = JSON.parse(fs.readFileSync(probeCacheFile, 'utf8')) as ProbeCacheFile;
    for (const entry of Object.values(cache)) if (!latest || entry.measuredAt > latest.measuredAt) latest = entry;
  } catch {
    // nothing measured yet
  }
  return {
    cpu: `${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}`,
    backends: autoOrder.map((backend) => {
      const pkg = OPTIONAL[backend];
      let installed = true;
      if (pkg) {
        try {
          require.resolve(pkg);
        } catch {
          installed = false;
        }
      }
      const probe = latest?.probes.find((p) => p.backend === backend);
      return {
        backend,
        installed,
        reason: installed ? null : `${pkg} is not installed (npm install ${pkg})`,
        lastProbe: probe && latest ? { samplesPerSecond: probe.samplesPerSecond, reason: probe.reason, measuredAt: latest.measuredAt } : null,
      };
    }),
  };
}
