// The core's services as one graph, each built on first use: the store opens when something reads it, and the
// services beyond projects and catalogs (on-demand-services.ts) load as a module only when a request needs one.
// Every host serves the contract through `dispatch`; services.ts adds synchronous accessors for hosts that want them.
import path from 'node:path';
import { bundledName } from '../../shared/catalog.js';
import type { Project } from '../../shared/contract.js';
import { createDispatcher, type ApiHandlers, type Dispatch } from './api-dispatcher.js';
import { AppError } from './app-error.js';
import { CatalogService } from './catalog/catalog-service.js';
import { ensureDataHome } from './data-home.js';
import { EventBus } from './event-bus.js';
import type { OnDemandServices } from './on-demand-services.js';
import { ProjectsService } from './projects-service.js';
import type { ServicesConfig } from './services-config.js';
import { openDatabase, type Db } from './store/database.js';
import { ProjectsRepository } from './store/projects-repository.js';
import { isProcessAlive } from './process-alive.js';

type OnDemandModule = typeof import('./on-demand-services.js');
/** The on-demand module itself (a host that loads it up front), or how to load it when first needed. */
export type OnDemandSource = OnDemandModule | (() => Promise<OnDemandModule>);

type AddOptions = NonNullable<Parameters<ProjectsService['add']>[1]>;

export class ServiceGraph {
  readonly home: string;
  readonly events = new EventBus();
  /** The on-demand services, each loaded and built when first asked for. */
  readonly use = {
    training: async () => (await this.onDemand()).training,
    runs: async () => (await this.onDemand()).runs,
    chromium: async () => (await this.onDemand()).chromium,
    impact: async () => (await this.onDemand()).impact,
    forge: async () => (await this.onDemand()).forge,
    setup: async () => (await this.onDemand()).setup,
    hub: async () => (await this.onDemand()).hub,
  };
  readonly dispatch: Dispatch;
  protected readonly config: ServicesConfig;
  readonly #source: OnDemandSource;
  #db?: Db;
  #projects?: ProjectsService;
  #catalogs?: CatalogService;
  #onDemand?: OnDemandServices;

  constructor(config: ServicesConfig, source: OnDemandSource) {
    this.config = config;
    this.#source = source;
    this.home = ensureDataHome(config.home);
    this.dispatch = createDispatcher(this.handlers());
  }

