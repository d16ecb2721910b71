// The training loop in real Chromium: a module worker trains a seeded dense classifier on the WebGL backend
// (through OffscreenCanvas), on WebGPU and on cpu — SwiftShader stands in for a GPU here — speaking the trainer
// protocol, and the GPU runs must agree with cpu. Parity tolerance: final test accuracy within 0.05, final test
// log loss and last-epoch training loss within 5% (relative). The GPU backends compute in float32 with another
// summation order, so the runs drift apart a little over the epochs (measured here: accuracy 0.008, losses ≤ 1.3%).
// tfjs's WebGPU backend hands tensors under 1,000 elements to its CPU kernels (WEBGPU_CPU_FORWARD), so on this small
// model much of the WebGPU run is CPU arithmetic and matches cpu almost exactly: WebGL is the real GPU-path check.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { blobsCsv, tabularManifest, tempDir } from '../electron/core/testing/git-fixtures.js';
import { loadTabularData } from '../electron/core/training/data/index.js';
import { toPlainTrainingData } from '../electron/core/testing/plain-training-data.js';
import { Manifest } from '../shared/manifest.js';
import { serveTrainerTestPage, type ServedTrainerPage } from './support/trainer-test-page.js';

// The shapes of renderer/src/trainer/trainer-test-page.ts's `trainInBrowser`, restated: importing that DOM module
// would pull it into the Node typecheck.
interface PlainJob {
  readonly manifest: Manifest;
  readonly backend: 'webgl' | 'webgpu' | 'cpu';
  readonly data: Record<string, unknown>;
}
interface StartedMessage {
  readonly backend: string;
  readonly device: string;
}
interface BrowserRun {
  readonly kinds: string[];
  readonly started: StartedMessage | null;
  readonly epochs: number;
  readonly lastEpoch: { readonly loss: number; readonly valLoss: number | null } | null;
  readonly outcome: { kind: 'done'; result: { metrics: Record<string, number> } } | { kind: 'failed'; message: string } | { kind: 'cancelled' };
}
interface TestPage {
  trainInBrowser(job: PlainJob): Promise<BrowserRun>;
  cancelInBrowser(job: PlainJob): Promise<string>;
}

const ACCURACY_TOLERANCE = 0.05;
const RELATIVE_LOSS_TOLERANCE = 0.05;

const debianChromium = '/usr/bin/chromium';

// Headless Chromium with --disable-gpu has no WebGL: SwiftShader (software Vulkan under ANGLE) gives it WebGL, and
// with --enable-unsafe-webgpu a WebGPU adapter too.
test.use({
  launchOptions: {
    ...(fs.existsSync(debianChromium) ? { executablePath: debianChromium } : {}),
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--enable-unsafe-webgpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  },
});

let root: string;
let page: ServedTrainerPage | undefined;
let url: string;
let job: Omit<PlainJob, 'backend'>;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-browser-trainer-');
  const outDir = path.join(root, 'page');
  page = await serveTrainerTestPage(outDir);
  url = page.url;

  // The data goes through the real loader (CSV parse, seeded split, normalization), then crosses as plain arrays.
  const repo = path.join(root, 'repo');
  fs.mkdirSync(path.join(repo, 'data'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'data/train.csv'), blobsCsv(480, 4, 3, 1));
  const manifest = Manifest.parse(tabularManifest(10));
  const data = await loadTabularData(repo, manifest);
  job = {
    manifest,
    data: toPlainTrainingData(data),
  };
});

test.afterAll(async () => {
  await page?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a worker trains on webgl and on webgpu, streams the trainer protocol, and agrees with cpu', async ({ page }) => {
  await page.goto(url);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  const train = (backend: PlainJob['backend']) => page.evaluate((j) => (globalThis as unknown as TestPage).trainInBrowser(j), { ...job, backend });
  const runs = { cpu: await train('cpu'), webgl: await train('webgl'), webgpu: await train('webgpu') };

  for (const [name, run] of Object.entries(runs)) {
    expect(run.outcome.kind, `${name}: ${JSON.stringify(run.outcome)}`).toBe('done');
    // started first, done last, and every epoch (and any batch) streamed in between.
    expect(run.kinds[0]).toBe('started');
    expect(run.kinds.at(-1)).toBe('done');
    expect(run.epochs).toBe(10);
    expect(run.kinds.slice(1, -1).every((k) => k === 'batch' || k === 'epoch')).toBe(true);
    // 480 rows: 120 for the test, then 10 % of the other 360 for validation (the curves and early stopping).
    expect(run.started).toMatchObject({ backend: name, parameters: 4 * 16 + 16 + 16 * 3 + 3, trainRows: 324, validationRows: 36, testRows: 120 });
    expect(run.lastEpoch!.valLoss).not.toBeNull();
  }
  // The device names the adapter, and says plainly that SwiftShader (this machine's only "GPU") is no GPU:
  // "software renderer, not a GPU (WebGL 2, ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …)))".
  expect(runs.webgl.started!.device).toMatch(/^software renderer, not a GPU \(WebGL 2, .*SwiftShader.*\)$/);
  expect(runs.webgpu.started!.device).toMatch(/^software renderer, not a GPU \(WebGPU, .+\)$/);
  expect(runs.cpu.started!.device).toBe('CPU (plain JavaScript)');

  const cpu = metricsOf(runs.cpu);
  expect(cpu.metrics.accuracy).toBeGreaterThan(0.8);
  for (const name of ['webgl', 'webgpu'] as const) {
    const gpu = metricsOf(runs[name]);
    const differences = {
      accuracy: Math.abs(gpu.metrics.accuracy! - cpu.metrics.accuracy!),
      logLoss: relative(gpu.metrics.log_loss!, cpu.metrics.log_loss!),
      trainLoss: relative(gpu.trainLoss, cpu.trainLoss),
    };
    console.log(`${name} (${runs[name].started!.device}) vs cpu: ${JSON.stringify(differences)}`);
    expect(differences.accuracy).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
    expect(differences.logLoss).toBeLessThanOrEqual(RELATIVE_LOSS_TOLERANCE);
    expect(differences.trainLoss).toBeLessThanOrEqual(RELATIVE_LOSS_TOLERANCE);
  }
});

test('cancelling a browser training stops its worker with a cancelled outcome', async ({ page }) => {
  await page.goto(url);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  const long = { ...job, manifest: { ...job.manifest, training: { ...job.manifest.training, epochs: 1000 } }, backend: 'webgl' as const };
  expect(await page.evaluate((j) => (globalThis as unknown as TestPage).cancelInBrowser(j), long)).toBe('cancelled');
});

/** The test metrics and the last epoch's training loss of a finished run. */
function metricsOf(run: BrowserRun): { metrics: Record<string, number>; trainLoss: number } {
  if (run.outcome.kind !== 'done') throw new Error(`the run did not finish: ${JSON.stringify(run.outcome)}`);
  return { metrics: run.outcome.result.metrics, trainLoss: run.lastEpoch!.loss };
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
