// The one way the core runs git on a project, buffered (runGit) or streaming (streamGit, readGit, readGitBytes):
// settings that keep an untrusted repo inert (no hooks, no ext:: transport, objects checked on fetch, no
// fsmonitor, no prompts), a curated environment, no looking for a repository above the folder, cancellation that
// ends git and its helpers, and a typed GitError.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { AppError, oneLine } from '../app-error.js';

const NO_HOOKS_DIR = process.platform === 'win32' ? 'NUL' : '/dev/null';

/** `-c` settings applied to every git call on a project (over the repository's own config). */
const INERT_GIT_CONFIG: readonly string[] = [
  `core.hooksPath=${NO_HOOKS_DIR}`,
  'core.fsmonitor=false',
  'protocol.ext.allow=never',
  'transfer.fsckObjects=true',
  'submodule.recurse=false',
  'safe.directory=*',
  // Output as the parsers read it, whatever the user's config says.
  'log.showSignature=false',
  'color.ui=false',
  'core.quotePath=false',
];

/**
 * What git sees of our environment: enough to find the user's own config (GIT_CONFIG_GLOBAL included), credential
 * helper, ssh agent and proxy, and nothing that could swap in an editor, pager or program, or point git at another
 * repository (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY, GIT_EXTERNAL_DIFF, GIT_CONFIG_PARAMETERS…).
 */
const PASSED_ENV = [
  'PATH', 'HOME', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'SYSTEMROOT', 'COMSPEC',
  'TMPDIR', 'TMP', 'TEMP', 'XDG_CONFIG_HOME', 'SSH_AUTH_SOCK', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'LANG',
];

/**
 * The environment of a git call in `cwd`. GIT_CEILING_DIRECTORIES (the folder's parent) keeps git from ever
 * picking up a repository above the folder, unless `searchParents` asks for exactly that.
 */
function gitEnvironment(cwd?: string, searchParents = false): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  if (cwd !== undefined && !searchParents) env.GIT_CEILING_DIRECTORIES = dirname(resolve(cwd));
  // LFS content is fetched by fetchLfsObjects with its own progress and errors, never by a smudge filter
  // hidden inside a clone or checkout (where a missing git-lfs or an LFS outage would fail the whole clone).
  // GIT_FLUSH=0: git writes its output in full buffers instead of flushing a pipe after every commit (12,000
  // writes, and as many reads here, for a 12,000-commit log); every call reads to the end anyway.
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_LFS_SKIP_SMUDGE: '1', GIT_PAGER: 'cat', GIT_FLUSH: '0' };
}

export interface RunGitOptions {
  /** The folder git runs in; the process's own when left out (a clone). */
  readonly cwd?: string;
  /** Let git find the repository in a folder above `cwd` (only for finding a working tree's root). */
  readonly searchParents?: boolean;
  readonly signal?: AbortSignal;
  /** Added to (or overriding) the curated environment (e.g. a temporary GIT_OBJECT_DIRECTORY with the clone's objects as an alternate). */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to git's stdin, which is then closed. */
  readonly stdin?: string;
  /** Exit codes besides 0 that are answers, not failures (`git merge-tree` exits 1 on a conflict). */
  readonly okExitCodes?: readonly number[];
  /** Each line git writes to stderr, split at `\r` and `\n` as progress meters are, as it arrives. */
  readonly onStderrLine?: (line: string) => void;
}

export interface RunGitResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** A git process that failed or was cancelled; `toGitError` turns it into a GitError. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly aborted: boolean,
    /** The tail of git's stderr, progress meters included. */
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

const POSIX = process.platform !== 'win32';
const PROGRESS_LINE = /\d+% \(\d+\/\d+\)|^(remote: )?(Enumerating|Counting|Compressing|Total|Cloning into|Receiving|Resolving|Updating files)\b/;

/**
 * The one spawn of git: the inert settings and environment, stdout handed to `onStdout` as it arrives, stderr
 * streamed by line, and killable: on POSIX git runs in its own process group, so a cancel ends git *and* the
 * helpers it started (git-remote-http, fetch-pack, index-pack), which a plain kill of git would leave running.
 * When `onStdout` throws, git is stopped and the promise rejects with that error. Resolves to git's stderr.
 */
