// Clones a repository with git's progress and cancel; a failed or cancelled clone leaves no folder behind.
import fs from 'node:fs';
import path from 'node:path';
import { progressReader, type CloneProgress } from './git-progress.js';
import { GitError, redactCredentials, runGit, toGitError } from './project-git.js';

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

export async function cloneRepository(options: CloneOptions): Promise<void> {
  const { source, destination, signal } = options;
  const context = `Clone of ${redactCredentials(source)} failed`;
  if (TRANSPORT_HELPER.test(source)) {
    throw new GitError('refused', `${context}: "${source.split('::')[0]}::" URLs run a program, which ModelCommons refuses`);
  }
  if (folderHasEntries(destination)) throw new GitError('destination-exists', `${context}: the destination folder already exists`);

  const local = isLocalSource(source);
  const args = ['clone', '--no-recurse-submodules', '--progress'];
  // A path source is cloned like a remote one: objects checked (transfer.fsckObjects), nothing hard-linked into
  // an untrusted folder, and --depth honoured (git ignores it for local clones).
  if (local) args.push('--no-local');
  if (options.depth) args.push('--depth', String(options.depth));
  if (options.branch) args.push('--branch', options.branch);
  args.push('--', source, destination);

  try {
    await runGit(args, { ...(signal ? { signal } : {}), onStderrLine: progressReader(options.onProgress) });
  } catch (err) {
    fs.rmSync(destination, { recursive: true, force: true });
    const mapped = toGitError(err, context, signal);
    if (mapped.gitKind === 'not-found' && local && isFolder(source) && !looksLikeRepository(source)) {
      throw new GitError('not-a-repository', `${context}: ${source} is a folder but not a git repository`);
    }
    throw mapped;
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
