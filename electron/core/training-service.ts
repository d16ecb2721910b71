// Starts training runs — in a Node training process or a Chromium context, chosen by the backend or by measuring —
// records every epoch as it arrives, and ends runs exactly once.
import crypto from 'node:crypto';
import path from 'node:path';
import type { ManifestInfo, Run, TrainerReport } from '../../shared/contract.js';
import type { Manifest } from '../../shared/manifest.js';
import { AppError } from './app-error.js';
import type { EventBus } from './event-bus.js';
import { readHead } from './git/read-history.js';
import type { ProjectsService } from './projects-service.js';
import type { RunsRepository } from './store/runs-repository.js';
import { probeCacheKey, probeSignature, readProbeCache, writeProbeCache } from './training/backend-probe.js';
import type { ChromiumTrainerBroker } from './training/chromium-trainer-broker.js';
import { loadTabularData } from './training/data/index.js';
import { loadImageFolderData } from './training/data/image-folder.js';
import { loadManifest } from './training/load-manifest.js';
import type { TrainingData } from './training/train-on-data.js';
import { launchTrainer, type TrainerHandle, type TrainerHandlers, type TrainerOutcome, type TrainerScript } from './training/trainer-launcher.js';
import { chromiumBackends, isChromiumBackend, type ChromiumBackendName, type ProbeFigure, type RunBackendChoice } from './training/trainer-protocol.js';

export interface StartOptions {
  readonly epochs?: number;
  readonly backend?: RunBackendChoice;
}

interface RunState {
  /** The process or Chromium context training it now (an `auto` run may pass from one to the other). */
  handle: TrainerHandle | null;
  cancelled: boolean;
}

interface ActiveRun {
  readonly state: RunState;
  readonly finished: Promise<Run>;
}

export class TrainingService {
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly runs: RunsRepository,
    private readonly projects: ProjectsService,
    private readonly events: EventBus,
    /** Where each run's trained model is kept: <runsDir>/<runId>/model. */
    private readonly runsDir: string,
    /** Where `auto`'s backend probes are cached. */
    private readonly probeCacheFile: string,
    /** Chromium contexts (hidden window, `serve` page) for WebGPU/WebGL. */
    private readonly chromium: ChromiumTrainerBroker,
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

  /**
   * Starts a run and returns it at once; `finished` resolves with the run as it ended. WebGPU/WebGL runs train in a
   * Chromium context, the rest in a Node training process; `auto` measures both kinds and trains on the fastest.
   */
  async start(projectId: string, options: StartOptions = {}): Promise<{ run: Run; finished: Promise<Run> }> {
    const project = this.projects.requireReady(projectId);
    const loaded = loadManifest(project.path);
    const manifest = options.epochs ? { ...loaded, training: { ...loaded.training, epochs: options.epochs } } : loaded;
    const backend = options.backend ?? 'auto';
    if (isChromiumBackend(backend)) {
      if (!manifest.model.layers) throw new AppError('training', modelByFileMessage(backend));
      const why = this.chromium.unavailable();
      if (why) throw new AppError('training', `The ${backend} backend is not available here: ${why}`);
    }
    const commit = await readHead(project.path);
    const id = crypto.randomUUID();
    const run = this.runs.insert({ id, projectId, commit, backend, task: manifest.task, epochs: manifest.training.epochs }, process.pid);
    const checkpointDir = path.join(this.runsDir, id, 'model');
    const handlers: TrainerHandlers = {
      onStarted: (info) => this.runs.setBackend(id, info.backend, info.device, info.probes),
      onBatch: (p) => this.events.emit('training:batch', { runId: id, projectId, ...p }),
      onEpoch: (record) => {
        this.runs.appendEpoch(id, record);
        this.events.emit('training:progress', { runId: id, projectId, epochs: manifest.training.epochs, record });
      },
    };
    const state: RunState = { handle: null, cancelled: false };
    const inChromium = async (chosen: ChromiumBackendName, probes: ProbeFigure[], data?: TrainingData | null): Promise<TrainerOutcome> => {
      const loadedData = data ?? (await loadTrainingData(project.path, manifest));
      if (state.cancelled) return { kind: 'cancelled' };
      const withProbes: TrainerHandlers = { ...handlers, onStarted: (info) => handlers.onStarted?.({ ...info, probes: info.probes?.length ? info.probes : probes }) };
      state.handle = this.chromium.launch({ manifest, data: loadedData, backend: chosen, checkpointDir }, withProbes);
      return state.handle.outcome;
    };
    const drive = async (): Promise<TrainerOutcome> => {
      if (isChromiumBackend(backend)) return inChromium(backend, []);
      // `auto` also weighs Chromium's backends when a context can take the job and the model is declared inline.
      const rivals = backend === 'auto' && manifest.model.layers ? await this.chromiumRivals(project.path, manifest) : null;
      if (state.cancelled) return { kind: 'cancelled' };
      state.handle = launchTrainer(
        { repoDir: project.path, manifest, backend, checkpointDir, probeCacheFile: this.probeCacheFile, rivals: rivals?.probes ?? [] },
        handlers,
        this.trainerScript,
      );
      const outcome = await state.handle.outcome;
      if (outcome.kind !== 'handoff') return outcome;
      this.runs.setBackend(id, outcome.backend, 'a Chromium context', outcome.probes);
      return inChromium(outcome.backend, outcome.probes, rivals?.data);
    };
    const finished = drive()
      .catch((err: unknown): TrainerOutcome => ({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }))
      .then((outcome) => {
        this.active.delete(id);
        const ended =
          outcome.kind === 'done'
            ? this.runs.finish(id, { status: 'succeeded', ...outcome.result, checkpoint: outcome.result.checkpointDir })
            : outcome.kind === 'cancelled' || state.cancelled
              ? this.runs.finish(id, { status: 'cancelled', error: 'Cancelled' })
              : this.runs.finish(id, { status: 'failed', error: outcome.kind === 'failed' ? outcome.message : 'The run ended without a result' });
        const final = ended ?? this.get(id);
        this.events.emit('training:finished', final);
        return final;
      });
    this.active.set(id, { state, finished });
    return { run, finished };
  }

