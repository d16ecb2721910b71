// Finds the root of the git working tree a folder belongs to, reading only (a repository registered in place).
import { AppError } from '../app-error.js';
import { runGit } from './project-git.js';

/**
 * The top folder of the working tree that holds `folder`, as git spells it (symlinks resolved). A folder outside any
 * repository, or a bare repository, is refused with one line naming it.
 */
export async function repositoryRoot(folder: string): Promise<string> {
  let out: string;
  try {
    // GIT_OPTIONAL_LOCKS=0: git writes nothing into the person's repository, not even a refreshed index.
    // searchParents: the working tree's root may be a folder above the one given.
    out = (await runGit(['rev-parse', '--is-inside-work-tree', '--show-toplevel'], { cwd: folder, searchParents: true, env: { GIT_OPTIONAL_LOCKS: '0' } })).stdout;
  } catch {
    throw new AppError('invalid-request', `${folder} is not inside a git repository (run git init there first, or clone a URL)`);
  }
  const [inside, top] = out.split('\n').map((l) => l.trim());
  if (inside !== 'true' || !top) throw new AppError('invalid-request', `${folder} is not inside a git working tree (a bare repository cannot be used in place)`);
  return top;
}