  get db(): Db {
    const { nativeBinding } = this.config;
    return (this.#db ??= openDatabase(path.join(this.home, 'modelcommons.db'), nativeBinding ? { nativeBinding } : {}));
  }

  get projects(): ProjectsService {
    if (this.#projects) return this.#projects;
    this.#projects = new ProjectsService(new ProjectsRepository(this.db), this.events, path.join(this.home, 'projects'));
    this.#projects.failInterruptedClones(isProcessAlive);
    return this.#projects;
  }

  get catalogs(): CatalogService {
    return (this.#catalogs ??= new CatalogService(this.db, this.home, this.config.bundledCatalogDir ?? null));
  }

  /** Adds a project from a git URL, a folder, or a catalog entry's URL (bundled:<name>). */
  async addProject(source: string, options: AddOptions = {}): Promise<Project> {
    // A catalog entry with an overlay makes a repository without a manifest trainable: its commit, its manifest.
    const entry = options.inPlace ? undefined : this.catalogs.search({}).hits.find((h) => h.entry.url === source.trim() && h.entry.overlay)?.entry;
    const project =
      bundledName(source.trim()) !== null
        ? await this.projects.add(source, { ...options, cloneUrl: this.catalogs.resolveCloneSource(source.trim()) })
        : await this.projects.add(source, options);
    if (!entry?.overlay) return project;
    await this.projects.checkout(project.id, entry.overlay.commit, false);
    (await this.use.setup()).write(project.id, entry.overlay.manifest);
    return this.projects.get(project.id);
  }

  close(): void {
    this.#projects?.cancelAll();
    this.#catalogs?.cancelAll();
    this.#onDemand?.cancelAll();
    this.#db?.close();
  }

  /** The on-demand services when their module is loaded (always, for a host that passed the module itself). */
  protected onDemandNow(): OnDemandServices {
    if (this.#onDemand) return this.#onDemand;
    if (typeof this.#source === 'function') throw new Error('The on-demand services are not loaded yet: use services.use.*()');
    return (this.#onDemand = this.buildOnDemand(this.#source));
  }

  private async onDemand(): Promise<OnDemandServices> {
    if (this.#onDemand) return this.#onDemand;
    const module = typeof this.#source === 'function' ? await this.#source() : this.#source;
    return (this.#onDemand ??= this.buildOnDemand(module));
  }

  private buildOnDemand(module: OnDemandModule): OnDemandServices {
    return new module.OnDemandServices({ config: this.config, home: this.home, db: this.db, events: this.events, projects: this.projects, isProcessAlive });
  }

  private handlers(): ApiHandlers {
    const { config, home, use } = this;
    return {
      'app:info': async () => ({ version: config.version, home, canChooseFolder: !!config.chooseFolder }),
      'app:chooseFolder': async ({ title }) => {
        if (!config.chooseFolder) throw new AppError('invalid-request', 'There is no folder dialog here: type the folder path');
        return { path: await config.chooseFolder(title ?? 'Choose a folder') };
      },
      'machine:backends': async () => (await this.onDemand()).machineBackends(),
      'projects:list': async () => this.projects.list(),
      'projects:add': async ({ source, depth, destination, inPlace }) =>
        this.addProject(source, { ...(depth ? { depth } : {}), ...(destination ? { destination } : {}), ...(inPlace ? { inPlace } : {}) }),
      'projects:deepen': async ({ projectId }) => this.projects.deepen(projectId),
      'projects:get': async ({ projectId }) => this.projects.get(projectId),
      'projects:cancelClone': async ({ projectId }) => ({ cancelled: this.projects.cancelClone(projectId) }),
      'projects:commits': async ({ projectId, limit }) => this.projects.commits(projectId, limit),
      'projects:contributors': async ({ projectId }) => this.projects.contributors(projectId),
      'projects:gitStatus': async ({ projectId, fetch }) => this.projects.gitStatus(projectId, fetch),
      'projects:pull': async ({ projectId, discardLocalChanges }) => this.projects.pull(projectId, discardLocalChanges),
      'projects:branches': async ({ projectId }) => {
        const b = await this.projects.branches(projectId);
        return { current: b.current, local: [...b.local], remote: [...b.remote] };
      },
      'projects:switchBranch': async ({ projectId, branch, discardLocalChanges }) => this.projects.switchBranch(projectId, branch, discardLocalChanges),
      'projects:checkout': async ({ projectId, revision, discardLocalChanges }) => this.projects.checkout(projectId, revision, discardLocalChanges),
      'projects:manifest': async ({ projectId }) => (await use.training()).manifestInfo(projectId),
      'setup:detect': async ({ projectId, answers }) => (await use.setup()).detect(projectId, answers),
      'setup:write': async ({ projectId, manifest, intoRepository }) => (await use.setup()).write(projectId, manifest, { intoRepository }),
      'training:start': async ({ projectId, epochs, backend, evaluate }) =>
        (await (await use.training()).start(projectId, { ...(epochs ? { epochs } : {}), ...(backend ? { backend } : {}), ...(evaluate ? { evaluate } : {}) })).run,
      'training:cancel': async ({ runId }) => (await use.training()).cancel(runId),
      'training:measure': async ({ projectId }) => ({ started: (await use.training()).measureInBackground(projectId) }),
      'trainer:claim': async ({ jobId }) => (await use.training()).claimJob(jobId),
      'trainer:report': async ({ jobId, message }) => ({ accepted: (await use.training()).reportJob(jobId, message) }),
      'runs:list': async ({ projectId }) => (await use.training()).list(projectId),
      'runs:delete': async ({ runId }) => (await use.runs()).delete(runId),
      'projects:remove': async ({ projectId }) => (await use.runs()).removeProject(projectId),
      'projects:diskUse': async ({ projectId }) => (await use.runs()).diskUse(projectId),
      'catalog:search': async (query) => this.catalogs.search(query),
      'catalog:list': async () => this.catalogs.listCatalogs(),
      'catalog:add': async ({ url }) => this.catalogs.addCatalog(url),
      'catalog:refresh': async ({ catalogId }) => this.catalogs.refreshCatalog(catalogId),
      'catalog:remove': async ({ catalogId }) => (await this.catalogs.removeCatalog(catalogId), { removed: true }),
      'hub:settings': async () => (await use.hub()).settings(),
      'hub:setEnabled': async ({ enabled }) => (await use.hub()).setEnabled(enabled),
      'hub:setToken': async ({ token }) => (await use.hub()).setToken(token),
      'hub:search': async (query) => (await use.hub()).search(query),
      'hub:cancel': async () => ({ cancelled: (await use.hub()).cancel() }),
      'impact:analyze': async ({ projectId, ...options }) => (await use.impact()).analyze(projectId, options),
      'impact:model': async ({ projectId, ...request }) => (await use.impact()).analyzeModel(projectId, request),
      'impact:bisect': async ({ projectId, ...request }) => (await use.impact()).bisectModel(projectId, request),
      'impact:lastModel': async ({ projectId }) => (await use.impact()).lastModel(projectId),
      'impact:cancelModel': async ({ projectId }) => (await use.impact()).cancelModel(projectId),
      'impact:identities': async ({ projectId }) => (await use.impact()).identityOverrides(projectId),
      'impact:merge': async ({ projectId, identities }) => (await use.impact()).merge(projectId, identities),
      'impact:split': async ({ projectId, identity }) => (await use.impact()).split(projectId, identity),
      'impact:categoryRules': async ({ projectId }) => (await use.impact()).rules(projectId),
      'impact:setCategoryRules': async ({ projectId, rules }) => ({ rules: (await use.impact()).setRules(projectId, rules) }),
      'forge:status': async ({ projectId }) => (await use.forge()).status(projectId),
      'forge:connect': async ({ projectId, ...request }) => (await use.forge()).connect(projectId, request),
      'forge:sync': async ({ projectId }) => (await use.forge()).sync(projectId),
    };
  }
}

