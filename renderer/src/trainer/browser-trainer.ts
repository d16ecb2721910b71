// Starts a training worker in this browser context (WebGPU/WebGL/cpu) and turns its messages into callbacks,
// with the outcome shape of the Node trainer launcher; or a worker that probes WebGPU/WebGL for `auto`.
import type {
  BatchProgress,
  BrowserProbeJob,
  BrowserTrainJob,
  CheckpointArtifacts,
  ChromiumTrainResult,
  FromTrainer,
  ProbeFigure,
  ToBrowserTrainer,
  TrainingData,
} from './browser-trainer-protocol.js';

export interface BrowserTrainerHandlers {
  onStarted?(info: Extract<FromTrainer, { kind: 'started' }>): void;
  onBatch?(progress: BatchProgress): void;
  onEpoch?(record: Extract<FromTrainer, { kind: 'epoch' }>['record']): void;
}

/** How any worker ends besides its own answer. */
type Stopped = { kind: 'failed'; message: string } | { kind: 'cancelled' };

export type BrowserTrainerOutcome = { kind: 'done'; result: ChromiumTrainResult; checkpoint: CheckpointArtifacts | null } | Stopped;

export interface WorkerHandle<O> {
  readonly outcome: Promise<O>;
  /** Stops the worker at once (its GPU memory goes with it); the outcome becomes `cancelled`. */
  cancel(): void;
}

export type BrowserTrainerHandle = WorkerHandle<BrowserTrainerOutcome>;
export type BrowserProbeOutcome = { kind: 'probed'; probes: ProbeFigure[] } | Stopped;

/**
 * Trains `job` in a module worker. The job's typed arrays are transferred, not copied: the caller's arrays are
 * detached afterwards.
 */
export function startBrowserTrainer(job: BrowserTrainJob, handlers: BrowserTrainerHandlers = {}): BrowserTrainerHandle {
  return runWorker<BrowserTrainerOutcome>({ kind: 'start', job }, job.data, (m, settle) => {
    if (m.kind === 'started') handlers.onStarted?.(m);
    else if (m.kind === 'batch') handlers.onBatch?.(m.progress);
    else if (m.kind === 'epoch') handlers.onEpoch?.(m.record);
    else if (m.kind === 'done') settle({ kind: 'done', result: m.result, checkpoint: m.checkpoint });
    else if (m.kind === 'failed') settle(m);
  });
}

/** Measures `job.backends` on the job's model in a module worker (a few seconds each). */
export function startBrowserProbe(job: BrowserProbeJob): WorkerHandle<BrowserProbeOutcome> {
  return runWorker<BrowserProbeOutcome>({ kind: 'probe', job }, job.data, (m, settle) => {
    if (m.kind === 'probed' || m.kind === 'failed') settle(m);
  });
}

function runWorker<O extends BrowserTrainerOutcome | BrowserProbeOutcome>(
  message: ToBrowserTrainer,
  data: TrainingData,
  onMessage: (m: FromTrainer, settle: (o: O | Stopped) => void) => void,
): WorkerHandle<O | Stopped> {
  const worker = new Worker(new URL('./trainer-worker.ts', import.meta.url), { type: 'module', name: 'modelcommons-trainer' });
  let settle: (o: O | Stopped) => void = () => {};
  const outcome = new Promise<O | Stopped>((resolve) => {
    let done = false;
    settle = (o) => {
      if (done) return;
      done = true;
      worker.terminate();
      resolve(o);
    };
  });
  worker.onmessage = (event: MessageEvent<FromTrainer>) => onMessage(event.data, settle);
  worker.onerror = (event) => {
    event.preventDefault();
    settle({ kind: 'failed', message: `The training worker stopped unexpectedly: ${event.message || 'it could not load'}` });
  };
  worker.onmessageerror = () => settle({ kind: 'failed', message: 'The training worker sent a message that could not be read' });
  const buffers = [...new Set([data.xTrain.buffer, data.yTrain.buffer, data.xVal.buffer, data.yVal.buffer, data.xTest.buffer, data.yTest.buffer])].filter(
    (b): b is ArrayBuffer => b instanceof ArrayBuffer,
  );
  worker.postMessage(message, buffers);
  return { outcome, cancel: () => settle({ kind: 'cancelled' }) };
}
