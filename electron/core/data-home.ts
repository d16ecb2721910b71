// One data-directory rule for every host: $MODELCOMMONS_HOME if set, else the OS's per-user app data folder.
import envPaths from 'env-paths';
import fs from 'node:fs';
import path from 'node:path';

export function resolveDataHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.MODELCOMMONS_HOME?.trim();
  if (override) return path.resolve(override);
  return envPaths('ModelCommons', { suffix: '' }).data;
}

export function ensureDataHome(home: string): string {
  fs.mkdirSync(path.join(home, 'projects'), { recursive: true });
  return home;
}
