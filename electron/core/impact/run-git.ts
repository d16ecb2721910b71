// Runs the user's git on a project with streaming output, inert settings (no hooks, no fsmonitor, no ext::),
// no prompts, and cancellation by AbortSignal; failures become the core's typed GitError.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { GitError, toGitError } from '../git/project-git.js';

const NO_HOOKS_DIR = process.platform === 'win32' ? 'NUL' : '/dev/null';

/** `-c` pairs put in front of every git call this module makes. */
export const INERT_GIT_ARGS: readonly string[] = [
  '-c', `core.hooksPath=${NO_HOOKS_DIR}`,
  '-c', 'core.fsmonitor=false',
  '-c', 'protocol.ext.allow=never',
  '-c', 'log.showSignature=false',
  '-c', 'color.ui=false',
  '-c', 'core.quotePath=false',
];

/** Variables that would point git somewhere other than the project folder are dropped. */
const ENV_DROPPED = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE', 'GIT_CEILING_DIRECTORIES', 'GIT_EXTERNAL_DIFF'];

/** The environment of a git call on `dir`: no prompts, and no looking for a repository above `dir`. */
export function gitEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ENV_DROPPED) delete env[name];
  const ceiling = dirname(resolve(dir));
  // GIT_FLUSH=0: git writes its output in full buffers instead of flushing a pipe after every commit (12,000
  // writes, and as many reads here, for a 12,000-commit log); every call here reads to the end anyway.
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', LC_ALL: 'C', GIT_CEILING_DIRECTORIES: ceiling, GIT_FLUSH: '0' };
}

export interface RunGitOptions {
  readonly signal?: AbortSignal;
  /** Written to git's stdin, which is then closed. */
  readonly stdin?: string;
  /** What the error message says was being done. */
  readonly context?: string;
  /** Extra variables set after the curated environment (e.g. a temporary GIT_OBJECT_DIRECTORY with the clone's objects as an alternate). */
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes besides 0 that are answers, not failures (`git merge-tree` exits 1 on a conflict). */
  readonly okExitCodes?: readonly number[];
}

export function cancelledError(context = 'Reading the history'): GitError {
  return new GitError('cancelled', `${context}: cancelled`);
}

/** Runs `git <args>` in `dir`, handing decoded stdout to `onText` as it arrives (raw bytes to `onBytes` instead, when given). */
export function streamGit(
  dir: string,
  args: readonly string[],
  onText: (text: string) => void,
  options: RunGitOptions & { readonly onBytes?: (chunk: Buffer) => void } = {},
): Promise<void> {
  const context = options.context ?? 'Reading the history';
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelledError(context));
  return new Promise<void>((resolve, reject) => {
    const child = spawn('git', [...INERT_GIT_ARGS, ...args], {
      cwd: dir,
      env: { ...gitEnv(dir), ...options.env },
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const decoder = options.onBytes ? null : new StringDecoder('utf8');
    let stderr = '';
    let settled = false;
    let failure: unknown = null;
    const finish = (err: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => {
      failure = cancelledError(context);
      child.kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        if (options.onBytes) options.onBytes(chunk);
        else onText(decoder!.write(chunk));
      } catch (err) {
        failure = err;
        child.kill();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => finish(failure ?? toGitError(err, context)));
    child.on('close', (code, sig) => {
      if (failure) return finish(failure);
      if (code !== 0 && !(code !== null && options.okExitCodes?.includes(code))) return finish(toGitError(new Error(stderr.trim() || `git exited with ${code ?? sig}`), context));
      try {
        const rest = decoder?.end();
        if (rest) onText(rest);
      } catch (err) {
        return finish(err);
      }
      finish(null);
    });
    if (options.stdin !== undefined) {
      child.stdin!.on('error', () => undefined); // git may exit before reading everything; the close code tells.
      child.stdin!.end(options.stdin);
    }
  });
}

/** Runs `git <args>` in `dir` and returns its whole stdout. */
export async function readGit(dir: string, args: readonly string[], options: RunGitOptions = {}): Promise<string> {
  const parts: string[] = [];
  await streamGit(dir, args, (text) => parts.push(text), options);
  return parts.join('');
}

/** Runs `git <args>` in `dir` and returns its whole stdout as bytes (blobs that may be binary). */
export async function readGitBytes(dir: string, args: readonly string[], options: RunGitOptions = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  await streamGit(dir, args, () => undefined, { ...options, onBytes: (chunk) => parts.push(chunk) });
  return Buffer.concat(parts);
}
