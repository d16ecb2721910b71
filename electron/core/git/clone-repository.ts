// Clones a repository with progress and cancel; a failed or cancelled clone leaves no folder behind.
import fs from 'node:fs/promises';
import { projectGit, toGitError } from './project-git.js';

export interface CloneProgress {
  stage: string;
  percent: number;
  processed: number | null;
  total: number | null;
}

export interface CloneOptions {
  readonly source: string;
  readonly destination: string;
  readonly depth?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: CloneProgress) => void;
}

export async function cloneRepository(options: CloneOptions): Promise<void> {
  const args = ['--no-recurse-submodules', '--progress'];
  if (options.depth) args.push('--depth', String(options.depth));
  const git = projectGit(undefined, {
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (e) =>
      options.onProgress?.({ stage: e.stage, percent: e.progress, processed: e.processed ?? null, total: e.total ?? null }),
  });
  try {
    await git.clone(options.source, options.destination, args);
  } catch (err) {
    const destinationExisted = /already exists/.test(String(err));
    if (!destinationExisted) await fs.rm(options.destination, { recursive: true, force: true });
    throw toGitError(err, `Clone of ${options.source} failed`, options.signal);
  }
}
