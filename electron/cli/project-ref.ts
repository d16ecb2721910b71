// Resolves the <project|path> a command names: a project's name, id or folder, or any local git repository,
// which is then registered in place (never copied or changed) so that train, impact and runs work on it.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/app-error.js';
import type { ServiceGraph } from '../core/service-graph.js';
import type { Project } from '../../shared/contract.js';

/** `.`, `./x`, `../x`, `/abs`, `~/x`: written as a path, so never taken for a project name. */
function looksLikePath(ref: string): boolean {
  return ref === '.' || ref === '..' || /[\\/]/.test(ref) || ref.startsWith('~');
}

function isFolder(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

export async function resolveProjectRef(services: ServiceGraph, ref: string): Promise<Project> {
  const abs = path.resolve(ref.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~'));
  if (!looksLikePath(ref)) {
    try {
      return services.projects.find(ref);
    } catch (err) {
      if (!(err instanceof AppError && err.kind === 'not-found') || !isFolder(abs)) throw err;
    }
  }
  if (!isFolder(abs)) throw new AppError('not-found', `No project named "${ref}" and no folder at ${abs} (see: modelcommons projects)`);
  // No notice on stderr: a failure stays one line there; `modelcommons projects` shows the project as "in place".
  return services.projects.findOrRegisterFolder(abs);
}
