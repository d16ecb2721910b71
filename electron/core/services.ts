// The composition root every host calls: opens the store, wires the services, and exposes the contract's handlers.
import path from 'node:path';
import type { ApiHandlers } from './api-dispatcher.js';
import { createDispatcher, type Dispatch } from './api-dispatcher.js';
import { ensureDataHome } from './data-home.js';
import { EventBus } from './event-bus.js';
import { ProjectsService } from './projects-service.js';
import { openDatabase, type Db } from './store/database.js';
import { ProjectsRepository } from './store/projects-repository.js';
import { RunsRepository } from './store/runs-repository.js';
import { TrainingService } from './training-service.js';
import type { TrainerScript } from './training/trainer-launcher.js';

export interface ServicesConfig {
  /** The data folder (see resolveDataHome). */
  readonly home: string;
  readonly version: string;
  /** better-sqlite3 built for Electron's ABI, when the host is Electron. */
  readonly nativeBinding?: string;
  readonly trainerScript?: TrainerScript;
}

export interface Services {
  readonly home: string;
  readonly db: Db;
  readonly events: EventBus;
  readonly projects: ProjectsService;
  readonly training: TrainingService;
  readonly dispatch: Dispatch;
  close(): void;
}

export function createServices(config: ServicesConfig): Services {
  const home = ensureDataHome(config.home);
  const db = openDatabase(path.join(home, 'modelcommons.db'), config.nativeBinding ? { nativeBinding: config.nativeBinding } : {});
  const events = new EventBus();
  const projectsRepo = new ProjectsRepository(db);
  const runsRepo = new RunsRepository(db);
  projectsRepo.failOrphanedClones(isProcessAlive);
  runsRepo.failOrphanedRuns(isProcessAlive);

  const projects = new ProjectsService(projectsRepo, events, path.join(home, 'projects'));
  const training = new TrainingService(runsRepo, projects, events, path.join(home, 'runs'), config.trainerScript);

  const handlers: ApiHandlers = {
    'app:info': async () => ({ version: config.version, home }),
    'projects:list': async () => projects.list(),
    'projects:add': async ({ source }) => projects.add(source),
    'projects:get': async ({ projectId }) => projects.get(projectId),
    'projects:cancelClone': async ({ projectId }) => ({ cancelled: projects.cancelClone(projectId) }),
    'projects:commits': async ({ projectId, limit }) => projects.commits(projectId, limit),
    'projects:contributors': async ({ projectId }) => projects.contributors(projectId),
    'projects:manifest': async ({ projectId }) => training.manifestInfo(projectId),
    'training:start': async ({ projectId, epochs, backend }) =>
      (await training.start(projectId, { ...(epochs ? { epochs } : {}), ...(backend ? { backend } : {}) })).run,
    'training:cancel': async ({ runId }) => training.cancel(runId),
    'runs:list': async ({ projectId }) => training.list(projectId),
  };

  return {
    home,
    db,
    events,
    projects,
    training,
    dispatch: createDispatcher(handlers),
    close() {
      projects.cancelAll();
      training.cancelAll();
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