function spawnGit(args: readonly string[], options: RunGitOptions, onStdout: (chunk: Buffer) => void): Promise<string> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new GitCommandError('Abort already signaled', null, true));
  return new Promise<string>((resolve, reject) => {
    const configArgs = INERT_GIT_CONFIG.flatMap((c) => ['-c', c]);
    const child = spawn('git', [...configArgs, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...gitEnvironment(options.cwd, options.searchParents), ...options.env },
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: POSIX,
      windowsHide: true,
    });
    const pid = child.pid;
    let aborted = false;
    let consumerError: { error: unknown } | null = null;
    const killTree = (sig: NodeJS.Signals) => {
      try {
        if (POSIX && pid !== undefined) process.kill(-pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const onAbort = () => {
      aborted = true;
      killTree('SIGTERM');
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout!.on('data', (b: Buffer) => {
      if (consumerError || aborted) return;
      try {
        onStdout(b);
      } catch (error) {
        consumerError = { error };
        killTree('SIGTERM');
      }
    });
    let stderr = '';
    let partial = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr = (stderr + text).slice(-32_768);
      if (!options.onStderrLine) return;
      const parts = (partial + text).split(/[\r\n]/);
      partial = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) options.onStderrLine(line);
    });
    child.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new GitCommandError(err.message, null, aborted));
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (partial.trim()) options.onStderrLine?.(partial);
      const finish = () => {
        if (consumerError && !aborted) reject(consumerError.error);
        else if ((code === 0 || (code !== null && options.okExitCodes?.includes(code))) && !aborted) resolve(stderr);
        else reject(new GitCommandError(aborted ? 'Abort signal received' : errorLines(stderr) || `git exited with ${code ?? sig}`, code, aborted, stderr));
      };
      if (!aborted || !POSIX || pid === undefined) return finish();
      // git has gone; make sure no helper of its outlives the cancel before the caller removes the folder.
      killTree('SIGKILL');
      void waitForGroupToEnd(pid).then(finish);
    });
    if (options.stdin !== undefined) {
      child.stdin!.on('error', () => undefined); // git may exit before reading everything; the close code tells.
      child.stdin!.end(options.stdin);
    }
  });
}

/** Runs one git process and returns its whole output; failures are a GitCommandError (see toGitError). */
export async function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<RunGitResult> {
  const stdout: Buffer[] = [];
  const stderr = await spawnGit(args, options, (b) => stdout.push(b));
  return { stdout: Buffer.concat(stdout).toString('utf8'), stderr };
}

/** Options of the reading helpers: what the error message says was being done. */
export interface ReadGitOptions extends Omit<RunGitOptions, 'cwd'> {
  readonly context?: string;
}

export function cancelledError(context = 'Reading the history'): GitError {
  return new GitError('cancelled', `${context}: cancelled`);
}

/**
 * Runs `git <args>` in the repository `dir` (never one above it), handing decoded stdout to `onText` as it
 * arrives (raw bytes to `onBytes` instead, when given). git writes nothing it may skip (GIT_OPTIONAL_LOCKS=0).
 * Failures are a GitError saying `context`; an error thrown by the consumer stops git and is passed on as is.
 */
export async function streamGit(
  dir: string,
  args: readonly string[],
  onText: (text: string) => void,
  options: ReadGitOptions & { readonly onBytes?: (chunk: Buffer) => void } = {},
): Promise<void> {
  const context = options.context ?? 'Reading the history';
  const { onBytes } = options;
  const decoder = onBytes ? null : new StringDecoder('utf8');
  try {
    await spawnGit(args, { ...options, cwd: dir, env: { GIT_OPTIONAL_LOCKS: '0', ...options.env } }, onBytes ?? ((b) => onText(decoder!.write(b))));
  } catch (err) {
    if (err instanceof GitCommandError) throw toGitError(err, context, options.signal);
    throw err;
  }
  const rest = decoder?.end();
  if (rest) onText(rest);
}

/** Runs `git <args>` in the repository `dir` and returns its whole stdout (see streamGit). */
export async function readGit(dir: string, args: readonly string[], options: ReadGitOptions = {}): Promise<string> {
  const parts: string[] = [];
  await streamGit(dir, args, (text) => parts.push(text), options);
  return parts.join('');
}

/** Runs `git <args>` in the repository `dir` and returns its whole stdout as bytes (blobs that may be binary). */
export async function readGitBytes(dir: string, args: readonly string[], options: ReadGitOptions = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  await streamGit(dir, args, () => undefined, { ...options, onBytes: (chunk) => parts.push(chunk) });
  return Buffer.concat(parts);
}

/** The lines of git's stderr that say what went wrong, without its progress meters. */
function errorLines(stderr: string): string {
  const lines = stderr.split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean);
  const fatal = lines.filter((l) => /^(fatal|error):/i.test(l));
  const chosen = fatal.length ? fatal : lines.filter((l) => !PROGRESS_LINE.test(l)).slice(-5);
  return chosen.join('\n');
}

/** Waits (briefly) until no process of the group is still running; zombies waiting to be reaped do not count. */
async function waitForGroupToEnd(pgid: number, limitMs = 2000): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until && groupIsRunning(pgid)) await new Promise((r) => setTimeout(r, 20));
}

function groupIsRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  // Orphans are reaped by PID 1, which in a container may take its time: look at the members' states instead.
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // it ended while we looked
    }
  }
  return false;
}

