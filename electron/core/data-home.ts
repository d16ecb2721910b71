// One data-directory rule for every host: $MODELCOMMONS_HOME if set, else the OS's per-user app data folder.
import envPaths from 'env-paths';
import fs from 'node:fs';
import path from 'node:path';
import type { DataCacheSettings } from './training/portable/trainer-protocol.js';

export function resolveDataHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.MODELCOMMONS_HOME?.trim();
  if (override) return path.resolve(override);
  return envPaths('ModelCommons', { suffix: '' }).data;
}

/**
 * The training data cache in `home` (data/data-cache.ts), bounded by MODELCOMMONS_DATA_CACHE_BYTES when set
 * (0 turns it off), else by its 2 GiB default.
 */
export function dataCacheSettings(home: string, env: NodeJS.ProcessEnv = process.env): DataCacheSettings {
  const dir = path.join(home, 'data-cache');
  const bound = env.MODELCOMMONS_DATA_CACHE_BYTES?.trim();
  if (!bound) return { dir };
  const maxBytes = Number(bound);
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new Error(`MODELCOMMONS_DATA_CACHE_BYTES must be a whole number of bytes (0 turns the cache off), got "${bound}"`);
  }
  return { dir, maxBytes };
}

export function ensureDataHome(home: string): string {
  fs.mkdirSync(path.join(home, 'projects'), { recursive: true });
  return home;
}
