// The services a host needs only for some requests (training, runs, impact, forge, set-up, the Chromium broker, the
// Hugging Face Hub source): this module loads when one of them is first asked for, and each service is built on its
// first use, so listing projects or searching the catalogs never loads (or builds) them.
import path from 'node:path';
import { HubSource } from './catalog/hub-source.js';
import { dataCacheSettings } from './data-home.js';
import type { EventBus } from './event-bus.js';
import { ForgeService } from './forge/forge-service.js';
import { createTokenProvider } from './forge/token-provider.js';
import { ImpactService } from './impact-service.js';
import { describeMachineBackends } from './machine-backends.js';
import type { ProjectsService } from './projects-service.js';
import { RunsService } from './runs/runs-service.js';
import type { ServicesConfig } from './services-config.js';
import { SetupService } from './setup/setup-service.js';
import type { Db } from './store/database.js';
import { RunsRepository } from './store/runs-repository.js';
import { TrainingService } from './training-service.js';
import { ChromiumTrainerBroker } from './training/chromium-trainer-broker.js';

/** What the on-demand services are built from: the always-present part of the graph. */
export interface CoreContext {
  readonly config: ServicesConfig;
  readonly home: string;
  readonly db: Db;
  readonly events: EventBus;
  readonly projects: ProjectsService;
  readonly isProcessAlive: (pid: number) => boolean;
}

export class OnDemandServices {
  readonly #ctx: CoreContext;
  readonly #runsRepo: RunsRepository;
  #chromium?: ChromiumTrainerBroker;
  #training?: TrainingService;
  #runs?: RunsService;
  #impact?: ImpactService;
  #forge?: ForgeService;
  #setup?: SetupService;
  #hub?: HubSource;

  constructor(ctx: CoreContext) {
    this.#ctx = ctx;
    this.#runsRepo = new RunsRepository(ctx.db);
    // Runs left "running" by a process that is gone: failed before any of these services reads them.
    this.#runsRepo.failOrphanedRuns(ctx.isProcessAlive);
  }

  get probeCacheFile(): string {
    return path.join(this.#ctx.home, 'backend-probes.json');
  }

  get chromium(): ChromiumTrainerBroker {
    return (this.#chromium ??= new ChromiumTrainerBroker(this.#ctx.events));
  }

  get training(): TrainingService {
    const { home, config, events, projects } = this.#ctx;
    return (this.#training ??= new TrainingService(this.#runsRepo, projects, events, path.join(home, 'runs'), this.probeCacheFile, this.chromium, config.trainerScript, dataCacheSettings(home)));
  }

  get runs(): RunsService {
    return (this.#runs ??= new RunsService(this.#runsRepo, this.#ctx.projects, path.join(this.#ctx.home, 'runs')));
  }

  get impact(): ImpactService {
    return (this.#impact ??= new ImpactService(this.#ctx.db, this.#ctx.projects, this.#ctx.events));
  }

  get forge(): ForgeService {
    const { db, projects, events, config } = this.#ctx;
    // Rate-limit waits and refused links are worth a line on stderr; the token is never in them.
    return (this.#forge ??= new ForgeService(db, projects, events, config.forgeTokens ?? createTokenProvider(), (line) => console.warn(line)));
  }

  get setup(): SetupService {
    return (this.#setup ??= new SetupService(this.#ctx.projects));
  }

  /** The Hugging Face Hub as a browse source (reached only once the user turns it on). */
  get hub(): HubSource {
    return (this.#hub ??= new HubSource(this.#ctx.db));
  }

  machineBackends() {
    return describeMachineBackends(this.probeCacheFile, this.chromium.unavailable());
  }

  /** Stops the work of the services built so far (the others have none). */
  cancelAll(): void {
    this.#training?.cancelAll();
    this.#impact?.cancelAll();
    this.#forge?.cancelAll();
    this.#hub?.cancelAll();
  }
}
