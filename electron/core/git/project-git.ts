// The one way the core runs git on a project: simple-git with settings that keep an untrusted repo inert
// (no hooks, no ext:: transport, objects checked on fetch, no fsmonitor, no prompts), and a typed GitError.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { simpleGit, type SimpleGit, type SimpleGitProgressEvent } from 'simple-git';
import { AppError, oneLine } from '../app-error.js';

const NO_HOOKS_DIR = process.platform === 'win32' ? 'NUL' : '/dev/null';

/** `-c` settings applied to every git call on a project. */
export const INERT_GIT_CONFIG: readonly string[] = [
  `core.hooksPath=${NO_HOOKS_DIR}`,
  'core.fsmonitor=false',
  'protocol.ext.allow=never',
  'transfer.fsckObjects=true',
  'submodule.recurse=false',
  'safe.directory=*',
];

export interface ProjectGitOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: SimpleGitProgressEvent) => void;
}

export function projectGit(baseDir: string | undefined, options: ProjectGitOptions = {}): SimpleGit {
  return simpleGit({
    ...(baseDir ? { baseDir } : {}),
    config: [...INERT_GIT_CONFIG],
    maxConcurrentProcesses: 4,
    ...(options.signal ? { abort: options.signal } : {}),
    ...(options.onProgress ? { progress: options.onProgress } : {}),
    // simple-git refuses these keys by default because a hostile value is dangerous; ours are the safe values.
    // allowUnsafeConfigPaths: the user's own GIT_CONFIG_GLOBAL (passed on, as runGit and the impact reader do) and
    // the global -C/--git-dir flags, which only this code writes; nothing from a repository reaches either.
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeProtocolOverride: true, allowUnsafeConfigPaths: true },
    allowEnvironment: ['GIT_TERMINAL_PROMPT', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_LFS_SKIP_SMUDGE'],
  }).env(gitEnvironment());
}

/**
 * What git sees of our environment: enough to find the user's own config, credential helper, ssh agent and
 * proxy, and nothing that could swap in an editor, pager or program (simple-git refuses those too).
 */
const PASSED_ENV = [
  'PATH', 'HOME', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'SYSTEMROOT', 'COMSPEC',
  'TMPDIR', 'TMP', 'TEMP', 'XDG_CONFIG_HOME', 'SSH_AUTH_SOCK', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'LANG',
];

function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  // LFS content is fetched by fetchLfsObjects with its own progress and errors, never by a smudge filter
  // hidden inside a clone or checkout (where a missing git-lfs or an LFS outage would fail the whole clone).
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_LFS_SKIP_SMUDGE: '1' };
}

export interface RunGitOptions {
  /** The folder git runs in; the process's own when left out (a clone). */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /** Added to (or overriding) the curated environment. */
  readonly env?: Readonly<Record<string, string>>;
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
 * Runs one git process with the same inert settings and environment as `projectGit`, streaming stderr (for
 * git's progress) and killable: on POSIX git runs in its own process group, so a cancel ends git *and* the
 * helpers it started (git-remote-http, fetch-pack, index-pack), which a plain kill of git would leave running.
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<RunGitResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new GitCommandError('Abort already signaled', null, true));
  return new Promise<RunGitResult>((resolve, reject) => {
    const configArgs = INERT_GIT_CONFIG.flatMap((c) => ['-c', c]);
    const child = spawn('git', [...configArgs, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...gitEnvironment(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: POSIX,
      windowsHide: true,
    });
    const pid = child.pid;
    let aborted = false;
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

    const stdout: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    let stderr = '';
    let partial = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-32_768);
      const parts = (partial + text).split(/[\r\n]/);
      partial = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) options.onStderrLine?.(line);
    });
    child.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new GitCommandError(err.message, null, aborted));
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (partial.trim()) options.onStderrLine?.(partial);
      const finish = () => {
        if (code === 0 && !aborted) resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr });
        else reject(new GitCommandError(aborted ? 'Abort signal received' : errorLines(stderr) || `git exited with ${code ?? sig}`, code, aborted, stderr));
      };
      if (!aborted || !POSIX || pid === undefined) return finish();
      // git has gone; make sure no helper of its outlives the cancel before the caller removes the folder.
      killTree('SIGKILL');
      void waitForGroupToEnd(pid).then(finish);
    });
  });
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
