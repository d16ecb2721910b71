// Fetches a clone's remote and reports how far the branch is ahead of and behind its upstream.
import { progressReader, type CloneProgress } from './git-progress.js';
import { runGit, toGitError } from './project-git.js';
import { readWorkingTreeStatus, type WorkingTreeStatus } from './working-tree-status.js';

export interface FetchOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: CloneProgress) => void;
}

/** `git fetch` of the branch's remote (`origin` when detached), then the status with fresh ahead/behind counts. */
export async function fetchStatus(dir: string, options: FetchOptions = {}): Promise<WorkingTreeStatus> {
  const { signal } = options;
  await fetchRemote(dir, options);
  if (signal?.aborted) throw toGitError(new Error('aborted'), 'Fetching updates failed', signal);
  return readWorkingTreeStatus(dir);
}

/** Fetches without touching the working tree: branches (deleted ones pruned) and the tags that point into them. */
export async function fetchRemote(dir: string, options: FetchOptions = {}): Promise<void> {
  const { signal } = options;
  try {
    await runGit(['fetch', '--progress', '--prune', '--no-recurse-submodules'], {
      cwd: dir,
      ...(signal ? { signal } : {}),
      onStderrLine: progressReader(options.onProgress),
    });
  } catch (err) {
    throw toGitError(err, 'Fetching updates failed', signal);
  }
}
