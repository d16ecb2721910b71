// Starts training runs in a training process, records every epoch as it arrives, and ends runs exactly once.
import crypto from 'node:crypto';
import path from 'node:path';
import type { ManifestInfo, Run } from '../../shared/contract.js';
import { AppError } from './app-error.js';
import type { EventBus } from './event-bus.js';
import { readHead } from './git/read-history.js';
import type { ProjectsService } from './projects-service.js';
import type { RunsRepository } from './store/runs-repository.js';
import { loadManifest } from './training/load-manifest.js';
import { launchTrainer, type TrainerHandle, type TrainerScript } from './training/trainer-launcher.js';
import type { BackendChoice } from './training/trainer-protocol.js';

export interface StartOptions {
  readonly epochs?: number;
  readonly backend?: BackendChoice;
}

export class TrainingService {
  private readonly active = new Map<string, { handle: TrainerHandle; finished: Promise<Run> }>();

  constructor(
    private readonly runs: RunsRepository,
    private readonly projects: ProjectsService,
    private readonly events: EventBus,
    /** Where each run's trained model is kept: <runsDir>/<runId>/model. */
    private readonly runsDir: string,
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
      { repoDir: project.path, manifest, backend, checkpointDir, probeCacheFile: path.join(path.dirname(this.runsDir), 'backend-probes.json') },
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

  async cancel(runId: string): Promise<Run> {
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
  }
}
