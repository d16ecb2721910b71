// Starts training runs in a training process, records every epoch as it arrives, and ends runs exactly once.
import crypto from 'node:crypto';
import path from 'node:path';
import type { BrowserTrainingData, ManifestInfo, Run, TrainerReport } from '../../shared/contract.js';
import type { Manifest } from '../../shared/manifest.js';
import { AppError } from './app-error.js';
import type { EventBus } from './event-bus.js';
import { readHead } from './git/read-history.js';
import type { ProjectsService } from './projects-service.js';
import type { RunsRepository } from './store/runs-repository.js';
import { loadTabularData } from './training/data/index.js';
import { loadImageFolderData } from './training/data/image-folder.js';
import { loadManifest } from './training/load-manifest.js';
import { toPlainTrainingData } from './training/train-on-data.js';
import { launchTrainer, type TrainerHandle, type TrainerScript } from './training/trainer-launcher.js';
import type { BackendChoice } from './training/trainer-protocol.js';

export interface StartOptions {
  readonly epochs?: number;
  readonly backend?: BackendChoice;
}

/** A browser that stops reporting on its run for this long has gone (tab closed, machine asleep): the run fails. */
export const BROWSER_SILENCE_MS = 60_000;

export class TrainingService {
  private readonly active = new Map<string, { handle: TrainerHandle; finished: Promise<Run> }>();
  /** Runs trained by a browser, and when each last reported. */
  private readonly browserRuns = new Map<string, { projectId: string; epochs: number; lastReport: number }>();
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    private readonly runs: RunsRepository,
    private readonly projects: ProjectsService,
    private readonly events: EventBus,
    /** Where each run's trained model is kept: <runsDir>/<runId>/model. */
    private readonly runsDir: string,
    /** Where `auto`'s backend probes are cached. */
    private readonly probeCacheFile: string,
    private readonly trainerScript?: TrainerScript,
  ) {}

  manifestInfo(projectId: string): ManifestInfo {
    const project = this.projects.requireReady(projectId);
    try {
      const m = loadManifest(project.path);
      return { found: true, error: null, name: m.name, task: m.task, layers: m.model.layers?.length ?? null, epochs: m.training.epochs };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const missing = /has no modelcommons\.json/.test(message);
      return { found: !missing, error: message, name: null, task: null, layers: null, epochs: null };
    }
  }

  list(projectId: string): Run[] {
    this.projects.get(projectId);
    return this.runs.listForProject(projectId);
  }

  get(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new AppError('not-found', `No run with id ${runId}`);
    return run;
  }

  /** Starts a run and returns it at once; `finished` resolves with the run as it ended. */
  async start(projectId: string, options: StartOptions = {}): Promise<{ run: Run; finished: Promise<Run> }> {
    const project = this.projects.requireReady(projectId);
    const loaded = loadManifest(project.path);
    const manifest = options.epochs ? { ...loaded, training: { ...loaded.training, epochs: options.epochs } } : loaded;
    const commit = await readHead(project.path);
    const backend = options.backend ?? 'auto';
    const id = crypto.randomUUID();
    const run = this.runs.insert(
      { id, projectId, commit, backend, task: manifest.task, epochs: manifest.training.epochs },
      process.pid,
    );

    const checkpointDir = path.join(this.runsDir, id, 'model');
    const handle = launchTrainer(
      { repoDir: project.path, manifest, backend, checkpointDir, probeCacheFile: this.probeCacheFile },
      {
        onStarted: (info) => this.runs.setBackend(id, info.backend, info.device, info.probes),
        onBatch: (p) => this.events.emit('training:batch', { runId: id, projectId, ...p }),
        onEpoch: (record) => {
          this.runs.appendEpoch(id, record);
          this.events.emit('training:progress', { runId: id, projectId, epochs: manifest.training.epochs, record });
        },
      },
      this.trainerScript,
    );
    const finished = handle.outcome.then((outcome) => {
      this.active.delete(id);
      const ended =
        outcome.kind === 'done'
          ? this.runs.finish(id, { status: 'succeeded', ...outcome.result, checkpoint: outcome.result.checkpointDir })
          : outcome.kind === 'cancelled'
            ? this.runs.finish(id, { status: 'cancelled', error: 'Cancelled' })
            : this.runs.finish(id, { status: 'failed', error: outcome.message });
      const final = ended ?? this.get(id);
      this.events.emit('training:finished', final);
      return final;
    });
    this.active.set(id, { handle, finished });
    return { run, finished };
  }

  /**
   * Opens a run that a browser trains (WebGL/WebGPU): records it, loads the data here (paths never reach the page)
   * and returns it with the manifest. The browser then reports each trainer-protocol message with `report`.
   */
  async startInBrowser(
    projectId: string,
    backend: 'webgl' | 'webgpu',
    epochs?: number,
  ): Promise<{ run: Run; manifest: Manifest; data: BrowserTrainingData }> {
    const project = this.projects.requireReady(projectId);
    const loaded = loadManifest(project.path);
    const manifest = epochs ? { ...loaded, training: { ...loaded.training, epochs } } : loaded;
    if (!manifest.model.layers) {
      throw new AppError('training', 'A model given by file (keras or tfjs) trains in the training process for now: pick another backend');
    }
    const data = manifest.data.images
      ? await loadImageFolderData(project.path, { images: manifest.data.images, split: manifest.data.split, normalize: manifest.data.normalize })
      : await loadTabularData(project.path, manifest);
    const commit = await readHead(project.path);
    const id = crypto.randomUUID();
    const run = this.runs.insert({ id, projectId, commit, backend, task: manifest.task, epochs: manifest.training.epochs }, process.pid);
    this.browserRuns.set(id, { projectId, epochs: manifest.training.epochs, lastReport: Date.now() });
    this.startWatchdog();
    return {
      run,
      manifest,
      data: toPlainTrainingData(data),
    };
  }

  /** Records what a browser's trainer says about its run; false when the run is not one a browser is training. */
  report(runId: string, message: TrainerReport): boolean {
    const browser = this.browserRuns.get(runId);
    if (!browser) return false;
    browser.lastReport = Date.now();
    const { projectId, epochs } = browser;
    switch (message.kind) {
      case 'started':
        this.runs.setBackend(runId, message.backend, message.device, message.probes ?? []);
        return true;
      case 'batch':
        this.events.emit('training:batch', { runId, projectId, ...message.progress });
        return true;
      case 'epoch':
        this.runs.appendEpoch(runId, message.record);
        this.events.emit('training:progress', { runId, projectId, epochs, record: message.record });
        return true;
      default:
        this.browserRuns.delete(runId);
        this.endBrowserRun(
          runId,
          message.kind === 'done'
            ? { status: 'succeeded', ...message.result }
            : message.kind === 'cancelled'
              ? { status: 'cancelled', error: 'Cancelled' }
              : { status: 'failed', error: message.message },
        );
        return true;
    }
  }

  private endBrowserRun(runId: string, outcome: Parameters<RunsRepository['finish']>[1]): void {
    const ended = this.runs.finish(runId, outcome) ?? this.get(runId);
    this.events.emit('training:finished', ended);
    if (!this.browserRuns.size && this.watchdog) {
      clearInterval(this.watchdog);
      this.watchdog = null;
    }
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const [runId, run] of this.browserRuns) {
        if (now - run.lastReport < BROWSER_SILENCE_MS) continue;
        this.browserRuns.delete(runId);
        this.endBrowserRun(runId, { status: 'failed', error: 'The browser that was training this run stopped reporting (closed or asleep)' });
      }
    }, 5_000);
    this.watchdog.unref();
  }

  async cancel(runId: string): Promise<Run> {
    if (this.browserRuns.delete(runId)) {
      // The browser that trains it hears `training:finished` and stops its worker.
      this.endBrowserRun(runId, { status: 'cancelled', error: 'Cancelled' });
      return this.get(runId);
    }
    const active = this.active.get(runId);
    if (!active) {
      const run = this.get(runId);
      if (run.status === 'running') throw new AppError('conflict', 'That run belongs to another ModelCommons window or process');
      return run;
    }
    active.handle.cancel();
    return active.finished;
  }

  cancelAll(): void {
    for (const { handle } of this.active.values()) handle.cancel();
    if (this.watchdog) clearInterval(this.watchdog);
  }
}
