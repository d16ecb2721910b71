// Adds projects (cloning a git URL or a local repository into the data folder), lists them, and reads their history.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Commit, Contributor, GitStatus, Project } from '../../shared/contract.js';
import { AppError } from './app-error.js';
import type { EventBus } from './event-bus.js';
import { checkoutRevision } from './git/checkout-revision.js';
import { cloneRepository, type CloneProgress } from './git/clone-repository.js';
import { deepenRepository, isShallowRepository } from './git/deepen-repository.js';
import { detectLfs } from './git/detect-lfs.js';
import { fetchLfsObjects } from './git/fetch-lfs-objects.js';
import { fetchStatus } from './git/fetch-status.js';
import { pullFastForward } from './git/pull-fast-forward.js';
import { listBranches, switchBranch } from './git/switch-branch.js';
import { readWorkingTreeStatus, type WorkingTreeStatus } from './git/working-tree-status.js';
import { GitError } from './git/project-git.js';
import { readCommits, readContributors } from './git/read-history.js';
import type { ProjectsRepository } from './store/projects-repository.js';

export interface AddProjectOptions {
  readonly depth?: number;
  /** Where to clone from, when it differs from the source recorded (a bundled example's file:// URL). */
  readonly cloneUrl?: string;
  /** The folder for the working copy (absolute; new or empty); under the data folder when absent. */
  readonly destination?: string;
  readonly onProgress?: (p: CloneProgress) => void;
}

/** How many commits a clone reads beside its checkout: the project view's first page of history. */
const FIRST_COMMITS = 200;

export class ProjectsService {
  private readonly clones = new Map<string, AbortController>();
  /** The history a clone read, kept for the project's first `commits` call. */
  private readonly firstCommits = new Map<string, Commit[]>();

  constructor(
    private readonly repo: ProjectsRepository,
    private readonly events: EventBus,
    private readonly projectsDir: string,
  ) {}

  list(): Project[] {
    return this.repo.list();
  }

  get(id: string): Project {
    const p = this.repo.get(id);
    if (!p) throw new AppError('not-found', `No project with id ${id}`);
    return p;
  }

  /** Resolves a project given by id, by name, or by its folder. */
  find(ref: string): Project {
    const byId = this.repo.get(ref);
    if (byId) return byId;
    const all = this.repo.list();
    const byName = all.filter((p) => p.name === ref);
    if (byName.length === 1) return byName[0]!;
    const abs = path.resolve(ref);
    const byPath = all.find((p) => p.path === abs || p.source === abs);
    if (byPath) return byPath;
    throw new AppError('not-found', `No project named "${ref}" (see: modelcommons projects)`);
  }

  requireReady(id: string): Project {
    const p = this.get(id);
    if (p.status !== 'ready') throw new AppError('conflict', `Project "${p.name}" is ${p.status}, not ready`);
    return p;
  }

