// Hands training and probe jobs to a Chromium context — the desktop app's hidden trainer window, or a page of
// `modelcommons serve` — and turns what it reports into the same handle and outcome as the Node training process,
// so the rest of the app cannot tell them apart. The context asks for the job (`trainer:claim`: manifest and data as
// typed arrays, never a path) and answers in trainer-protocol messages (`trainer:report`).
import crypto from 'node:crypto';
import type { ChromiumBackend } from '../../../shared/backends.js';
import type { ChromiumTrainingData, TrainerReport } from '../../../shared/contract.js';
import type { Manifest } from '../../../shared/manifest.js';
import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';
import { writeCheckpoint } from './checkpoint-files.js';
import type { TrainingData } from './portable/train-on-data.js';
import type { TrainerHandle, TrainerHandlers, TrainerOutcome } from './trainer-launcher.js';
import type { ProbeFigure } from './portable/trainer-protocol.js';

/** Where Chromium contexts come from, as the host knows it. */
export interface ChromiumContexts {
  /** Null when a context can take a job now (or can be opened by `wake`); else why none can, in a person's words. */
  unavailable(): string | null;
  /** Opens a context if the host can (the desktop app's hidden window); called while a job waits. */
  wake?(): void;
}

export const NO_CHROMIUM_CONTEXT: ChromiumContexts = {
  unavailable: () => 'GPU backends (WebGPU, WebGL) train in a Chromium context: the desktop app, or a page of `modelcommons serve`',
};

export interface BrokerTimings {
  /** A job nobody claims in this long fails (no page open, the hidden window did not load). */
  readonly claimMs: number;
  /** A claimed job whose context says nothing for this long fails (tab closed, window crashed, machine asleep). */
  readonly silenceMs: number;
  /** How often an unclaimed job is announced again (a page that opens late still sees it). */
  readonly announceMs: number;
}

export const DEFAULT_TIMINGS: BrokerTimings = { claimMs: 20_000, silenceMs: 60_000, announceMs: 1_000 };

interface Job {
  readonly purpose: 'train' | 'probe';
  readonly backends: ChromiumBackend[];
  readonly manifest: Manifest;
  data: ChromiumTrainingData | null;
  claimed: boolean;
  readonly announcedAt: number;
  lastHeard: number;
  /** Handles one report; true when it ended the job. */
  onReport(message: TrainerReport): boolean;
  /** Ends the job with a failure of the broker's own (nobody claimed it, its context fell silent). */
  fail(message: string): void;
}

export type ChromiumTrainJob = {
  readonly manifest: Manifest;
  readonly data: TrainingData;
  readonly backend: ChromiumBackend;
  /** Where the trained model is written (model.json + weights.bin); none when absent. */
  readonly checkpointDir?: string;
};

export class ChromiumTrainerBroker {
  private readonly jobs = new Map<string, Job>();
  private timer: NodeJS.Timeout | null = null;
  private contexts: ChromiumContexts = NO_CHROMIUM_CONTEXT;

  constructor(
    private readonly events: EventBus,
    private readonly timings: BrokerTimings = DEFAULT_TIMINGS,
  ) {}

  /** The host says where contexts come from (the desktop app's hidden window; `serve`'s open pages). */
  useContexts(contexts: ChromiumContexts): void {
    this.contexts = contexts;
  }

  /** Null when a job can be handed out now; else why not. */
  unavailable(): string | null {
    return this.contexts.unavailable();
  }

  /** Trains in a Chromium context; the handle behaves like the Node training process's. */
  launch(job: ChromiumTrainJob, handlers: TrainerHandlers): TrainerHandle {
    let jobId: string | null = null;
    let settle: (o: TrainerOutcome) => void = () => {};
    const outcome = new Promise<TrainerOutcome>((resolve) => {
      const why = this.unavailable();
      if (why) return resolve({ kind: 'failed', message: `The ${job.backend} backend is not available here: ${why}` });
      settle = (o) => {
        if (jobId && this.jobs.delete(jobId)) this.stopTimerIfIdle();
        resolve(o);
      };
      jobId = this.open('train', [job.backend], job.manifest, job.data, {
        onReport: (m) => {
          switch (m.kind) {
            case 'started':
              handlers.onStarted?.({ ...m, probes: m.probes ?? [], validationRows: m.validationRows ?? 0, warnings: m.warnings ?? [] });
              return false;
            case 'batch':
              handlers.onBatch?.(m.progress);
              return false;
            case 'epoch':
              handlers.onEpoch(m.record);
              return false;
            case 'done': {
              let checkpointDir: string | null = null;
              if (job.checkpointDir && m.checkpoint) {
                writeCheckpoint(job.checkpointDir, m.checkpoint);
                checkpointDir = job.checkpointDir;
              }
              const { split, bestEpoch, warnings, ...rest } = m.result;
              const counts = split ?? { train: job.data.nTrain, validation: job.data.nVal, test: job.data.nTest };
              settle({ kind: 'done', result: { ...rest, split: counts, bestEpoch: bestEpoch ?? null, warnings: warnings ?? [], checkpointDir } });
              return true;
            }
            case 'failed':
              settle({ kind: 'failed', message: m.message });
              return true;
            case 'cancelled':
              settle({ kind: 'cancelled' });
              return true;
            default:
              return false;
          }
        },
        fail: (message) => settle({ kind: 'failed', message }),
      });
    });
    return {
      pid: undefined,
      outcome,
      cancel: () => {
        if (jobId && this.jobs.has(jobId)) this.events.emit('trainer:cancel', { jobId });
        settle({ kind: 'cancelled' });
      },
    };
  }

