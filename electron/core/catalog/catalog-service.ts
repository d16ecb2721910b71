// Project catalogs: the bundled one and catalogs added by URL (git repositories with a catalog.json, cloned into
// <home>/catalogs and refreshed by fetch + hard reset), and search over all of them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BUNDLED_CATALOG_ID,
  BUNDLED_URL_PREFIX,
  CATALOG_FILE,
  CatalogSearchQuery,
  type CatalogFile,
  type CatalogInfo,
  type CatalogSearchResult,
} from '../../../shared/catalog.js';
import { AppError } from '../app-error.js';
import { cloneRepository, type CloneProgress } from '../git/clone-repository.js';
import { GitError, redactCredentials, runGit, toGitError } from '../git/project-git.js';
import { normalizeSource, projectNameFrom } from '../projects-service.js';
import type { Db } from '../store/database.js';
import { readBundledCatalog, resolveBundledUrl } from './bundled-catalog.js';
import { CatalogsRepository } from './catalogs-repository.js';
import { readCatalogFile } from './read-catalog-file.js';
import { searchCatalogs, type SearchableCatalog } from './search-catalogs.js';

export interface AddCatalogOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: CloneProgress) => void;
}

export interface RefreshCatalogOptions {
  readonly signal?: AbortSignal;
}

export class CatalogService {
  private readonly repo: CatalogsRepository;
  private readonly catalogsDir: string;
  /** Parsed catalog.json by catalog id; the clone on disk is the truth, this saves re-reading it per search. */
  private readonly cache = new Map<string, CatalogFile>();
  private readonly refreshing = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  private readonly adding = new Set<string>();

  /** `bundledDir`: the folder scripts/build-bundled-catalog.ts wrote (null: no bundled catalog). */
  constructor(
    db: Db,
    home: string,
    private readonly bundledDir: string | null,
  ) {
    this.repo = new CatalogsRepository(db);
    this.catalogsDir = path.join(home, 'catalogs');
  }

  /** The added catalogs, oldest first (the bundled one is not among them). */
  listCatalogs(): CatalogInfo[] {
    return this.repo.list();
  }

  getCatalog(id: string): CatalogInfo {
    const info = this.repo.get(id);
    if (!info) throw new AppError('not-found', `No catalog with id ${id}`);
    return info;
  }

  /** Clones the catalog repository (depth 1) and keeps it when its catalog.json is valid; otherwise leaves nothing. */
  async addCatalog(rawUrl: string, options: AddCatalogOptions = {}): Promise<CatalogInfo> {
    if (rawUrl.trim().startsWith(BUNDLED_URL_PREFIX)) {
      throw new AppError('invalid-request', 'A bundled: URL names a project, not a catalog; a catalog is a git repository');
    }
    const url = normalizeSource(rawUrl);
    const existing = this.repo.findByUrl(url);
    if (existing || this.adding.has(url)) {
      throw new AppError('conflict', `The catalog ${redactCredentials(url)} is already added${existing ? ` ("${existing.name}")` : ''}`);
    }
    this.adding.add(url);
    try {
      const id = crypto.randomUUID();
      const dir = path.join(this.catalogsDir, `${slug(projectNameFrom(url))}-${id.slice(0, 8)}`);
      fs.mkdirSync(this.catalogsDir, { recursive: true });
      await cloneRepository({
        source: url,
        destination: dir,
        depth: 1,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      let catalog: CatalogFile;
      try {
        catalog = readCatalogFile(dir, fileLabel(url));
      } catch (err) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
      }
      const info = this.repo.insert({ id, url, name: catalog.name, path: dir, entries: catalog.entries.length });
      this.cache.set(id, catalog);
      return info;
    } finally {
      this.adding.delete(url);
    }
  }

  /**
   * Fetches the catalog's upstream HEAD and resets the clone to it (the clone is ours, never edited). When the new
   * catalog.json is invalid, the clone goes back to the previous commit: the last good catalog stays in use, and the
   * record carries the error.
   */
  async refreshCatalog(id: string, options: RefreshCatalogOptions = {}): Promise<CatalogInfo> {
    const info = this.getCatalog(id);
    if (this.refreshing.has(id)) throw new AppError('conflict', `The catalog "${info.name}" is already being refreshed`);
    const abort = new AbortController();
    const signal = options.signal ? AbortSignal.any([abort.signal, options.signal]) : abort.signal;
    const done = this.refresh(info, signal);
    this.refreshing.set(id, { abort, done: done.catch(() => undefined) });
    try {
      return await done;
    } finally {
      this.refreshing.delete(id);
    }
  }

  /** Forgets the catalog and deletes its clone; a refresh under way is cancelled first. */
  async removeCatalog(id: string): Promise<void> {
    const info = this.getCatalog(id);
    const running = this.refreshing.get(id);
    if (running) {
      running.abort.abort();
      await running.done;
    }
    this.repo.delete(id);
    this.cache.delete(id);
    // Only ever a folder of ours: a record pointing elsewhere (an edited store) leaves that folder alone.
    if (isWithin(this.catalogsDir, info.path)) fs.rmSync(info.path, { recursive: true, force: true });
  }

  /** Entries of the bundled catalog and every added one matching all the given filters (see searchCatalogs). */
  search(rawQuery: CatalogSearchQuery = {}): CatalogSearchResult {
    const parsed = CatalogSearchQuery.safeParse(rawQuery);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError('invalid-request', `Invalid catalog search: ${issue ? `${issue.path.join('.') || 'query'}: ${issue.message}` : 'bad query'}`);
    }
    const sources: SearchableCatalog[] = [];
    const skipped: CatalogSearchResult['skipped'] = [];
    if (this.bundledDir !== null) {
      try {
        const bundled = this.bundledCatalog();
        sources.push({ id: BUNDLED_CATALOG_ID, name: bundled.name, bundled: true, entries: bundled.entries });
      } catch (err) {
        skipped.push({ catalogId: BUNDLED_CATALOG_ID, name: 'Bundled examples', error: messageOf(err) });
      }
    }
    for (const info of this.repo.list()) {
      try {
        const catalog = this.catalogOf(info);
        sources.push({ id: info.id, name: catalog.name, bundled: false, entries: catalog.entries });
      } catch (err) {
        skipped.push({ catalogId: info.id, name: info.name, error: messageOf(err) });
      }
    }
    return { hits: searchCatalogs(sources, parsed.data), skipped };
  }

