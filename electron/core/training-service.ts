// Starts training runs — in a Node training process or a Chromium context, chosen by the backend or by measuring —
// records every epoch as it arrives, and ends runs exactly once.
import crypto from 'node:crypto';
import path from 'node:path';
import { CHROMIUM_BACKENDS, isChromiumBackend, type ChromiumBackend, type RunBackendChoice } from '../../shared/backends.js';
import type { ManifestInfo, Run, TrainerReport, TrainingPhase } from '../../shared/contract.js';
import type { Manifest } from '../../shared/manifest.js';
import { AppError } from './app-error.js';
import { chooseAuto, type AutoChoice } from './training/auto-backend.js';
import type { EventBus } from './event-bus.js';
import { readHead } from './git/read-history.js';
import type { ProjectsService } from './projects-service.js';
import type { RunsRepository } from './store/runs-repository.js';
import { runKeyOf } from './runs/run-key.js';
import { probeCacheKey, probeSignature, readProbeCache, writeProbeCache } from './training/probe-cache.js';
import type { ChromiumTrainerBroker } from './training/chromium-trainer-broker.js';
import { loadThroughCache } from './training/data/data-cache.js';
import { loadManifest, loadManifestWithSource } from './training/load-manifest.js';
import { shipsWeights } from './training/model-sources/ships-weights.js';
import type { TrainingData } from './training/portable/train-on-data.js';
import { launchTrainer, type TrainerHandle, type TrainerHandlers, type TrainerOutcome, type TrainerScript } from './training/trainer-launcher.js';
import type { DataCacheSettings, ProbeFigure } from './training/portable/trainer-protocol.js';