  /**
   * Measures each of `backends` on this model in a Chromium context (a few seconds). Never throws: a backend that
   * cannot be measured gets a figure with the reason.
   */
  async probe(manifest: Manifest, data: TrainingData, backends: readonly ChromiumBackend[]): Promise<{ probes: ProbeFigure[]; measured: boolean }> {
    const unmeasured = (reason: string) => ({ probes: backends.map((backend) => ({ backend, device: null, samplesPerSecond: null, reason })), measured: false });
    const why = this.unavailable();
    if (why) return unmeasured(why);
    return new Promise((resolve) => {
      let jobId = '';
      const end = (answer: { probes: ProbeFigure[]; measured: boolean }) => {
        if (this.jobs.delete(jobId)) this.stopTimerIfIdle();
        resolve(answer);
      };
      jobId = this.open('probe', [...backends], manifest, data, {
        onReport: (m) => {
          if (m.kind === 'probed') end({ probes: m.probes, measured: true });
          else if (m.kind === 'failed') end(unmeasured(`the Chromium probe failed: ${m.message}`));
          else if (m.kind === 'cancelled') end(unmeasured('the Chromium probe was stopped'));
          else return false;
          return true;
        },
        fail: (message) => end(unmeasured(message)),
      });
    });
  }

  /** A context takes a job: its data, once. */
  claim(jobId: string): { purpose: 'train' | 'probe'; backends: ChromiumBackend[]; manifest: Manifest; data: ChromiumTrainingData } {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('not-found', 'That trainer job has ended');
    if (job.claimed || !job.data) throw new AppError('conflict', 'Another window took that trainer job');
    job.claimed = true;
    job.lastHeard = Date.now();
    const { data } = job;
    job.data = null; // the context has it now; the core need not keep a second copy for the whole run
    return { purpose: job.purpose, backends: job.backends, manifest: job.manifest, data };
  }

  /** What the context that claimed a job says; false when the job has ended (cancelled, failed by silence). */
  report(jobId: string, message: TrainerReport): boolean {
    const job = this.jobs.get(jobId);
    if (!job || !job.claimed) return false;
    job.lastHeard = Date.now();
    job.onReport(message);
    return true;
  }

  /** Fails every open job (the app is closing). */
  closeAll(): void {
    for (const [jobId, job] of this.jobs) {
      this.events.emit('trainer:cancel', { jobId });
      job.fail('The app closed');
    }
    this.jobs.clear();
    this.stopTimerIfIdle();
  }

  private open(
    purpose: 'train' | 'probe',
    backends: ChromiumBackend[],
    manifest: Manifest,
    data: TrainingData,
    on: Pick<Job, 'onReport' | 'fail'>,
  ): string {
    const jobId = crypto.randomUUID();
    const now = Date.now();
    this.jobs.set(jobId, { purpose, backends, manifest, data: chromiumData(data), claimed: false, announcedAt: now, lastHeard: now, ...on });
    this.announce(jobId, purpose);
    this.startTimer();
    return jobId;
  }

  private announce(jobId: string, purpose: 'train' | 'probe'): void {
    this.events.emit('trainer:job', { jobId, purpose });
    this.contexts.wake?.();
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.timings.announceMs);
    this.timer.unref();
  }

  private stopTimerIfIdle(): void {
    if (this.jobs.size || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = Date.now();
    for (const [jobId, job] of [...this.jobs]) {
      if (!job.claimed && now - job.announcedAt > this.timings.claimMs) {
        job.fail(`No Chromium context took the job within ${Math.round(this.timings.claimMs / 1000)} s: ${this.contexts.unavailable() ?? 'is the ModelCommons page or window still open?'}`);
      } else if (!job.claimed) {
        this.announce(jobId, job.purpose);
      } else if (now - job.lastHeard > this.timings.silenceMs) {
        this.events.emit('trainer:cancel', { jobId });
        job.fail('The Chromium context training this run stopped reporting (closed, crashed or asleep)');
      }
    }
  }
}

/** The loaded data as the contract carries it: the typed arrays themselves (image and tabular data add fields). */
function chromiumData(data: TrainingData): ChromiumTrainingData {
  const { xTrain, yTrain, nTrain, xVal, yVal, nVal, xTest, yTest, nTest, nFeatures, labels, warnings } = data;
  return { xTrain, yTrain, nTrain, xVal, yVal, nVal, xTest, yTest, nTest, nFeatures, labels, ...(warnings ? { warnings: [...warnings] } : {}) };
}
