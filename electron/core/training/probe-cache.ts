// The cache of backend probes (backend-probes.json in the data folder): per machine and model shape. Kept apart from
// the probing itself so a host can read and key the cache without loading tfjs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../../../shared/manifest.js';
import type { ProbeFigure } from './portable/trainer-protocol.js';

/** tfjs's version is part of the key (a new tfjs may be faster or slower); read from its package, not by loading it. */
const TFJS_VERSION: string = (createRequire(import.meta.url)('@tensorflow/tfjs-core/package.json') as { version: string }).version;

/** What a probe's speed depends on besides the machine: the model, its input and output sizes, the batch. */
export function probeSignature(manifest: Manifest, inputs: number, classes: number | null): unknown {
  return { model: manifest.model, inputs, classes, batch: manifest.training.batchSize };
}

/** Identifies this machine and this model's shape; a cached probe is reused only for the same key. */
export function probeCacheKey(modelSignature: unknown): string {
  const cpu = os.cpus()[0]?.model ?? 'cpu';
  const machine = { cpu, cores: os.cpus().length, platform: process.platform, arch: process.arch, tfjs: TFJS_VERSION };
  return crypto.createHash('sha256').update(JSON.stringify({ machine, modelSignature })).digest('hex').slice(0, 32);
}

type ProbeCache = Record<string, { probes: ProbeFigure[]; measuredAt: string }>;

export function readProbeCache(file: string, key: string): ProbeFigure[] | null {
  try {
    const cache = JSON.parse(fs.readFileSync(file, 'utf8')) as ProbeCache;
    return cache[key]?.probes ?? null;
  } catch {
    return null;
  }
}

export function writeProbeCache(file: string, key: string, probes: readonly ProbeFigure[]): void {
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

