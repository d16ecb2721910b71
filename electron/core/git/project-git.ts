// The one way the core runs git on a project: simple-git with settings that keep an untrusted repo inert
// (no hooks, no ext:: transport, objects checked on fetch, no fsmonitor, no prompts), and a typed GitError.
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
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeProtocolOverride: true },
    allowEnvironment: ['GIT_TERMINAL_PROMPT', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM'],
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
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
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
  | 'failed';

export class GitError extends AppError {
  constructor(
    readonly gitKind: GitErrorKind,
    message: string,
  ) {
    super('git', message);
    this.name = 'GitError';
  }
}

/** Maps git's own words to one line a person can act on. */
export function toGitError(err: unknown, context: string, signal?: AbortSignal): GitError {
  if (err instanceof GitError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const text = raw.toLowerCase();
  const say = (kind: GitErrorKind, msg: string) => new GitError(kind, `${context}: ${msg}`);
  if (signal?.aborted || /^abort (already )?signaled/i.test(raw)) return say('cancelled', 'cancelled');
  if (text.includes('already exists and is not an empty directory')) return say('destination-exists', 'the destination folder already exists');
  if (text.includes('authentication failed') || text.includes('could not read username') || text.includes('terminal prompts disabled')) {
    return say('auth-required', 'the server asks for credentials (set them up in your git credential helper)');
  }
  if (text.includes('repository not found') || /\b404\b/.test(text) || text.includes('does not appear to be a git repository') || /repository '.*' does not exist/.test(text)) {
    return say('not-found', 'repository not found');
  }
  if (text.includes('not a git repository')) return say('not-a-repository', 'not a git repository');
  if (text.includes('could not resolve host') || text.includes('failed to connect') || text.includes('connection refused') || text.includes('unable to access')) {
    return say('unreachable', 'the host cannot be reached');
  }
  if (text.includes('no space left on device')) return say('disk-full', 'the disk is full');
  if (text.includes('does not have any commits yet') || text.includes("ambiguous argument 'head'")) {
    return say('empty-repository', 'the repository has no commits yet');
  }
  if (text.includes('fsck') || text.includes('corrupt') || text.includes('bad object')) return say('corrupt', 'the repository has corrupt objects');
  return say('failed', oneLine(raw).slice(0, 300));
}