export type GitErrorKind =
  | 'cancelled'
  | 'not-found'
  | 'auth-required'
  | 'unreachable'
  | 'destination-exists'
  | 'not-a-repository'
  | 'empty-repository'
  | 'corrupt'
  | 'disk-full'
  | 'interrupted'
  | 'refused'
  | 'not-fast-forward'
  | 'local-changes'
  | 'unknown-revision'
  | 'no-upstream'
  | 'lfs-missing'
  | 'failed';

/** What to tell a person who has no git-lfs. */
export const INSTALL_GIT_LFS =
  'this project stores files with Git LFS, and git-lfs is not installed: install git-lfs (apt install git-lfs / brew install git-lfs / https://git-lfs.com), then retry';

export class GitError extends AppError {
  constructor(
    readonly gitKind: GitErrorKind,
    message: string,
  ) {
    super('git', message);
    this.name = 'GitError';
  }
}

/** Hides the password of `scheme://user:password@host` URLs in text shown to people or written to logs. */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^/\s@]*@/gi, '$1:***@');
}

/** Maps git's own words to one line a person can act on. */
export function toGitError(err: unknown, context: string, signal?: AbortSignal): GitError {
  if (err instanceof GitError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const text = raw.toLowerCase();
  const say = (kind: GitErrorKind, msg: string) => new GitError(kind, redactCredentials(`${context}: ${msg}`));
  if (signal?.aborted || (err instanceof GitCommandError && err.aborted) || /^abort (already )?signaled/i.test(raw)) {
    return say('cancelled', 'cancelled');
  }
  if (/transport '[^']*' not allowed/.test(text)) return say('refused', 'that URL uses a git transport ModelCommons refuses (ext::, fd:: or another helper)');
  // git's object check refuses a hostile .gitmodules (a submodule name that climbs out, a URL that is an option):
  // say so with git's reason, not as "corrupt objects".
  const gitmodules = /gitmodules\w*: ([^\n]+)/i.exec(raw);
  if (gitmodules) return say('refused', `its .gitmodules is refused by git's safety checks (${gitmodules[1]!.trim().slice(0, 200)})`);
  if (text.includes('already exists and is not an empty directory')) return say('destination-exists', 'the destination folder already exists');
  if (text.includes("'lfs' is not a git command") || text.includes('git-lfs: not found') || text.includes('git-lfs: command not found')) {
    return say('lfs-missing', INSTALL_GIT_LFS);
  }
  if (
    text.includes('authentication failed') || text.includes('could not read username') || text.includes('could not read password') ||
    text.includes('terminal prompts disabled') || /returned error: 40[13]\b/.test(text) || text.includes('access denied')
  ) {
    return say('auth-required', 'the server asks for credentials (set them up in your git credential helper)');
  }
  if (
    text.includes('repository not found') || /repository '.*' not found/.test(text) || /\b404\b/.test(text) ||
    text.includes('does not appear to be a git repository') || /repository '.*' does not exist/.test(text)
  ) {
    return say('not-found', 'repository not found');
  }
  if (text.includes('not a git repository') || text.includes('is this a git repository')) return say('not-a-repository', 'not a git repository');
  if (text.includes('could not resolve host') || text.includes('failed to connect') || text.includes('connection refused') || text.includes("couldn't connect")) {
    return say('unreachable', 'the host cannot be reached');
  }
  if (text.includes('no space left on device')) return say('disk-full', 'the disk is full');
  if (text.includes('fsck') || text.includes('corrupt') || text.includes('bad object')) return say('corrupt', 'the repository has corrupt objects');
  if (
    text.includes('rpc failed') || text.includes('early eof') || text.includes('remote end hung up unexpectedly') ||
    text.includes('transfer closed') || text.includes('unexpected disconnect') || text.includes('invalid index-pack output') ||
    text.includes('connection reset')
  ) {
    return say('interrupted', 'the connection dropped before the transfer finished; try again');
  }
  if (text.includes('unable to access')) return say('unreachable', 'the host cannot be reached');
  if (text.includes('not possible to fast-forward') || text.includes("can't be fast-forwarded") || text.includes('diverging branches')) {
    return say('not-fast-forward', 'the local branch and its upstream have diverged; only fast-forward updates are made');
  }
  if (text.includes('would be overwritten by') || text.includes('your local changes')) {
    return say('local-changes', 'local changes would be overwritten; pass discardLocalChanges to drop them');
  }
  if (text.includes('does not have any commits yet') || text.includes("ambiguous argument 'head'")) {
    return say('empty-repository', 'the repository has no commits yet');
  }
  if (
    text.includes('unknown revision') || text.includes('invalid reference') || text.includes('did not match any') ||
    text.includes('needed a single revision') || text.includes('not a commit') || text.includes('invalid object name')
  ) {
    return say('unknown-revision', 'no such branch, tag or commit');
  }
  if (text.includes('no upstream configured') || text.includes('no tracking information') || text.includes('no upstream branch')) {
    return say('no-upstream', 'the current branch has no upstream branch to update from');
  }
  return say('failed', oneLine(raw).slice(0, 300));
}
