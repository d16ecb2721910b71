// Lists a clone's branches and switches to one, creating a local branch that tracks the remote one if needed.
import { GitError, runGit, toGitError } from './project-git.js';
import { assertNotOption, localChangesError, readWorkingTreeStatus } from './working-tree-status.js';

export interface Branches {
  /** The branch checked out; null when HEAD is detached. */
  readonly current: string | null;
  readonly local: readonly string[];
  /** Remote branches without the remote name (`origin/dev` is `dev`), `HEAD` left out. */
  readonly remote: readonly string[];
}

export interface SwitchOptions {
  /** Drops local changes to tracked files instead of refusing when they would be overwritten. */
  readonly discardLocalChanges?: boolean;
  readonly signal?: AbortSignal;
}

export async function listBranches(dir: string): Promise<Branches> {
  try {
    const { stdout } = await runGit(['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes/origin'], { cwd: dir });
    const refs = stdout.split('\n').filter(Boolean);
    const local = refs.filter((r) => r.startsWith('refs/heads/')).map((r) => r.slice(11));
    const remote = refs.filter((r) => r.startsWith('refs/remotes/origin/') && r !== 'refs/remotes/origin/HEAD').map((r) => r.slice(20));
    const status = await readWorkingTreeStatus(dir);
    return { current: status.branch, local, remote };
  } catch (err) {
    throw toGitError(err, 'Listing the branches failed');
  }
}

/** Switches to `branch`; returns the commit now checked out. */
export async function switchBranch(dir: string, branch: string, options: SwitchOptions = {}): Promise<{ branch: string; head: string }> {
  const context = `Switching to ${branch} failed`;
  assertNotOption(branch, 'branch name');
  const { signal } = options;
  const branches = await listBranches(dir);
  const args = ['switch', '--no-guess', ...(options.discardLocalChanges ? ['--discard-changes'] : [])];
  if (branches.local.includes(branch)) args.push(branch);
  else if (branches.remote.includes(branch)) args.push('--create', branch, '--track', `origin/${branch}`);
  else throw new GitError('unknown-revision', `${context}: there is no branch ${branch} here or on origin`);
  try {
    await runGit(args, { cwd: dir, ...(signal ? { signal } : {}) });
  } catch (err) {
    throw localChangesError(err, context, await readWorkingTreeStatus(dir).catch(() => null)) ?? toGitError(err, context, signal);
  }
  return { branch, head: (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim() };
}