  /** What to clone for an entry's URL: a `bundled:` name becomes the file:// URL of its bare repository. */
  resolveCloneSource(url: string): string {
    if (!url.startsWith(BUNDLED_URL_PREFIX)) return url;
    if (this.bundledDir === null) throw new AppError('not-found', 'This build has no bundled projects');
    return resolveBundledUrl(url, this.bundledDir);
  }

  cancelAll(): void {
    for (const { abort } of this.refreshing.values()) abort.abort();
  }

  private bundledCatalog(): CatalogFile {
    const cached = this.cache.get(BUNDLED_CATALOG_ID);
    if (cached) return cached;
    const catalog = readBundledCatalog(this.bundledDir!);
    this.cache.set(BUNDLED_CATALOG_ID, catalog);
    return catalog;
  }

  private catalogOf(info: CatalogInfo): CatalogFile {
    const cached = this.cache.get(info.id);
    if (cached) return cached;
    const catalog = readCatalogFile(info.path, fileLabel(info.url));
    this.cache.set(info.id, catalog);
    return catalog;
  }

  private async refresh(info: CatalogInfo, signal: AbortSignal): Promise<CatalogInfo> {
    const cwd = info.path;
    const label = fileLabel(info.url);
    let previous: string | null = null;
    try {
      if (fs.existsSync(path.join(cwd, '.git'))) {
        previous = (await runGit(['rev-parse', 'HEAD'], { cwd })).stdout.trim();
        await runGit(['fetch', '--depth', '1', '--no-tags', '--quiet', 'origin', 'HEAD'], { cwd, signal });
        await runGit(['reset', '--hard', '--quiet', 'FETCH_HEAD'], { cwd, signal });
      } else {
        // The clone went missing (deleted by hand): clone it again.
        if (isWithin(this.catalogsDir, cwd)) fs.rmSync(cwd, { recursive: true, force: true });
        await cloneRepository({ source: info.url, destination: cwd, depth: 1, signal });
      }
    } catch (err) {
      throw this.failed(info, toGitError(err, `Refreshing the catalog ${redactCredentials(info.url)} failed`, signal));
    }
    let catalog: CatalogFile;
    try {
      catalog = readCatalogFile(cwd, label);
    } catch (err) {
      if (previous) await runGit(['reset', '--hard', '--quiet', previous], { cwd }).catch(() => undefined);
      throw this.failed(info, err);
    }
    this.cache.set(info.id, catalog);
    return this.repo.markRead(info.id, catalog.name, catalog.entries.length) ?? this.getCatalog(info.id);
  }

  /** Records why a refresh failed (a cancelled one is not a failure) and returns the error to throw. */
  private failed(info: CatalogInfo, err: unknown): unknown {
    const cancelled = err instanceof GitError && err.gitKind === 'cancelled';
    if (!cancelled && this.repo.get(info.id)) this.repo.setError(info.id, messageOf(err));
    return err;
  }
}

function fileLabel(url: string): string {
  return `${CATALOG_FILE} of ${redactCredentials(url)}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'catalog';
}

function isWithin(root: string, target: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
