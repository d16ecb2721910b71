// Checks out any commit or tag read-only: a detached HEAD, leaving every branch where it was.
import { GitError, runGit, toGitError } from './project-git.js';
import { assertNotOption, localChangesError, readWorkingTreeStatus } from './working-tree-status.js';

export interface CheckoutOptions {
  /** Drops local changes to tracked files instead of refusing when they would be overwritten. */
  readonly discardLocalChanges?: boolean;
  readonly signal?: AbortSignal;
}

export interface CheckedOutRevision {
  readonly sha: string;
  readonly detached: true;
}

/** `revision` is a sha (full or short), a tag, a branch or any git revision expression naming a commit. */
export async function checkoutRevision(dir: string, revision: string, options: CheckoutOptions = {}): Promise<CheckedOutRevision> {
  const context = `Checking out ${revision} failed`;
  assertNotOption(revision, 'revision');
  const { signal } = options;
  let sha: string;
  try {
    sha = (await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], { cwd: dir })).stdout.trim();
  } catch (err) {
    const mapped = toGitError(err, context, signal);
    throw mapped.gitKind === 'failed' ? new GitError('unknown-revision', `${context}: no branch, tag or commit is called ${revision}`) : mapped;
  }
  try {
    await runGit(['switch', '--detach', ...(options.discardLocalChanges ? ['--discard-changes'] : []), sha], { cwd: dir, ...(signal ? { signal } : {}) });
  } catch (err) {
    throw localChangesError(err, context, await readWorkingTreeStatus(dir).catch(() => null)) ?? toGitError(err, context, signal);
  }
  return { sha, detached: true };
}
