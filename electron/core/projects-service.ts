// Adds projects (cloning a git URL or a local repository into the data folder), lists them, and reads their history.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Commit, Contributor, Project } from '../../shared/contract.js';
import { AppError } from './app-error.js';
import type { EventBus } from './event-bus.js';
import { cloneRepository } from './git/clone-repository.js';
import { GitError } from './git/project-git.js';
import { readCommits, readContributors } from './git/read-history.js';
import type { ProjectsRepository } from './store/projects-repository.js';

export interface AddProjectOptions {
  readonly depth?: number;
  readonly onProgress?: (p: { stage: string; percent: number }) => void;
}

export class ProjectsService {
  private readonly clones = new Map<string, AbortController>();

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
    const source = normalizeSource(rawSource);
    const name = projectNameFrom(source);
    const existing = this.repo.list().find((p) => p.source === source);
    if (existing && existing.status !== 'failed') {
      throw new AppError('conflict', `"${name}" is already added (${existing.status})`);
    }
    if (existing) this.repo.delete(existing.id); // a retry of a failed clone starts over

    const id = crypto.randomUUID();
    const destination = path.join(this.projectsDir, `${slug(name)}-${id.slice(0, 8)}`);
    const project = this.repo.insert({ id, name, source, path: destination, status: 'cloning', error: null }, process.pid);
    this.events.emit('projects:changed', project);

    const abort = new AbortController();
    this.clones.set(id, abort);
    try {
      await cloneRepository({
        source,
        destination,
        ...(options.depth ? { depth: options.depth } : {}),
        signal: abort.signal,
        onProgress: (p) => {
          options.onProgress?.(p);
          this.events.emit('clone:progress', { projectId: id, ...p });
        },
      });
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
    const ready = this.repo.setStatus(id, 'ready')!;
    this.events.emit('projects:changed', ready);
    return ready;
  }

  cancelClone(id: string): boolean {
    const abort = this.clones.get(id);
    if (!abort) return false;
    abort.abort();
    return true;
  }

  commits(id: string, limit: number): Promise<Commit[]> {
    return readCommits(this.requireReady(id).path, limit);
  }

  contributors(id: string): Promise<Contributor[]> {
    return readContributors(this.requireReady(id).path);
  }

  cancelAll(): void {
    for (const abort of this.clones.values()) abort.abort();
  }
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
