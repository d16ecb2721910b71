// The composition root every host calls: opens the store, wires the services, and exposes the contract's handlers.
import path from 'node:path';
import { bundledName } from '../../shared/catalog.js';
import { AppError } from './app-error.js';
import type { ApiHandlers } from './api-dispatcher.js';
import { CatalogService } from './catalog/catalog-service.js';
import { ImpactService } from './impact-service.js';
import { describeMachineBackends } from './machine-backends.js';
import { createDispatcher, type Dispatch } from './api-dispatcher.js';
import { dataCacheSettings, ensureDataHome } from './data-home.js';
import { EventBus } from './event-bus.js';
import { ForgeService } from './forge/forge-service.js';
import { createTokenProvider, type TokenProvider } from './forge/token-provider.js';
import { ProjectsService } from './projects-service.js';
import { SetupService } from './setup/setup-service.js';
import { openDatabase, type Db } from './store/database.js';
import { ProjectsRepository } from './store/projects-repository.js';
import { RunsRepository } from './store/runs-repository.js';
import { RunsService } from './runs/runs-service.js';
import { TrainingService } from './training-service.js';
import { ChromiumTrainerBroker } from './training/chromium-trainer-broker.js';
import type { TrainerScript } from './training/trainer-launcher.js';

export interface ServicesConfig {
  /** The data folder (see resolveDataHome). */
  readonly home: string;
  readonly version: string;
  /** better-sqlite3 built for Electron's ABI, when the host is Electron. */
  readonly nativeBinding?: string;
  readonly trainerScript?: TrainerScript;
  /** The host's folder dialog (the desktop app's); absent where a path is typed instead. Null when cancelled. */
  readonly chooseFolder?: (title: string) => Promise<string | null>;
  /** The catalog that ships with the app (dist/bundled-catalog); null when this build has none. */
  readonly bundledCatalogDir?: string | null;
  /** Forge tokens: the desktop app's keychain-backed provider; default the environment plus memory. */
  readonly forgeTokens?: TokenProvider;
}

export interface Services {
  readonly home: string;
  readonly db: Db;
  readonly events: EventBus;
  readonly projects: ProjectsService;
  readonly training: TrainingService;
  /** Compare, export, delete runs; remove projects with their runs; disk use. */
  readonly runs: RunsService;
  /** Where the host says which Chromium contexts train WebGPU/WebGL jobs (see ChromiumTrainerBroker.useContexts). */
  readonly chromium: ChromiumTrainerBroker;
  readonly catalogs: CatalogService;
  readonly impact: ImpactService;
  readonly forge: ForgeService;
  readonly setup: SetupService;
  readonly dispatch: Dispatch;
  /** Adds a project from a git URL, a folder, or a catalog entry's URL (bundled:<name>). */
  addProject(source: string, options?: Parameters<ProjectsService['add']>[1]): Promise<ReturnType<ProjectsService['get']>>;
  close(): void;
}