  async add(rawSource: string, options: AddProjectOptions = {}): Promise<Project> {
    const source = options.cloneUrl ? rawSource.trim() : normalizeSource(rawSource);
    const name = projectNameFrom(source);
    const existing = this.repo.list().find((p) => p.source === source);
    if (existing && existing.status !== 'failed') {
      throw new AppError('conflict', `"${name}" is already added (${existing.status})`);
    }
    if (existing) this.repo.delete(existing.id); // a retry of a failed clone starts over

    const id = crypto.randomUUID();
    const destination = options.destination
      ? checkDestination(options.destination)
      : path.join(this.projectsDir, `${slug(name)}-${id.slice(0, 8)}`);
    const project = this.repo.insert({ id, name, source, path: destination, status: 'cloning', error: null }, process.pid);
    this.events.emit('projects:changed', project);

    const abort = new AbortController();
    this.clones.set(id, abort);
    let firstCommits: Commit[] | null;
    try {
      ({ commits: firstCommits } = await cloneRepository({
        source: options.cloneUrl ?? source,
        destination,
        ...(options.depth ? { depth: options.depth } : {}),
        // The first page of history is read beside the checkout, so the project opens with it at no extra wait.
        readCommits: FIRST_COMMITS,
        signal: abort.signal,
        onProgress: (p) => {
          options.onProgress?.(p);
          this.emitProgress(id, p);
        },
      }));
    } catch (err) {
      if (abort.signal.aborted || (err instanceof GitError && err.gitKind === 'cancelled')) {
        // A cancelled clone leaves nothing: no folder, no record.
        fs.rmSync(destination, { recursive: true, force: true });
        this.repo.delete(id);
        this.events.emit('projects:changed', { ...project, status: 'failed', error: 'Clone cancelled' });
        throw new AppError('git', `Clone of ${source} cancelled`);
      }
      const message = err instanceof Error ? err.message : String(err);
      const failed = this.repo.setStatus(id, 'failed', message)!;
      this.events.emit('projects:changed', failed);
      throw err;
    } finally {
      this.clones.delete(id);
    }
    if (firstCommits) this.firstCommits.set(id, firstCommits);
    const notice = await this.fetchLfs(id, destination);
    const ready = this.repo.setStatus(id, 'ready', notice)!;
    this.events.emit('projects:changed', ready);
    return ready;
  }

  /**
   * git runs with LFS smudging off, so a clone or update holds pointer files; fetch their objects when git-lfs is
   * installed. Returns a one-line notice for the project when they could not be fetched (null when all is well).
   */
  private async fetchLfs(projectId: string, dir: string): Promise<string | null> {
    const lfs = await detectLfs(dir);
    if (!lfs.pointers.length) return null;
    try {
      await fetchLfsObjects(dir, {
        onProgress: (p) =>
          this.emitProgress(projectId, {
            stage: 'Git LFS',
            percent: p.percent,
            overallPercent: p.percent,
            processed: p.filesDone,
            total: p.filesTotal,
            bytesPerSecond: null,
          }),
      });
      return null;
    } catch (err) {
      return `${lfs.pointers.length} large file${lfs.pointers.length === 1 ? '' : 's'} stored with Git LFS not fetched: ${(err as Error).message}`;
    }
  }

  private emitProgress(projectId: string, p: Pick<CloneProgress, 'stage' | 'percent' | 'overallPercent' | 'processed' | 'total' | 'bytesPerSecond'>) {
    this.events.emit('clone:progress', {
      projectId,
      stage: p.stage,
      percent: p.percent,
      overallPercent: p.overallPercent,
      processed: p.processed,
      total: p.total,
      bytesPerSecond: p.bytesPerSecond,
    });
  }

  async gitStatus(id: string, fetch: boolean): Promise<GitStatus> {
    const dir = this.requireReady(id).path;
    return toGitStatus(
      fetch ? await fetchStatus(dir, { onProgress: (p) => this.emitProgress(id, p) }) : await readWorkingTreeStatus(dir),
      await isShallowRepository(dir),
    );
  }

  /** Fetches the history a shallow clone left out. */
  async deepen(id: string): Promise<GitStatus> {
    this.firstCommits.delete(id); // history changes: the clone's first read no longer holds
    const dir = this.requireReady(id).path;
    await deepenRepository(dir, { onProgress: (p) => this.emitProgress(id, p) });
    return toGitStatus(await readWorkingTreeStatus(dir), await isShallowRepository(dir));
  }

  /** Fast-forwards the branch; local changes are kept unless the person confirmed discarding them. */
  async pull(id: string, discardLocalChanges: boolean): Promise<{ updated: boolean; commits: number; head: string }> {
    this.firstCommits.delete(id); // history changes: the clone's first read no longer holds
    const dir = this.requireReady(id).path;
    const result = await pullFastForward(dir, { discardLocalChanges, onProgress: (p) => this.emitProgress(id, p) });
    if (result.kind === 'fast-forwarded') await this.noteLfs(id, dir);
    return result.kind === 'fast-forwarded'
      ? { updated: true, commits: result.commits, head: result.to }
      : { updated: false, commits: 0, head: result.head };
  }

