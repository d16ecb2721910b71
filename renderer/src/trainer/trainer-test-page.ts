// A bare page for e2e/browser-trainer.serve.spec.ts: exposes `trainInBrowser`, which runs one job through
// `startBrowserTrainer` and returns every message kind in order with the outcome.
import type { Manifest } from '../../../shared/manifest.js';
import { browserBase64, wireJson } from '../../../shared/wire-json.js';
import { startBrowserTrainer, type BrowserTrainerOutcome } from './browser-trainer.js';
import type { BrowserBackend, FromTrainer } from './browser-trainer-protocol.js';

/** The data as JSON can carry it (number arrays); typed arrays are made here, then transferred to the worker. */
export interface PlainJob {
  readonly manifest: Manifest;
  readonly backend: BrowserBackend;
  readonly data: {
    readonly xTrain: number[];
    readonly yTrain: number[];
    readonly nTrain: number;
    readonly xVal: number[];
    readonly yVal: number[];
    readonly nVal: number;
    readonly xTest: number[];
    readonly yTest: number[];
    readonly nTest: number;
    readonly nFeatures: number;
    readonly labels: string[] | null;
  };
}

export interface BrowserRun {
  readonly kinds: FromTrainer['kind'][];
  readonly started: Extract<FromTrainer, { kind: 'started' }> | null;
  readonly epochs: number;
  readonly lastEpoch: Extract<FromTrainer, { kind: 'epoch' }>['record'] | null;
  readonly outcome: BrowserTrainerOutcome;
}

/** The job's plain number arrays as the typed arrays the trainer takes. */
function typedData(plain: PlainJob) {
  const d = plain.data;
  return {
    ...d,
    xTrain: Float32Array.from(d.xTrain),
    yTrain: Float32Array.from(d.yTrain),
    xVal: Float32Array.from(d.xVal),
    yVal: Float32Array.from(d.yVal),
    xTest: Float32Array.from(d.xTest),
    yTest: Float32Array.from(d.yTest),
  };
}

async function trainInBrowser(plain: PlainJob): Promise<BrowserRun> {
  const data = typedData(plain);
  const kinds: FromTrainer['kind'][] = [];
  let started: BrowserRun['started'] = null;
  let epochs = 0;
  let lastEpoch: BrowserRun['lastEpoch'] = null;
  const handle = startBrowserTrainer(
    { manifest: plain.manifest, backend: plain.backend, data },
    {
      onStarted: (m) => {
        kinds.push('started');
        started = m;
      },
      onBatch: () => kinds.push('batch'),
      onEpoch: (record) => {
        kinds.push('epoch');
        epochs++;
        lastEpoch = record;
      },
    },
  );
  const outcome = await handle.outcome;
  if (outcome.kind !== 'cancelled') kinds.push(outcome.kind);
  return { kinds, started, epochs, lastEpoch, outcome };
}

/** Starts a job and cancels it at its first epoch: the outcome must be `cancelled`. */
async function cancelInBrowser(plain: PlainJob): Promise<BrowserTrainerOutcome['kind']> {
  const data = typedData(plain);
  const handle = startBrowserTrainer({ manifest: plain.manifest, backend: plain.backend, data }, { onEpoch: () => handle.cancel() });
  return (await handle.outcome).kind;
}

/**
 * `trainInBrowser` for a job sent as wire JSON (shared/wire-json.ts: the data's typed arrays as base64), which
 * bench/gpu-train-speed.ts uses: 10,000 MNIST rows as plain numbers would be ~100 MB of JSON.
 */
async function trainInBrowserWire(text: string): Promise<BrowserRun> {
  // Float32Array.from, which trainInBrowser applies to the data, takes typed arrays as well as number arrays.
  return trainInBrowser(wireJson(browserBase64).parse(text) as PlainJob);
}

Object.assign(window, { trainInBrowser, cancelInBrowser, trainInBrowserWire });
document.body.dataset.ready = 'true';
