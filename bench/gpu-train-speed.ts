// Training speed on the GPU (issue #6): ModelCommons's browser trainer on WebGPU and WebGL in real Chromium (the
// app's own worker, built from renderer/src/trainer/trainer-test-page.ts; the figure is the `done` result's
// samplesPerSecond, what the app records for a run) against PyTorch on CUDA (bench/pytorch_gpu_anchor.py) on the
// same GPU, model, data, batch size and epochs as bench/train-speed.ts; best of 3.
// Run: npx tsx bench/gpu-train-speed.ts [--backends webgpu,webgl] [--models mlp,cnn] [--rows N] [--epochs N]
//        [--repeats N] [--swiftshader] [--headed] [--chromium-arg=--flag …] [--python PATH] [--page-dir DIR]
// --page-dir serves a trainer page built earlier (`--build-page DIR` builds one and exits), for a GPU machine that
// has Node and a browser but not the dev toolchain (the bench bundled with esbuild; README, GPU training).
// --swiftshader runs Chromium on its software GPU, to smoke-test the script on a machine without one.
import { chromium, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildTrainerTestPage, serveTrainerTestPage } from '../e2e/support/trainer-test-page.js';
import { tempDir } from '../electron/core/testing/git-fixtures.js';
import { loadTabularData } from '../electron/core/training/data/index.js';
import { nodeBase64 } from '../electron/server/node-base64.js';
import { Manifest } from '../shared/manifest.js';
import { wireJson } from '../shared/wire-json.js';
import { BATCH_SIZE, benchManifest, type BenchModel, mnistCsv } from './mnist-bench-data.js';

const { values: opts } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '3' },
    models: { type: 'string', default: 'mlp,cnn' },
    backends: { type: 'string', default: 'webgpu,webgl' },
    swiftshader: { type: 'boolean', default: false },
    headed: { type: 'boolean', default: false },
    'chromium-arg': { type: 'string', multiple: true, default: [] },
    python: { type: 'string' },
    'page-dir': { type: 'string' },
    'build-page': { type: 'string' },
  },
});
const rows = Number(opts.rows);
const epochs = Number(opts.epochs);
const repeats = Number(opts.repeats);
const models = opts.models!.split(',') as BenchModel[];
const backends = opts.backends!.split(',') as ('webgpu' | 'webgl')[];
// `python3` on PATH first (a GPU box's own PyTorch), then Debian's; --python or $PYTHON picks one.
const python = opts.python ?? process.env.PYTHON ?? (['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import torch']).status === 0) ?? 'python3');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The shapes of trainer-test-page.ts's `trainInBrowserWire`, restated (that DOM module is not in the Node typecheck).
interface BrowserRun {
  readonly started: { readonly backend: string; readonly device: string } | null;
  readonly outcome: { kind: 'done'; result: { samplesPerSecond: number; metrics: Record<string, number> } } | { kind: 'failed'; message: string } | { kind: 'cancelled' };
}
interface TestPage {
  trainInBrowserWire(text: string): Promise<BrowserRun>;
}
type Torch = { kind: 'cuda'; samplesPerSecond: number; torch: string; gpu: string } | { kind: 'unavailable'; why: string };

if (opts['build-page']) {
  await buildTrainerTestPage(path.resolve(opts['build-page']));
  console.log(`Trainer page built in ${opts['build-page']}`);
  process.exit(0);
}

const machine = gpuName() ?? 'no NVIDIA GPU (nvidia-smi not found or found no GPU)';
console.log(`Machine: ${machine}; ${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}; ${os.platform()} ${os.release()}; Node ${process.version}`);

const work = tempDir('mc-gpu-bench-');
const csvPath = path.join(work, 'digits.csv');
fs.writeFileSync(csvPath, mnistCsv(rows));

const torchMissing = pytorchReadiness();
if (torchMissing) console.log(`PyTorch CUDA: not available — ${torchMissing}`);

// The trainer page and its worker, built as e2e/browser-trainer.serve.spec.ts builds them, served on loopback.
const testPage = opts['page-dir']
  ? await serveTrainerTestPage(path.resolve(opts['page-dir']), { prebuilt: true })
  : await serveTrainerTestPage(path.join(work, 'page'));
const url = testPage.url;

// Headless Chromium on Linux reaches a real GPU through ANGLE on Vulkan; --swiftshader uses the software one instead.
const gpuArgs = opts.swiftshader
  ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader']
  : ['--ignore-gpu-blocklist', ...(os.platform() === 'linux' ? ['--enable-features=Vulkan', '--use-angle=vulkan', '--disable-vulkan-surface'] : [])];