  /**
   * What Chromium's backends measure on this model (cached per machine and model, like the Node probes), with the
   * data loaded for it; unmeasured, with the reason, when no context can take the probe.
   */
  private async chromiumRivals(repoDir: string, manifest: Manifest): Promise<{ probes: ProbeFigure[]; data: TrainingData | null }> {
    const why = this.chromium.unavailable();
    if (why) return { probes: chromiumBackends.map((b) => ({ backend: b, device: null, samplesPerSecond: null, reason: why })), data: null };
    const data = await loadTrainingData(repoDir, manifest);
    const classes = manifest.task === 'classification' ? (data.labels?.length ?? null) : null;
    const key = `chromium:${probeCacheKey(probeSignature(manifest, data.nFeatures, classes))}`;
    const cached = readProbeCache(this.probeCacheFile, key);
    if (cached) return { probes: cached, data };
    const { probes, measured } = await this.chromium.probe(manifest, data, chromiumBackends);
    if (measured) writeProbeCache(this.probeCacheFile, key, probes);
    return { probes, data };
  }

  /** Jobs for Chromium contexts: a context takes one, then reports on it. */
  claimJob(jobId: string) {
    return this.chromium.claim(jobId);
  }

  reportJob(jobId: string, message: TrainerReport): boolean {
    return this.chromium.report(jobId, message);
  }

  async cancel(runId: string): Promise<Run> {
    const active = this.active.get(runId);
    if (!active) {
      const run = this.get(runId);
      if (run.status === 'running') throw new AppError('conflict', 'That run belongs to another ModelCommons window or process');
      return run;
    }
    active.state.cancelled = true;
    active.state.handle?.cancel();
    return active.finished;
  }

  cancelAll(): void {
    for (const { state } of this.active.values()) {
      state.cancelled = true;
      state.handle?.cancel();
    }
    this.chromium.closeAll();
  }
}

async function loadTrainingData(repoDir: string, manifest: Manifest): Promise<TrainingData> {
  return manifest.data.images
    ? loadImageFolderData(repoDir, { images: manifest.data.images, split: manifest.data.split, normalize: manifest.data.normalize })
    : loadTabularData(repoDir, manifest);
}

function modelByFileMessage(backend: string): string {
  return `A model given by file (keras or tfjs) trains in the training process for now, not on ${backend}: pick auto, wasm, cpu or tfjs-node`;
}
