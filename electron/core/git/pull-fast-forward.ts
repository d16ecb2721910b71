// Updates the checked-out branch from its upstream, fast-forward only; local changes are kept unless the
// caller explicitly asks to discard them.
import type { CloneProgress } from './git-progress.js';
import { fetchRemote } from './fetch-status.js';
import { GitError, runGit, toGitError } from './project-git.js';
import { localChangesError, readWorkingTreeStatus } from './working-tree-status.js';

export interface PullOptions {
  /** Drops local changes to tracked files (and untracked files in the way) instead of refusing. */
  readonly discardLocalChanges?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: CloneProgress) => void;
}

export type PullResult =
  | { readonly kind: 'up-to-date'; readonly head: string; readonly ahead: number }
  | { readonly kind: 'fast-forwarded'; readonly from: string; readonly to: string; readonly commits: number };

export async function pullFastForward(dir: string, options: PullOptions = {}): Promise<PullResult> {
  const context = 'Updating failed';
  const { signal } = options;
  const before = await readWorkingTreeStatus(dir);
  if (before.detached) {
    throw new GitError('no-upstream', `${context}: a commit is checked out read-only (detached HEAD); switch to a branch to update`);
  }
  if (!before.upstream) throw new GitError('no-upstream', `${context}: branch ${before.branch ?? 'HEAD'} has no upstream branch to update from`);

  await fetchRemote(dir, options);
  const status = await readWorkingTreeStatus(dir);
  const from = status.head ?? '';
  if (status.behind === 0) return { kind: 'up-to-date', head: from, ahead: status.ahead };
  if (status.ahead > 0) {
    throw new GitError(
      'not-fast-forward',
      `${context}: ${status.branch} and ${status.upstream} have diverged (${status.ahead} local, ${status.behind} new upstream commits); only fast-forward updates are made`,
    );
  }
  try {
    if (options.discardLocalChanges) {
      // Already checked to be a fast-forward, so this moves the branch and drops only the local edits.
      await runGit(['reset', '--hard', '--quiet', '@{upstream}'], { cwd: dir, ...(signal ? { signal } : {}) });
    } else {
      await runGit(['merge', '--ff-only', '--quiet', '--no-stat', '@{upstream}'], { cwd: dir, ...(signal ? { signal } : {}) });
    }
  } catch (err) {
    throw localChangesError(err, context, status) ?? toGitError(err, context, signal);
  }
  const to = (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();
  return { kind: 'fast-forwarded', from, to, commits: status.behind };
}
