// Reads a clone's state: branch or detached HEAD, upstream with ahead/behind counts, and its local changes.
import { GitCommandError, GitError, runGit, toGitError } from './project-git.js';

export type FileState = 'modified' | 'added' | 'deleted' | 'renamed' | 'type-changed' | 'conflicted' | 'untracked';

export interface ChangedFile {
  readonly path: string;
  readonly state: FileState;
}

export interface WorkingTreeStatus {
  /** The commit checked out; null in a repository without commits. */
  readonly head: string | null;
  /** The branch checked out; null when HEAD is detached (a commit or tag checked out read-only). */
  readonly branch: string | null;
  readonly detached: boolean;
  /** e.g. `origin/main`; null when the branch tracks nothing. */
  readonly upstream: string | null;
  /** Commits on the branch that its upstream lacks, and the reverse (as of the last fetch). */
  readonly ahead: number;
  readonly behind: number;
  /** Tracked files with staged or unstaged changes (conflicts included). */
  readonly modified: number;
  /** Untracked files; a new folder counts once, as `git status` shows it. Ignored files never count. */
  readonly untracked: number;
  readonly conflicted: number;
  readonly clean: boolean;
  readonly files: readonly ChangedFile[];
}

const STATE: Record<string, FileState> = { M: 'modified', A: 'added', D: 'deleted', R: 'renamed', C: 'added', T: 'type-changed' };

/** Parses `git status --porcelain=v2 --branch -z`. */
export function parseStatus(out: string): WorkingTreeStatus {
  let head: string | null = null;
  let branch: string | null = null;
  let upstream: string | null = null;
  let ahead = 0;
  let behind = 0;
  const files: ChangedFile[] = [];
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.startsWith('# branch.oid ')) head = f.slice(13) === '(initial)' ? null : f.slice(13);
    else if (f.startsWith('# branch.head ')) branch = f.slice(14) === '(detached)' ? null : f.slice(14);
    else if (f.startsWith('# branch.upstream ')) upstream = f.slice(18);
    else if (f.startsWith('# branch.ab ')) {
      const m = /^\+(\d+) -(\d+)$/.exec(f.slice(12));
      ahead = Number(m?.[1] ?? 0);
      behind = Number(m?.[2] ?? 0);
    } else if (f.startsWith('1 ') || f.startsWith('2 ')) {
      const parts = f.split(' ');
      const xy = parts[1] ?? '..';
      const pathStart = f.startsWith('1 ') ? 8 : 9;
      const code = xy[0] !== '.' ? xy[0]! : xy[1]!;
      files.push({ path: parts.slice(pathStart).join(' '), state: STATE[code] ?? 'modified' });
      if (f.startsWith('2 ')) i++; // a rename's original path follows as its own field
    } else if (f.startsWith('u ')) {
      files.push({ path: f.split(' ').slice(10).join(' '), state: 'conflicted' });
    } else if (f.startsWith('? ')) {
      files.push({ path: f.slice(2), state: 'untracked' });
    }
  }
  const untracked = files.filter((f) => f.state === 'untracked').length;
  const conflicted = files.filter((f) => f.state === 'conflicted').length;
  const modified = files.length - untracked;
  return { head, branch, detached: branch === null && head !== null, upstream, ahead, behind, modified, untracked, conflicted, clean: files.length === 0, files };
}

export async function readWorkingTreeStatus(dir: string): Promise<WorkingTreeStatus> {
  try {
    // GIT_OPTIONAL_LOCKS=0: reading the status must not take the index lock another operation may need.
    const { stdout } = await runGit(['status', '--porcelain=v2', '--branch', '-z', '--ignore-submodules=dirty'], {
      cwd: dir,
      env: { GIT_OPTIONAL_LOCKS: '0' },
    });
    return parseStatus(stdout);
  } catch (err) {
    throw toGitError(err, 'Reading the working tree failed');
  }
}

/**
 * The refusal when git would overwrite local changes: names how many files, and the first few of them,
 * from git's own list (or from the status when git gave none).
 */
export function localChangesError(err: unknown, context: string, status: WorkingTreeStatus | null): GitError | null {
  const mapped = toGitError(err, context);
  if (mapped.gitKind !== 'local-changes') return null;
  const stderr = err instanceof GitCommandError ? err.stderr : '';
  const listed = stderr
    .split('\n')
    .filter((l) => /^\t/.test(l))
    .map((l) => l.trim());
  const names = listed.length ? listed : (status?.files.filter((f) => f.state !== 'untracked').map((f) => f.path) ?? []);
  const count = names.length;
  const shown = names.slice(0, 3).join(', ') + (count > 3 ? ', …' : '');
  const what = count === 1 ? '1 file has local changes' : `${count} files have local changes`;
  return new GitError(
    'local-changes',
    `${context}: ${what} that would be overwritten${count ? ` (${shown})` : ''}; commit or move them, or pass discardLocalChanges: true to drop them`,
  );
}

/** Rejects names git would read as options, before they reach a command line. */
export function assertNotOption(value: string, what: string): void {
  if (!value || value.startsWith('-') || /[\0\n]/.test(value)) {
    throw new GitError('unknown-revision', `"${value}" is not a valid ${what}`);
  }
}
