// Turns a shallow clone into a full one (`git fetch --unshallow`, all branches), with progress and cancel.
import { progressReader, type CloneProgress } from './git-progress.js';
import { runGit, toGitError } from './project-git.js';

export interface DeepenOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: CloneProgress) => void;
}

export type DeepenResult =
  | { readonly kind: 'already-complete'; readonly commits: number }
  | { readonly kind: 'deepened'; readonly commits: number };

export async function isShallowRepository(dir: string): Promise<boolean> {
  try {
    return (await runGit(['rev-parse', '--is-shallow-repository'], { cwd: dir })).stdout.trim() === 'true';
  } catch (err) {
    throw toGitError(err, 'Reading the repository failed');
  }
}

/** Fetches the history a `depth` clone left out; returns how many commits HEAD now has. */
export async function deepenRepository(dir: string, options: DeepenOptions = {}): Promise<DeepenResult> {
  const context = 'Fetching the full history failed';
  const { signal } = options;
  const shallow = await isShallowRepository(dir);
  try {
    if (shallow) {
      // A depth clone also fetched only one branch; the full repository has them all.
      await runGit(['remote', 'set-branches', 'origin', '*'], { cwd: dir });
      await runGit(['fetch', '--unshallow', '--progress', '--no-recurse-submodules'], {
        cwd: dir,
        ...(signal ? { signal } : {}),
        onStderrLine: progressReader(options.onProgress),
      });
    }
    const commits = Number((await runGit(['rev-list', '--count', 'HEAD'], { cwd: dir })).stdout.trim());
    return { kind: shallow ? 'deepened' : 'already-complete', commits };
  } catch (err) {
    throw toGitError(err, context, signal);
  }
}
