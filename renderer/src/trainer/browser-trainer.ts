// Starts a training worker in this browser context (WebGPU/WebGL/cpu) and turns its messages into callbacks,
// with the outcome shape of the Node trainer launcher.
import type { BatchProgress, BrowserTrainJob, FromTrainer, ToBrowserTrainer, TrainResult } from './browser-trainer-protocol.js';

export interface BrowserTrainerHandlers {
  onStarted?(info: Extract<FromTrainer, { kind: 'started' }>): void;
  onBatch?(progress: BatchProgress): void;
  onEpoch?(record: Extract<FromTrainer, { kind: 'epoch' }>['record']): void;
}

export type BrowserTrainerOutcome = { kind: 'done'; result: TrainResult } | { kind: 'failed'; message: string } | { kind: 'cancelled' };

export interface BrowserTrainerHandle {
  readonly outcome: Promise<BrowserTrainerOutcome>;
  /** Stops the worker at once (its GPU memory goes with it); the outcome becomes `cancelled`. */
  cancel(): void;
}

/**
 * Trains `job` in a module worker. The job's typed arrays are transferred, not copied: the caller's arrays are
 * detached afterwards.
 */
export function startBrowserTrainer(job: BrowserTrainJob, handlers: BrowserTrainerHandlers = {}): BrowserTrainerHandle {
  const worker = new Worker(new URL('./trainer-worker.ts', import.meta.url), { type: 'module', name: 'modelcommons-trainer' });
  let settle: (o: BrowserTrainerOutcome) => void = () => {};
  const outcome = new Promise<BrowserTrainerOutcome>((resolve) => {
    let done = false;
    settle = (o) => {
      if (done) return;
      done = true;
      worker.terminate();
      resolve(o);
    };
  });
  worker.onmessage = (event: MessageEvent<FromTrainer>) => {
    const m = event.data;
    if (m.kind === 'started') handlers.onStarted?.(m);
    else if (m.kind === 'batch') handlers.onBatch?.(m.progress);
    else if (m.kind === 'epoch') handlers.onEpoch?.(m.record);
    else settle(m.kind === 'done' ? { kind: 'done', result: m.result } : { kind: 'failed', message: m.message });
  };
  worker.onerror = (event) => {
    event.preventDefault();
    settle({ kind: 'failed', message: `The training worker stopped unexpectedly: ${event.message || 'it could not load'}` });
  };
  worker.onmessageerror = () => settle({ kind: 'failed', message: 'The training worker sent a message that could not be read' });

  const { data } = job;
  const buffers = [...new Set([data.xTrain.buffer, data.yTrain.buffer, data.xTest.buffer, data.yTest.buffer])].filter(
    (b): b is ArrayBuffer => b instanceof ArrayBuffer,
  );
  const start: ToBrowserTrainer = { kind: 'start', job };
  worker.postMessage(start, buffers);
  return { outcome, cancel: () => settle({ kind: 'cancelled' }) };
}
