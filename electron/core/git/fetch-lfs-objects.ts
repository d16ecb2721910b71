// Downloads a clone's Git LFS content (`git lfs pull`) with per-file and byte progress, or says exactly what
// to install when git-lfs is missing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectLfs } from './detect-lfs.js';
import { GitError, INSTALL_GIT_LFS, runGit, toGitError } from './project-git.js';

export interface LfsProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** 0–100 by bytes. */
  readonly percent: number;
  /** The file being downloaded. */
  readonly file: string | null;
}

export interface FetchLfsOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: LfsProgress) => void;
}

export type FetchLfsResult =
  | { readonly kind: 'no-lfs' }
  | { readonly kind: 'fetched'; readonly files: number; readonly bytes: number };

/** The installed git-lfs's version line, or null when `git lfs` is not available. */
export async function gitLfsVersion(): Promise<string | null> {
  try {
    return (await runGit(['lfs', 'version'])).stdout.trim() || null;
  } catch {
    return null;
  }
}

export async function fetchLfsObjects(dir: string, options: FetchLfsOptions = {}): Promise<FetchLfsResult> {
  const context = 'Fetching the Git LFS files failed';
  const { signal } = options;
  const before = await detectLfs(dir);
  if (!before.usesLfs) return { kind: 'no-lfs' };
  if (!(await gitLfsVersion())) throw new GitError('lfs-missing', `${context}: ${INSTALL_GIT_LFS}`);
  if (before.pointers.length === 0) return { kind: 'fetched', files: 0, bytes: 0 };

  const progressDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-lfs-'));
  const progressFile = path.join(progressDir, 'progress');
  const sizes = new Map(before.pointers.map((p) => [p.path, p.size]));
  const reader = lfsProgressReader(before.pointers.length, before.missingBytes, sizes, options.onProgress);
  const poll = setInterval(() => reader.read(progressFile), 100);
  try {
    // Writes the clean/smudge filter to the clone's own config (no hooks: --skip-repo) so that `git status`
    // sees the fetched content as unchanged.
    await runGit(['lfs', 'install', '--local', '--skip-repo'], { cwd: dir, ...(signal ? { signal } : {}) });
    await runGit(['lfs', 'pull'], { cwd: dir, ...(signal ? { signal } : {}), env: { GIT_LFS_PROGRESS: progressFile } });
    reader.read(progressFile);
  } catch (err) {
    const mapped = toGitError(err, context, signal);
    if (mapped.gitKind === 'failed' && /failed to fetch some objects|object does not exist|not found/i.test(String((err as Error).message ?? err))) {
      throw new GitError('not-found', `${context}: the LFS server does not have some of this project's files`);
    }
    throw mapped;
  } finally {
    clearInterval(poll);
    fs.rmSync(progressDir, { recursive: true, force: true });
  }
  const after = await detectLfs(dir);
  const fetched = before.pointers.filter((p) => !after.pointers.some((q) => q.path === p.path));
  if (after.pointers.length > 0) {
    throw new GitError('not-found', `${context}: ${after.pointers.length} of ${before.pointers.length} LFS files could not be downloaded (${after.pointers[0]!.path}…)`);
  }
  return { kind: 'fetched', files: fetched.length, bytes: fetched.reduce((sum, p) => sum + p.size, 0) };
}

/**
 * Follows the file git-lfs writes when GIT_LFS_PROGRESS names it: one line per update,
 * `download <n>/<total> <bytesSoFar>/<bytesOfFile> <path>`.
 */
function lfsProgressReader(filesTotal: number, bytesTotal: number, sizes: Map<string, number>, emit?: (p: LfsProgress) => void) {
  let offset = 0;
  let partial = '';
  const done = new Map<string, number>();
  return {
    read(file: string) {
      if (!emit) return;
      let chunk: Buffer;
      try {
        const fd = fs.openSync(file, 'r');
        try {
          const size = fs.fstatSync(fd).size;
          if (size <= offset) return;
          chunk = Buffer.alloc(size - offset);
          fs.readSync(fd, chunk, 0, chunk.length, offset);
          offset = size;
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        return; // not written yet
      }
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^download \d+\/\d+ (\d+)\/(\d+) (.+)$/.exec(line.trim());
        if (!m) continue;
        const name = m[3]!;
        done.set(name, Number(m[1]));
        const bytesDone = [...done.values()].reduce((a, b) => a + b, 0);
        const filesDone = [...done].filter(([n, b]) => b >= (sizes.get(n) ?? Number(m[2]))).length;
        emit({
          filesDone,
          filesTotal,
          bytesDone,
          bytesTotal,
          percent: bytesTotal ? Math.min(100, Math.round((bytesDone / bytesTotal) * 1000) / 10) : 100,
          file: name,
        });
      }
    },
  };
}