export interface StartOptions {
  readonly epochs?: number;
  readonly backend?: RunBackendChoice;
  /** Evaluate the shipped model without training (model.evaluate). */
  readonly evaluate?: boolean;
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
  /** Background measurements in flight, per project: an `auto` run of that project waits for its own, a forced one stops it. */
  private readonly measuring = new Map<string, { readonly done: Promise<void>; stop(): void }>();
  /** Model shapes measured (or being measured) by this process: each is measured once, then read from the cache. */
  private readonly measured = new Set<string>();

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
    /** Where loaded data is cached per input content, for the training process and for Chromium jobs alike. */
    private readonly dataCache?: DataCacheSettings,
  ) {}

  manifestInfo(projectId: string): ManifestInfo {
    const project = this.projects.requireReady(projectId);
    try {
      const { manifest: m, source } = loadManifestWithSource(project.path, this.projects.overlayFile(project.id));
      return { found: true, error: null, name: m.name, task: m.task, layers: m.model.layers?.length ?? null, epochs: m.training.epochs, source, primaryMetric: m.metrics?.primary ?? (m.task === 'classification' ? 'accuracy' : 'r2'), shippedWeights: shipsWeights(project.path, m) };
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
    // A repository without a manifest trains from the one set up for it in the data folder (modelcommons init).
    const loaded = loadManifest(project.path, this.projects.overlayFile(project.id));
    const trained = options.epochs ? { ...loaded, training: { ...loaded.training, epochs: options.epochs } } : loaded;
    const manifest = options.evaluate ? { ...trained, model: { ...trained.model, evaluate: true } } : trained;
    const backend = options.backend ?? 'auto';
    if (isChromiumBackend(backend)) {
      if (!manifest.model.layers) throw new AppError('training', modelByFileMessage(backend));
      const why = this.chromium.unavailable();
      if (why) throw new AppError('training', `The ${backend} backend is not available here: ${why}`);
    }
    const commit = await readHead(project.path);
    const id = crypto.randomUUID();
    const key = await runKeyOf(project.path, manifest);
    // An evaluation of the shipped model runs no epoch.
    const run = this.runs.insert({ id, projectId, commit, backend, task: manifest.task, epochs: manifest.model.evaluate ? 0 : manifest.training.epochs }, process.pid, key);
    const checkpointDir = path.join(this.runsDir, id, 'model');
    const handlers: TrainerHandlers = {
      onStarted: (info) => {
        this.runs.setBackend(id, info.backend, info.device, info.probes, info);
        // Its device and warnings are on screen while it trains, not only once it ends.
        this.events.emit('training:started', this.get(id));
      },
      onPhase: (phase) => this.events.emit('training:phase', { runId: id, projectId, ...phase }),
      onBatch: (p) => this.events.emit('training:batch', { runId: id, projectId, ...p }),
      onEpoch: (record) => {
        this.runs.appendEpoch(id, record);
        this.events.emit('training:progress', { runId: id, projectId, epochs: manifest.training.epochs, record });
      },
    };
    const state: RunState = { handle: null, cancelled: false };
    const inChromium = async (chosen: ChromiumBackend, probes: ProbeFigure[], data?: TrainingData | null): Promise<TrainerOutcome> => {
      const loadedData = data ?? (await loadTrainingData(project.path, manifest, this.dataCache));
      if (state.cancelled) return { kind: 'cancelled' };
      const withProbes: TrainerHandlers = { ...handlers, onStarted: (info) => handlers.onStarted?.({ ...info, probes: info.probes?.length ? info.probes : probes }) };
      state.handle = this.chromium.launch({ manifest, data: loadedData, backend: chosen, checkpointDir }, withProbes);
      return state.handle.outcome;
    };
    const drive = async (): Promise<TrainerOutcome> => {
      const pending = this.measuring.get(projectId);
      // The background measurement of this model is under way: an `auto` run waits for the figures it will choose
      // by; a forced backend needs none, and two trainings on the same cores would skew both, so it stops.
      if (pending && backend !== 'auto') pending.stop();
      if (pending) {
        if (backend === 'auto') handlers.onPhase?.({ step: 'measuring', backend: 'in the background', done: 0, total: 0 });
        await pending.done;
      }
      if (isChromiumBackend(backend)) return inChromium(backend, []);
      // `auto` also weighs Chromium's backends when a context can take the job and the model is declared inline:
      // measured here first, then the training process measures its own and asks which to train on.
      const chromium = backend === 'auto' && manifest.model.layers ? await this.chromiumFigures(project.path, manifest, handlers.onPhase) : null;
      if (state.cancelled) return { kind: 'cancelled' };
      const decided: { choice?: AutoChoice } = {};
      state.handle = launchTrainer(
        {
          repoDir: project.path,
          manifest,
          backend,
          checkpointDir,
          probeCacheFile: this.probeCacheFile,
          ...(backend === 'auto' ? { askBackend: true as const } : {}),
          ...(this.dataCache ? { dataCache: this.dataCache } : {}),
        },
        {
          ...handlers,
          // The run keeps every figure `auto` chose by, Chromium's too.
          onStarted: (info) => handlers.onStarted?.({ ...info, probes: decided.choice?.probes ?? info.probes ?? [] }),
          onMeasured: async (own) => {
            decided.choice = chooseAuto([...own, ...(chromium?.probes ?? [])]);
            return decided.choice.runsIn === 'training process' ? decided.choice.backend : null;
          },
        },
        this.trainerScript,
      );
      const outcome = await state.handle.outcome;
      const choice = decided.choice;
      if (outcome.kind !== 'probed' || choice?.runsIn !== 'chromium') return outcome;
      this.runs.setBackend(id, choice.backend, 'a Chromium context', choice.probes);
      return inChromium(choice.backend, choice.probes, chromium?.data);
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
  private async chromiumFigures(
    repoDir: string,
    manifest: Manifest,
    onPhase?: (phase: TrainingPhase) => void,
  ): Promise<{ probes: ProbeFigure[]; data: TrainingData | null }> {
    const why = this.chromium.unavailable();
    if (why) return { probes: CHROMIUM_BACKENDS.map((b) => ({ backend: b, device: null, samplesPerSecond: null, reason: why })), data: null };
    onPhase?.({ step: 'loading', backend: null, done: 0, total: 0 });
    const data = await loadTrainingData(repoDir, manifest, this.dataCache);
    const classes = manifest.task === 'classification' ? (data.labels?.length ?? null) : null;
    const key = `chromium:${probeCacheKey(probeSignature(manifest, data.nFeatures, classes))}`;
    const cached = readProbeCache(this.probeCacheFile, key);
    if (cached) return { probes: cached, data };
    onPhase?.({ step: 'measuring', backend: `${CHROMIUM_BACKENDS.join(' and ')} in Chromium`, done: 0, total: 0 });
    const { probes, measured } = await this.chromium.probe(manifest, data, CHROMIUM_BACKENDS);
    if (measured) writeProbeCache(this.probeCacheFile, key, probes);
    return { probes, data };
  }

  /**
   * Measures `auto`'s backends on the project's model in the background — once per machine and model shape, the
   * figures cached in the probe file — so the person's first `auto` run does not spend its first seconds measuring.
   * Skipped while any run trains (two trainings on the same cores would skew both); false when nothing was started.
   */
  measureInBackground(projectId: string): boolean {
    const project = this.projects.requireReady(projectId);
    let manifest: Manifest;
    try {
      manifest = loadManifest(project.path, this.projects.overlayFile(project.id));
    } catch {
      return false; // the Training tab shows the manifest's error; nothing to measure
    }
    const shape = JSON.stringify({ projectId, model: manifest.model, data: manifest.data, batch: manifest.training.batchSize, task: manifest.task });
    if (this.measured.has(shape) || this.active.size > 0 || this.measuring.size > 0) return false;
    this.measured.add(shape);
    let handle: TrainerHandle | null = null;
    let stopped = false;
    const job = (async () => {
      if (manifest.model.layers) await this.chromiumFigures(project.path, manifest);
      if (stopped) throw new Error('stopped');
      handle = launchTrainer(
        {
          repoDir: project.path,
          manifest,
          backend: 'auto',
          probeCacheFile: this.probeCacheFile,
          probeOnly: true,
          ...(this.dataCache ? { dataCache: this.dataCache } : {}),
        },
        { onEpoch: () => {} },
        this.trainerScript,
      );
      if ((await handle.outcome).kind !== 'probed') throw new Error('not measured');
    })()
      // A failed or stopped background measurement costs nothing: it is tried again later, or the run measures.
      .catch(() => this.measured.delete(shape))
      .finally(() => this.measuring.delete(projectId));
    const stop = () => {
      stopped = true;
      (handle as TrainerHandle | null)?.cancel();
    };
    this.measuring.set(projectId, { done: job.then(() => undefined), stop });
    return true;
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

async function loadTrainingData(repoDir: string, manifest: Manifest, cache: DataCacheSettings | undefined): Promise<TrainingData> {
  // The data readers (papaparse, the image decoders) load for a browser trainer's job, not with every host.
  const [{ loadTabularData }, { loadImageFolderData }] = await Promise.all([import('./training/data/index.js'), import('./training/data/image-folder.js')]);
  const { data } = await loadThroughCache<TrainingData>(cache, repoDir, manifest, () =>
    manifest.data.images
      ? loadImageFolderData(repoDir, { images: manifest.data.images, split: manifest.data.split, normalize: manifest.data.normalize })
      : loadTabularData(repoDir, manifest),
  );
  return data;
}

function modelByFileMessage(backend: string): string {
  return `A model given by file (keras or tfjs) trains in the training process for now, not on ${backend}: pick auto, wasm, cpu or tfjs-node`;
}
