// Makes sure the repository has a commit-graph with changed-path Bloom filters, which lets each
// `git blame` skip the commits that did not touch its file (several times faster on long histories).
// It is git's own cache file (`git gc` writes one too); reused filters make a rewrite cheap.
import { readGit } from '../git/project-git.js';

/**
 * Runs `git commit-graph write --reachable --changed-paths`. Returns false (and changes nothing) when git
 * cannot write it, e.g. a read-only clone; cancellation is rethrown.
 */
export async function writeCommitGraph(dir: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await readGit(dir, ['commit-graph', 'write', '--reachable', '--changed-paths', '--no-progress'], { signal, context: 'Writing the commit-graph' });
    return true;
  } catch (err) {
    if (signal?.aborted) throw err;
    return false;
  }
}