const executablePath = process.env.CHROMIUM_PATH ?? (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({
  headless: !opts.headed,
  ...(executablePath ? { executablePath } : {}),
  args: ['--no-sandbox', '--enable-unsafe-webgpu', ...gpuArgs, '--disable-background-networking', '--no-first-run', ...opts['chromium-arg']!],
});
console.log(`Chromium ${browser.version()} (${executablePath ?? "Playwright's bundled build"}), ${opts.swiftshader ? 'SwiftShader (software GPU)' : 'hardware GPU flags'}${opts.headed ? ', headed' : ', headless'}`);

interface Row {
  readonly model: BenchModel;
  readonly backend: string;
  readonly device: string;
  readonly samplesPerSecond: number | null;
  readonly note: string | null;
}
const table: Row[] = [];
const torchByModel = new Map<BenchModel, Torch>();
const wire = wireJson(nodeBase64);
let trainedRows = 0;

try {
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });

  for (const model of models) {
    // The data goes through the app's loader (CSV parse, seeded split), then to the page as base64 typed arrays.
    const repo = path.join(work, `digits-${model}`);
    fs.mkdirSync(path.join(repo, 'data'), { recursive: true });
    fs.copyFileSync(csvPath, path.join(repo, 'data/train.csv'));
    const manifest = Manifest.parse(benchManifest(model, epochs));
    const { xTrain, yTrain, nTrain, xVal, yVal, nVal, xTest, yTest, nTest, nFeatures, labels } = await loadTabularData(repo, manifest);
    const data = { xTrain, yTrain, nTrain, xVal, yVal, nVal, xTest, yTest, nTest, nFeatures, labels };
    trainedRows = nTrain;

    for (const backend of backends) {
      const text = wire.stringify({ manifest, backend, data });
      let best: number | null = null;
      let device = '';
      let note: string | null = null;
      for (let i = 0; i < repeats; i++) {
        const run = await trainOnce(page, text);
        if (run.outcome.kind !== 'done') {
          note = run.outcome.kind === 'failed' ? `failed: ${run.outcome.message}` : 'cancelled';
          device ||= run.started?.device ?? '—';
          break;
        }
        device = run.started?.device ?? '—';
        if (run.started && run.started.backend !== backend) note = `fell back to ${run.started.backend}`;
        best = Math.max(best ?? 0, run.outcome.result.samplesPerSecond);
        console.log(
          `  ${model} ${backend} run ${i + 1}/${repeats}: ${fmt(run.outcome.result.samplesPerSecond)} samples/s, test accuracy ${run.outcome.result.metrics.accuracy?.toFixed(3) ?? '—'}`,
        );
      }
      if (!opts.swiftshader && /swiftshader|llvmpipe|software/i.test(device)) {
        note = `${note ? `${note}; ` : ''}a software renderer, not the GPU: try --headed or --chromium-arg flags`;
      }
      table.push({ model, backend, device, samplesPerSecond: best, note });
    }
    if (!torchMissing) torchByModel.set(model, pytorchCuda(model));
  }
} finally {
  await browser.close();
  await testPage.close();
  fs.rmSync(work, { recursive: true, force: true });
}

for (const [model, t] of torchByModel) {
  if (t.kind === 'unavailable') console.log(`PyTorch CUDA (${model}): not available — ${t.why}`);
}
const header = ['model', 'backend', 'device / adapter', 'ModelCommons samples/s', 'PyTorch CUDA samples/s', 'ratio'];
const lines = table.map((r) => {
  const t = torchByModel.get(r.model);
  const torchCell = t?.kind === 'cuda' ? `${fmt(t.samplesPerSecond)} (${t.gpu}, torch ${t.torch})` : 'not available';
  const ratio = t?.kind === 'cuda' && r.samplesPerSecond !== null ? `${(r.samplesPerSecond / t.samplesPerSecond).toFixed(3)}x` : '—';
  const ours = r.samplesPerSecond === null ? '—' : fmt(r.samplesPerSecond);
  return [r.model.toUpperCase(), r.backend, r.device + (r.note ? ` [${r.note}]` : ''), ours, torchCell, ratio];
});
console.log('\n' + markdownTable(header, lines));
console.log(
  `\n${rows.toLocaleString('en')} MNIST rows (${trainedRows.toLocaleString('en')} trained on, 1% held out), batch ${BATCH_SIZE}, ${epochs} epoch(s), best of ${repeats}; ` +
    `machine: ${machine}; ratio = ModelCommons / PyTorch CUDA`,
);

/** One training run on the page; a crashed page or GPU process counts as a failed run, not the end of the bench. */
async function trainOnce(page: Page, text: string): Promise<BrowserRun> {
  try {
    return await page.evaluate((t) => (globalThis as unknown as TestPage).trainInBrowserWire(t), text);
  } catch (err) {
    return { started: null, outcome: { kind: 'failed', message: err instanceof Error ? err.message.split('\n')[0]! : String(err) } };
  }
}

/** Why PyTorch on CUDA cannot run here (the script installs nothing), or null when `python` has torch with a GPU. */
function pytorchReadiness(): string | null {
  const install = 'install a CUDA build of PyTorch: pip install torch numpy — see https://pytorch.org/get-started/locally/';
  const probe = 'import json, numpy, torch; print(json.dumps([torch.__version__, torch.version.cuda, torch.cuda.is_available()]))';
  const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
  if (r.error) return `${python} was not found (install Python 3, then ${install}; or pass --python /path/to/python)`;
  if (r.status !== 0) {
    const missing = /No module named '([^']+)'/.exec(r.stderr)?.[1];
    return missing ? `${python} has no ${missing} (${install})` : `${python} could not load torch: ${r.stderr.trim().split('\n').at(-1)}`;
  }
  const [version, cudaBuild, available] = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as [string, string | null, boolean];
  if (!cudaBuild) return `torch ${version} is a CPU-only build (${install})`;
  if (!available) return `torch ${version} (built for CUDA ${cudaBuild}) sees no CUDA device`;
  return null;
}

function pytorchCuda(model: BenchModel): Torch {
  const r = spawnSync(python, [path.join(root, 'bench', 'pytorch_gpu_anchor.py'), csvPath, model, String(BATCH_SIZE), String(epochs), String(repeats)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) return { kind: 'unavailable', why: `the anchor failed: ${r.stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}` };
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { cuda: boolean; samplesPerSecond?: number; torch: string; gpu?: string };
  if (!out.cuda) return { kind: 'unavailable', why: `torch ${out.torch} sees no CUDA device` };
  return { kind: 'cuda', samplesPerSecond: out.samplesPerSecond!, torch: out.torch, gpu: out.gpu! };
}

function gpuName(): string | null {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8' });
  const names = r.status === 0 ? r.stdout.split('\n').map((s) => s.trim()).filter(Boolean) : [];
  return names.length ? names.join(', ') : null;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

function markdownTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}
