// Clones a repository with git's progress and cancel; a failed or cancelled clone leaves no folder behind.
import fs from 'node:fs';
import path from 'node:path';
import type { Commit } from '../../../shared/contract.js';
import { progressReader, type CloneProgress } from './git-progress.js';
import { GitCommandError, GitError, redactCredentials, runGit, toGitError } from './project-git.js';
import { readCommits } from './read-history.js';

export type { CloneProgress } from './git-progress.js';

export interface CloneOptions {
  readonly source: string;
  readonly destination: string;
  /** A shallow clone of this many commits; `deepenRepository` fetches the rest later. */
  readonly depth?: number;
  /** The branch to check out instead of the remote's default. */
  readonly branch?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: CloneProgress) => void;
  /**
   * Also read the newest this-many commits (what readCommits gives). git then clones without a checkout, and
   * the working tree is checked out by a second git process while the log is read beside it.
   */
  readonly readCommits?: number;
}

export interface CloneResult {
  /** The commits asked for with `readCommits`, newest first ([] for an empty repository); null when not asked. */
  readonly commits: Commit[] | null;
}

/** `ext::sh -c ...`, `fd::17` and other transport helpers run programs; they are refused before git sees them. */
const TRANSPORT_HELPER = /^[a-z][a-z0-9+.-]*::/i;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True when git would treat `source` as a path on this machine rather than a URL or `host:path`. */
export function isLocalSource(source: string): boolean {
  if (URL_LIKE.test(source)) return false;
  if (/^[a-zA-Z]:[\\/]/.test(source)) return true; // C:\repo
  const colon = source.indexOf(':');
  const slash = source.search(/[\\/]/);
  return colon === -1 || (slash !== -1 && slash < colon);
}

export async function cloneRepository(options: CloneOptions): Promise<CloneResult> {
  const { source, destination, signal } = options;
  const context = `Clone of ${redactCredentials(source)} failed`;
  if (TRANSPORT_HELPER.test(source)) {
    throw new GitError('refused', `${context}: "${source.split('::')[0]}::" URLs run a program, which ModelCommons refuses`);
  }
  if (folderHasEntries(destination)) throw new GitError('destination-exists', `${context}: the destination folder already exists`);

  const local = isLocalSource(source);
  const withLog = options.readCommits !== undefined;
  const args = ['clone', '--no-recurse-submodules', '--progress'];
  // A path source is cloned like a remote one: objects checked (transfer.fsckObjects), nothing hard-linked into
  // an untrusted folder, and --depth honoured (git ignores it for local clones).
  if (local) args.push('--no-local');
  if (options.depth) args.push('--depth', String(options.depth));
  if (options.branch) args.push('--branch', options.branch);
  if (withLog) args.push('--no-checkout');
  args.push('--', source, destination);

  const onStderrLine = progressReader(options.onProgress);
  try {
    await runGit(args, { ...(signal ? { signal } : {}), onStderrLine });
    if (!withLog) return { commits: null };
    return { commits: await checkOutAndReadCommits(destination, options.readCommits!, onStderrLine, signal) };
  } catch (err) {
    fs.rmSync(destination, { recursive: true, force: true });
    const mapped = toGitError(err, context, signal);
    if (mapped.gitKind === 'not-found' && local && isFolder(source) && !looksLikeRepository(source)) {
      throw new GitError('not-a-repository', `${context}: ${source} is a folder but not a git repository`);
    }
    throw mapped;
  }
}

/**
 * The checkout `git clone` would have done, and the log read, side by side. Like git clone, a repository
 * whose HEAD names no commit (empty, or a remote HEAD pointing at a missing branch) is cloned with no files.
 * git maps authors through the working tree's `.mailmap`, which the checkout may not have written yet when
 * the log starts: where the checkout did write one, the log is read again after it.
 */
async function checkOutAndReadCommits(dir: string, limit: number, onStderrLine: (line: string) => void, signal: AbortSignal | undefined): Promise<Commit[]> {
  const failed = (err: unknown) => ({ err });
  const [checkout, log] = await Promise.all([
    runGit(['checkout', '--force', '--progress', '--no-recurse-submodules'], { cwd: dir, ...(signal ? { signal } : {}), onStderrLine }).then(() => null, failed),
    readCommits(dir, limit, signal).then((commits) => ({ commits }), failed),
  ]);
  if ('err' in log) {
    if (!signal?.aborted && !(await headIsCommit(dir))) return [];
    throw log.err;
  }
  if (checkout) throw checkout.err;
  if (lexists(path.join(dir, '.mailmap'))) return readCommits(dir, limit, signal);
  return log.commits;
}

function lexists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether HEAD names a commit (`rev-parse --verify -q` exits 1, saying nothing, when it does not). */
async function headIsCommit(dir: string): Promise<boolean> {
  try {
    await runGit(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { cwd: dir });
    return true;
  } catch (err) {
    if (err instanceof GitCommandError && err.exitCode === 1) return false;
    throw err;
  }
}

function folderHasEntries(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch (err) {
    // ENOENT: free. ENOTDIR: a file is there, which is as occupied as a full folder.
    return (err as NodeJS.ErrnoException).code === 'ENOTDIR';
  }
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function looksLikeRepository(dir: string): boolean {
  const has = (...parts: string[]) => fs.existsSync(path.join(dir, ...parts));
  return has('.git') || (has('HEAD') && has('objects') && has('refs'));
}
