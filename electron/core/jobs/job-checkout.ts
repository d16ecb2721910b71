// The folder a job trains in: its project's files at the job's commit. Locally, the project's own working tree when
// it is at that commit (as `train` does), else a shared clone checked out there. On a remote worker, a clone of the
// project's source made with the core's clone code (hooks off, nothing run), checked out at the commit. Each
// folder is made once per process and commit, then reused; a cloned repository is only read.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { checkoutRevision } from '../git/checkout-revision.js';
import { cloneRepository } from '../git/clone-repository.js';
import { runGit } from '../git/project-git.js';
import { readHead } from '../git/read-history.js';

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

const making = new Map<string, Promise<string>>();

/** Makes `dir` once (concurrent callers share the promise); a failed attempt leaves nothing and is tried again. */
function once(dir: string, make: (tmp: string) => Promise<void>): Promise<string> {
  const pending = making.get(dir);
  if (pending) return pending;
  const made = (async () => {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const tmp = `${dir}.part-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
    try {
      await make(tmp);
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      // Another process may have finished the same folder meanwhile: its copy is as good as this one.
      try {
        fs.renameSync(tmp, dir);
      } catch (err) {
        if (!fs.existsSync(path.join(dir, '.git'))) throw err;
      }
      return dir;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  })();
  making.set(dir, made);
  made.catch(() => making.delete(dir));
  return made;
}

function assertCommit(commit: string): void {
  if (!COMMIT.test(commit)) throw new Error(`Job commit "${commit}" is not a full commit id`);
}

/** The project's working tree when its HEAD is the commit, else a shared clone of it at the commit under `cacheDir`. */
export async function localJobFolder(projectDir: string, commit: string, cacheDir: string): Promise<string> {
  assertCommit(commit);
  if ((await readHead(projectDir).catch(() => null)) === commit) return projectDir;
  return once(path.join(cacheDir, commit), async (tmp) => {
    await runGit(['clone', '--quiet', '--no-checkout', '--shared', '--', projectDir, tmp]);
    await runGit(['-C', tmp, 'checkout', '--quiet', '--detach', commit]);
  });
}

/** A worker's own clone of `source` at `commit`, under `workDir` (one folder per source and commit). */
export async function workerJobFolder(source: string, commit: string, workDir: string): Promise<string> {
  assertCommit(commit);
  const sourceId = crypto.createHash('sha256').update(source).digest('hex').slice(0, 16);
  return once(path.join(workDir, `${sourceId}-${commit}`), async (tmp) => {
    await cloneRepository({ source, destination: tmp });
    await checkoutRevision(tmp, commit);
  });
}
