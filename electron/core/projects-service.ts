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
import { repositoryRoot } from './git/repository-root.js';
import { MANIFEST_FILE } from '../../shared/manifest.js';
import type { ProjectsRepository } from './store/projects-repository.js';

export interface AddProjectOptions {
  readonly depth?: number;
  /** Where to clone from, when it differs from the source recorded (a bundled example's file:// URL). */
  readonly cloneUrl?: string;
  /** The folder for the working copy (absolute; new or empty); under the data folder when absent. */
  readonly destination?: string;
  readonly onProgress?: (p: CloneProgress) => void;
  /** A local folder used where it is (a 'local' project: never copied, never written to) instead of cloned. */
  readonly inPlace?: boolean;
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
    /** Where set-up manifests of projects without one are kept: <overlaysDir>/<projectId>/modelcommons.json. */
    private readonly overlaysDir = path.join(path.dirname(projectsDir), 'overlays'),
  ) {}

  /** The set-up manifest kept in the data folder for a project whose repository has none (it may not exist yet). */
  overlayFile(id: string): string {
    return path.join(this.overlaysDir, this.get(id).id, MANIFEST_FILE);
  }

  /**
   * A folder given on the command line: the project already registered for it (by its folder, or a clone of it),
   * else its repository registered in place as a 'local' project.
   */
  async findOrRegisterFolder(folder: string): Promise<Project> {
    const abs = path.resolve(folder);
    const known = this.repo.list().find((p) => p.path === abs || p.source === abs);
    if (known) return known;
    const root = await repositoryRoot(abs);
    return this.repo.list().find((p) => p.path === root || p.source === root) ?? this.registerInPlace(root);
  }

  /** Records the person's own repository as a project where it is: nothing is copied, written or configured there. */
  async registerInPlace(folder: string): Promise<Project> {
    const root = await repositoryRoot(normalizeSource(folder));
    const existing = this.repo.list().find((p) => p.path === root);
    if (existing) throw new AppError('conflict', `${root} is already the project "${existing.name}"`);
    const project = this.repo.insert({ id: crypto.randomUUID(), name: projectNameFrom(root), source: root, path: root, status: 'ready', kind: 'local', error: null }, process.pid);
    this.events.emit('projects:changed', project);
    return project;
  }

  /** git operations that write into the repository (fetch, pull, switch, checkout, deepen) are refused for a 'local' project. */
  private requireOwnCopy(id: string, what: string): Project {
    const p = this.requireReady(id);
    if (p.kind === 'local') {
      throw new AppError('conflict', `"${p.name}" is your own folder, used in place: ModelCommons does not ${what} it (use git in ${p.path})`);
    }
    return p;
  }

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

  /**
   * At start: clones whose process is gone (a crash or kill -9 mid-checkout) are marked failed, and the half
   * checked-out folder each left in the data folder is removed. A folder the person chose (--dir) is never touched.
   */
  failInterruptedClones(isAlive: (pid: number) => boolean): void {
    const cloning = new Set(this.repo.list().filter((p) => p.status === 'cloning').map((p) => p.id));
    if (!cloning.size) return;
    this.repo.failOrphanedClones(isAlive);
    for (const p of this.repo.list()) if (cloning.has(p.id) && p.status === 'failed') this.removeOwnFolder(p.path);
  }

  /**
   * Removes a project folder only when it is one this service made: directly inside the data folder's projects/,
   * and never a folder registered in place (the person's own repository).
   */
  private removeOwnFolder(folder: string): boolean {
    if (path.dirname(path.resolve(folder)) !== path.resolve(this.projectsDir)) return false;
    if (this.repo.findByPath(path.resolve(folder))?.kind === 'local') return false;
    fs.rmSync(folder, { recursive: true, force: true });
    return true;
  }

  /** Whether removing the project would delete its folder (see removeOwnFolder): the folder's size is then its disk use. */
  ownsFolder(id: string): boolean {
    const p = this.get(id);
    return p.kind !== 'local' && path.dirname(path.resolve(p.path)) === path.resolve(this.projectsDir);
  }

  /**
   * Forgets a project (the store drops its runs with it) and its set-up manifest; its folder goes only when this
   * service made it (removeOwnFolder). A failed project can be removed; a cloning one must be cancelled first.
   */
  remove(id: string): { folderRemoved: boolean } {
    const p = this.get(id);
    if (p.status === 'cloning') throw new AppError('conflict', `"${p.name}" is still cloning: cancel the clone first`);
    const folderRemoved = this.removeOwnFolder(p.path);
    fs.rmSync(path.dirname(this.overlayFile(id)), { recursive: true, force: true });
    this.repo.delete(id);
    this.firstCommits.delete(id);
    return { folderRemoved };
  }

  requireReady(id: string): Project {
    const p = this.get(id);
    if (p.status !== 'ready') throw new AppError('conflict', `Project "${p.name}" is ${p.status}, not ready`);
    return p;
  }

  async add(rawSource: string, options: AddProjectOptions = {}): Promise<Project> {
    if (options.inPlace) {
      if (options.cloneUrl || options.destination || options.depth) {
        throw new AppError('invalid-request', 'A folder used in place takes no destination or depth (nothing is cloned)');
      }
      return this.registerInPlace(rawSource);
    }
    const source = options.cloneUrl ? rawSource.trim() : normalizeSource(rawSource);
    const name = projectNameFrom(source);
    const existing = this.repo.list().find((p) => p.source === source);
    if (existing && existing.status !== 'failed') {
      throw new AppError('conflict', `"${name}" is already added (${existing.status})`);
    }
    if (existing) {
      // A retry of a failed clone starts over, without what the failed one left in the data folder.
      this.removeOwnFolder(existing.path);
      this.repo.delete(existing.id);
    }

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
    const dir = (fetch ? this.requireOwnCopy(id, 'fetch into') : this.requireReady(id)).path;
    return toGitStatus(
      fetch ? await fetchStatus(dir, { onProgress: (p) => this.emitProgress(id, p) }) : await readWorkingTreeStatus(dir),
      await isShallowRepository(dir),
    );
  }

  /** Fetches the history a shallow clone left out. */
  async deepen(id: string): Promise<GitStatus> {
    this.firstCommits.delete(id); // history changes: the clone's first read no longer holds
    const dir = this.requireOwnCopy(id, 'deepen').path;
    await deepenRepository(dir, { onProgress: (p) => this.emitProgress(id, p) });
    return toGitStatus(await readWorkingTreeStatus(dir), await isShallowRepository(dir));
  }

  /** Fast-forwards the branch; local changes are kept unless the person confirmed discarding them. */
  async pull(id: string, discardLocalChanges: boolean): Promise<{ updated: boolean; commits: number; head: string }> {
    this.firstCommits.delete(id); // history changes: the clone's first read no longer holds
    const dir = this.requireOwnCopy(id, 'pull into').path;
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
    const dir = this.requireOwnCopy(id, 'switch branches in').path;
    await switchBranch(dir, branch, { discardLocalChanges });
    await this.noteLfs(id, dir);
    return toGitStatus(await readWorkingTreeStatus(dir), await isShallowRepository(dir));
  }

  /** Checks out a commit or tag read-only (detached HEAD). */
  async checkout(id: string, revision: string, discardLocalChanges: boolean): Promise<GitStatus> {
    this.firstCommits.delete(id); // history changes: the clone's first read no longer holds
    const dir = this.requireOwnCopy(id, 'check out commits in').path;
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

/**
 * A git URL is kept as typed; a local folder must be an absolute path (or start with ~): the core has no working
 * directory of the person's (under `serve` it would be the server's), so the CLI resolves relative paths itself.
 */
export function normalizeSource(raw: string): string {
  const s = raw.trim();
  if (/^(https?|ssh|git|file):\/\//i.test(s) || /^[\w.-]+@[\w.-]+:/.test(s)) return s;
  if (/^[a-z][a-z0-9+.-]*::/i.test(s)) {
    throw new AppError('invalid-request', `"${s}" uses a git transport helper, which ModelCommons refuses`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (scheme) {
    throw new AppError('invalid-request', `"${s}": ${scheme[1]}:// is not a git URL scheme; use https://, ssh://, git:// or file://`);
  }
  const expanded = s.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~');
  if (!path.isAbsolute(expanded)) {
    throw new AppError('invalid-request', `"${s}" is neither a git URL (https://, ssh://, git://, file://, user@host:path) nor an absolute folder path`);
  }
  const abs = path.resolve(expanded);
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