export function createServices(config: ServicesConfig): Services {
  const home = ensureDataHome(config.home);
  const db = openDatabase(path.join(home, 'modelcommons.db'), config.nativeBinding ? { nativeBinding: config.nativeBinding } : {});
  const events = new EventBus();
  const projectsRepo = new ProjectsRepository(db);
  const runsRepo = new RunsRepository(db);
  runsRepo.failOrphanedRuns(isProcessAlive);

  const projects = new ProjectsService(projectsRepo, events, path.join(home, 'projects'));
  projects.failInterruptedClones(isProcessAlive);
  const probeCacheFile = path.join(home, 'backend-probes.json');
  const chromium = new ChromiumTrainerBroker(events);
  const training = new TrainingService(runsRepo, projects, events, path.join(home, 'runs'), probeCacheFile, chromium, config.trainerScript, dataCacheSettings(home));
  const runs = new RunsService(runsRepo, projects, path.join(home, 'runs'));
  const catalogs = new CatalogService(db, home, config.bundledCatalogDir ?? null);
  const impact = new ImpactService(db, projects, events);
  // Rate-limit waits and refused links are worth a line on stderr; the token is never in them.
  const forge = new ForgeService(db, projects, events, config.forgeTokens ?? createTokenProvider(), (line) => console.warn(line));
  const setup = new SetupService(projects);
  const cloneProject: Services['addProject'] = (source, options = {}) =>
    bundledName(source.trim()) !== null
      ? projects.add(source, { ...options, cloneUrl: catalogs.resolveCloneSource(source.trim()) })
      : projects.add(source, options);
  // A catalog entry with an overlay makes a repository without a manifest trainable: its commit, its manifest.
  const addProject: Services['addProject'] = async (source, options = {}) => {
    const entry = options.inPlace ? undefined : catalogs.search({}).hits.find((h) => h.entry.url === source.trim() && h.entry.overlay)?.entry;
    const project = await cloneProject(source, options);
    if (!entry?.overlay) return project;
    await projects.checkout(project.id, entry.overlay.commit, false);
    setup.write(project.id, entry.overlay.manifest);
    return projects.get(project.id);
  };

  const handlers: ApiHandlers = {
    'app:info': async () => ({ version: config.version, home, canChooseFolder: !!config.chooseFolder }),
    'app:chooseFolder': async ({ title }) => {
      if (!config.chooseFolder) throw new AppError('invalid-request', 'There is no folder dialog here: type the folder path');
      return { path: await config.chooseFolder(title ?? 'Choose a folder') };
    },
    'machine:backends': async () => describeMachineBackends(probeCacheFile, chromium.unavailable()),
    'projects:list': async () => projects.list(),
    'projects:add': async ({ source, depth, destination, inPlace }) =>
      addProject(source, { ...(depth ? { depth } : {}), ...(destination ? { destination } : {}), ...(inPlace ? { inPlace } : {}) }),
    'projects:deepen': async ({ projectId }) => projects.deepen(projectId),
    'projects:get': async ({ projectId }) => projects.get(projectId),
    'projects:cancelClone': async ({ projectId }) => ({ cancelled: projects.cancelClone(projectId) }),
    'projects:commits': async ({ projectId, limit }) => projects.commits(projectId, limit),
    'projects:contributors': async ({ projectId }) => projects.contributors(projectId),
    'projects:gitStatus': async ({ projectId, fetch }) => projects.gitStatus(projectId, fetch),
    'projects:pull': async ({ projectId, discardLocalChanges }) => projects.pull(projectId, discardLocalChanges),
    'projects:branches': async ({ projectId }) => {
      const b = await projects.branches(projectId);
      return { current: b.current, local: [...b.local], remote: [...b.remote] };
    },
    'projects:switchBranch': async ({ projectId, branch, discardLocalChanges }) =>
      projects.switchBranch(projectId, branch, discardLocalChanges),
    'projects:checkout': async ({ projectId, revision, discardLocalChanges }) =>
      projects.checkout(projectId, revision, discardLocalChanges),
    'projects:manifest': async ({ projectId }) => training.manifestInfo(projectId),
    'setup:detect': async ({ projectId, answers }) => setup.detect(projectId, answers),
    'setup:write': async ({ projectId, manifest, intoRepository }) => setup.write(projectId, manifest, { intoRepository }),
    'training:start': async ({ projectId, epochs, backend, evaluate }) =>
      (await training.start(projectId, { ...(epochs ? { epochs } : {}), ...(backend ? { backend } : {}), ...(evaluate ? { evaluate } : {}) })).run,
    'training:cancel': async ({ runId }) => training.cancel(runId),
    'training:measure': async ({ projectId }) => ({ started: training.measureInBackground(projectId) }),
    'trainer:claim': async ({ jobId }) => training.claimJob(jobId),
    'trainer:report': async ({ jobId, message }) => ({ accepted: training.reportJob(jobId, message) }),
    'runs:list': async ({ projectId }) => training.list(projectId),
    'runs:delete': async ({ runId }) => runs.delete(runId),
    'projects:remove': async ({ projectId }) => runs.removeProject(projectId),
    'projects:diskUse': async ({ projectId }) => runs.diskUse(projectId),
    'catalog:search': async (query) => catalogs.search(query),
    'catalog:list': async () => catalogs.listCatalogs(),
    'catalog:add': async ({ url }) => catalogs.addCatalog(url),
    'catalog:refresh': async ({ catalogId }) => catalogs.refreshCatalog(catalogId),
    'catalog:remove': async ({ catalogId }) => (await catalogs.removeCatalog(catalogId), { removed: true }),
    'impact:analyze': async ({ projectId, ...options }) => impact.analyze(projectId, options),
    'impact:model': async ({ projectId, ...request }) => impact.analyzeModel(projectId, request),
    'impact:bisect': async ({ projectId, ...request }) => impact.bisectModel(projectId, request),
    'impact:cancelModel': async ({ projectId }) => impact.cancelModel(projectId),
    'impact:identities': async ({ projectId }) => impact.identityOverrides(projectId),
    'impact:merge': async ({ projectId, identities }) => impact.merge(projectId, identities),
    'impact:split': async ({ projectId, identity }) => impact.split(projectId, identity),
    'impact:categoryRules': async ({ projectId }) => impact.rules(projectId),
    'impact:setCategoryRules': async ({ projectId, rules }) => ({ rules: impact.setRules(projectId, rules) }),
    'forge:status': async ({ projectId }) => forge.status(projectId),
    'forge:connect': async ({ projectId, ...request }) => forge.connect(projectId, request),
    'forge:sync': async ({ projectId }) => forge.sync(projectId),
  };

  return {
    home,
    db,
    events,
    projects,
    training,
    runs,
    chromium,
    catalogs,
    impact,
    forge,
    setup,
    addProject,
    dispatch: createDispatcher(handlers),
    close() {
      projects.cancelAll();
      training.cancelAll();
      catalogs.cancelAll();
      impact.cancelAll();
      forge.cancelAll();
      db.close();
    },
  };
}

function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