  branches(id: string) {
    return listBranches(this.requireReady(id).path);
  }

  async switchBranch(id: string, branch: string, discardLocalChanges: boolean): Promise<GitStatus> {
    this.firstCommits.delete(id); // history changes: the clone's first read no longer holds
    const dir = this.requireReady(id).path;
    await switchBranch(dir, branch, { discardLocalChanges });
    await this.noteLfs(id, dir);
    return toGitStatus(await readWorkingTreeStatus(dir), await isShallowRepository(dir));
  }

  /** Checks out a commit or tag read-only (detached HEAD). */
  async checkout(id: string, revision: string, discardLocalChanges: boolean): Promise<GitStatus> {
    this.firstCommits.delete(id); // history changes: the clone's first read no longer holds
    const dir = this.requireReady(id).path;
    await checkoutRevision(dir, revision, { discardLocalChanges });
    await this.noteLfs(id, dir);
    return toGitStatus(await readWorkingTreeStatus(dir), await isShallowRepository(dir));
  }

  private async noteLfs(id: string, dir: string): Promise<void> {
    const notice = await this.fetchLfs(id, dir);
    const updated = this.repo.setStatus(id, 'ready', notice);
    if (updated) this.events.emit('projects:changed', updated);
  }

  cancelClone(id: string): boolean {
    const abort = this.clones.get(id);
    if (!abort) return false;
    abort.abort();
    return true;
  }

  async commits(id: string, limit: number): Promise<Commit[]> {
    const project = this.requireReady(id);
    const first = this.firstCommits.get(id);
    this.firstCommits.delete(id); // used once: later reads see pulls, switches and checkouts
    if (first && (limit <= first.length || first.length < FIRST_COMMITS)) return first.slice(0, limit);
    return readCommits(project.path, limit);
  }

  contributors(id: string): Promise<Contributor[]> {
    return readContributors(this.requireReady(id).path);
  }

  cancelAll(): void {
    for (const abort of this.clones.values()) abort.abort();
  }
}

function toGitStatus(s: WorkingTreeStatus, shallow: boolean): GitStatus {
  const { head, branch, detached, upstream, ahead, behind, modified, untracked, conflicted, clean } = s;
  return { head, branch, detached, upstream, ahead, behind, modified, untracked, conflicted, clean, shallow };
}

/** A chosen destination must be absolute and new or empty: a clone never mixes with files already there. */
function checkDestination(raw: string): string {
  if (!path.isAbsolute(raw)) throw new AppError('invalid-request', `The destination "${raw}" must be an absolute path`);
  const dir = path.resolve(raw);
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new AppError('conflict', `The destination ${dir} already exists and is not empty`);
  }
  return dir;
}

/** A local folder becomes an absolute path; anything that looks like a URL is kept as typed. */
export function normalizeSource(raw: string): string {
  const s = raw.trim();
  if (/^(https?|ssh|git|file):\/\//i.test(s) || /^[\w.-]+@[\w.-]+:/.test(s)) return s;
  if (/^[a-z][a-z0-9+.-]*::/i.test(s)) {
    throw new AppError('invalid-request', `"${s}" uses a git transport helper, which ModelCommons refuses`);
  }
  const abs = path.resolve(s.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~'));
  if (!fs.existsSync(abs)) throw new AppError('invalid-request', `No folder at ${abs}, and it is not a git URL`);
  if (!fs.statSync(abs).isDirectory()) throw new AppError('invalid-request', `${abs} is a file, not a folder`);
  return abs;
}

export function projectNameFrom(source: string): string {
  const last = source.replace(/[\\/]+$/, '').split(/[\\/:]/).pop() ?? 'project';
  return last.replace(/\.git$/i, '') || 'project';
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'project';
}
