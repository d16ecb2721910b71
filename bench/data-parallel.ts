// Would data-parallel gradient steps across worker_threads beat one thread of tfjs-wasm? An upper bound, measured:
// one trainer trains the bench MLP/CNN at batch B, then W trainers train at the same time at batch B/W each (what each
// would compute in a synchronous data-parallel step), with no gradient exchange at all; plus the cost of that
// exchange (a round trip of the gradients between threads). If W × (B/W) samples/s without the exchange does not
// beat B on one thread, synchronous data parallelism cannot either.
// Run: npx tsx bench/data-parallel.ts [--workers 2] [--batches 32,64] [--models mlp,cnn] [--rows 6000]
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

interface Task {
  readonly kind: 'mlp' | 'cnn';
  readonly batch: number;
  readonly csvDir: string;
  readonly epochs: number;
}

async function trainOnce(task: Task): Promise<{ samplesPerSecond: number; parameters: number; device: string }> {
  const { Manifest } = await import('../shared/manifest.js');
  const { activateBackend } = await import('../electron/core/training/backends.js');
  const { loadTabularData } = await import('../electron/core/training/data/index.js');
  const { trainOnData } = await import('../electron/core/training/portable/train-on-data.js');
  const { benchManifest } = await import('./mnist-bench-data.js');
  const active = await activateBackend('wasm');
  const plain = benchManifest(task.kind, task.epochs);
  const manifest = Manifest.parse({ ...plain, training: { ...plain.training, batchSize: task.batch } });
  const data = await loadTabularData(task.csvDir, manifest);
  let parameters = 0;
  const result = await trainOnData(data, manifest, (m) => m.kind === 'started' && (parameters = m.parameters), { backend: active.backend, device: active.device });
  return { samplesPerSecond: result.samplesPerSecond, parameters, device: active.device };
}

const child = process.argv.indexOf('--child');
if (child > 0) {
  console.log(JSON.stringify(await trainOnce(JSON.parse(process.argv[child + 1]!) as Task)));
} else {
  const { values: opts } = parseArgs({
    options: {
      child: { type: 'string' },
      workers: { type: 'string', default: String(os.availableParallelism()) },
      batches: { type: 'string', default: '32,64' },
      models: { type: 'string', default: 'mlp,cnn' },
      rows: { type: 'string', default: '6000' },
      epochs: { type: 'string', default: '2' },
    },
  });
  const workers = Number(opts.workers);
  const self = fileURLToPath(import.meta.url);
  const { mnistCsv } = await import('./mnist-bench-data.js');
  const { tempDir } = await import('../electron/core/testing/git-fixtures.js');
  const csvDir = tempDir('mc-data-parallel-');
  fs.mkdirSync(path.join(csvDir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(csvDir, 'data', 'train.csv'), mnistCsv(Number(opts.rows)));

  // Trainers run as processes (tsx's loader does not reach worker threads): the same tfjs-wasm instances and
  // kernels as threads would run; the exchange a thread would pay is measured below with a real worker thread.
  const run = (task: Task) =>
    new Promise<{ samplesPerSecond: number; parameters: number; device: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', self, '--child', JSON.stringify(task)], { maxBuffer: 1 << 24 }, (error, stdout) =>
        error ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').at(-1)!)),
      );
    });
  const echo = `require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m, [m.buffer]));`;

  /** Mean round-trip time of `floats` float32 values to a worker and back (transferred, as gradients would be). */
  async function roundTripMs(floats: number): Promise<number> {
    const worker = new Worker(echo, { eval: true });
    let buffer: Float32Array = new Float32Array(floats);
    const trips = 300;
    const began = performance.now();
    for (let i = 0; i < trips; i++) {
      buffer = await new Promise<Float32Array>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(buffer, [buffer.buffer as ArrayBuffer]);
      });
    }
    const ms = (performance.now() - began) / trips;
    await worker.terminate();
    return ms;
  }

  const epochs = Number(opts.epochs);
  console.log(`${os.availableParallelism()} cores, ${workers} workers, ${opts.rows} MNIST rows, ${epochs} epochs, tfjs-wasm in each trainer process`);
  for (const kind of opts.models!.split(',') as Task['kind'][]) {
    for (const batch of opts.batches!.split(',').map(Number)) {
      const one = await run({ kind, batch, csvDir, epochs });
      const many = await Promise.all(Array.from({ length: workers }, () => run({ kind, batch: batch / workers, csvDir, epochs })));
      const slowest = Math.min(...many.map((r) => r.samplesPerSecond));
      const lockstep = slowest * workers; // each synchronous step waits for the slowest worker
      const exchange = await roundTripMs(one.parameters);
      const stepsPerSecond = lockstep / batch;
      const withExchange = batch / (1 / stepsPerSecond + exchange / 1000);
      console.log(
        `${kind.toUpperCase()} batch ${batch}: 1 thread ${Math.round(one.samplesPerSecond)} samples/s (${one.device}) | ` +
          `${workers} × batch ${batch / workers}, no exchange: ${Math.round(lockstep)} samples/s in lockstep ` +
          `(each ${many.map((r) => Math.round(r.samplesPerSecond)).join(', ')}) | gradient round trip (${one.parameters} floats) ${exchange.toFixed(2)} ms → ` +
          `at best ${Math.round(withExchange)} samples/s: ratio ${(withExchange / one.samplesPerSecond).toFixed(2)}x`,
      );
    }
  }
  fs.rmSync(csvDir, { recursive: true, force: true });
}
