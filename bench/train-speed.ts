// Training speed on the CPU: ModelCommons (`modelcommons train --json`, whose samplesPerSecond is the figure used
// here) against PyTorch (Debian's python3-torch) on the same model, data, batch size and thread count, in the same
// run; best of 3. Also the peak RSS of each (GNU time). Run: npx tsx bench/train-speed.ts [--backend wasm|cpu]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeRepo, tempDir } from '../electron/core/testing/git-fixtures.js';
import { benchManifest, type BenchModel, mnistCsv } from './mnist-bench-data.js';

const { values: opts } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    rows: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '3' },
    models: { type: 'string', default: 'mlp,cnn' },
  },
});
const rows = Number(opts.rows);
const epochs = Number(opts.epochs);
const repeats = Number(opts.repeats);
const threads = 1; // tfjs's wasm and cpu backends train on one thread in Node; PyTorch is held to the same.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = '/usr/bin/python3';
const gnuTime = '/usr/bin/time';

for (const [tool, hint] of [[python, 'apt-get install python3-torch'], [gnuTime, 'apt-get install time']] as const) {
  if (!fs.existsSync(tool)) {
    console.error(`bench: ${tool} is missing (${hint})`);
    process.exit(2);
  }
}
if (spawnSync(python, ['-c', 'import torch']).status !== 0) {
  console.error('bench: PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch)');
  process.exit(2);
}

const work = tempDir('mc-bench-');
const home = path.join(work, 'home');
const csvPath = path.join(work, 'digits.csv');
fs.writeFileSync(csvPath, mnistCsv(rows));

function withPeakRss(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(gnuTime, ['-f', 'PEAK_RSS_KB=%M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const rss = Number(/PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`);
  return { stdout: r.stdout, rssMb: rss };
}

const results: string[] = [];
for (const kind of opts.models!.split(',') as BenchModel[]) {
  const repo = makeRepo(path.join(work, `digits-${kind}`), [
    {
      author: 'Bench',
      email: 'bench@example.org',
      message: 'digits',
      files: {
        'data/train.csv': fs.readFileSync(csvPath, 'utf8'),
        'modelcommons.json': JSON.stringify(benchManifest(kind, epochs)),
      },
    },
  ]);
  const env = { ...process.env, MODELCOMMONS_HOME: home };
  const cli = path.join(root, 'bin', 'modelcommons.js');
  execFileSync(process.execPath, [cli, 'clone', repo], { env, stdio: 'ignore' });

  let ours = 0;
  let oursRss = 0;
  let backendUsed = '';
  for (let i = 0; i < repeats; i++) {
    const r = withPeakRss(process.execPath, [cli, 'train', `digits-${kind}`, '--json', '--backend', opts.backend!], env);
    const run = JSON.parse(r.stdout) as { samplesPerSecond: number; backend: string; device: string };
    ours = Math.max(ours, run.samplesPerSecond);
    oursRss = Math.max(oursRss, r.rssMb);
    backendUsed = `${run.backend} — ${run.device}`;
  }
  const torchRun = withPeakRss(python, [path.join(root, 'bench', 'pytorch_anchor.py'), csvPath, kind, '64', String(epochs), String(threads), String(repeats)], env);
  const torch = JSON.parse(torchRun.stdout) as { samplesPerSecond: number; torch: string };
  results.push(
    `${kind.toUpperCase().padEnd(4)} ModelCommons ${Math.round(ours).toLocaleString('en').padStart(8)} samples/s (${backendUsed}), peak RSS ${oursRss.toFixed(0)} MB | ` +
      `PyTorch ${torch.torch} ${Math.round(torch.samplesPerSecond).toLocaleString('en').padStart(8)} samples/s, peak RSS ${torchRun.rssMb.toFixed(0)} MB | ` +
      `speed ratio ${(ours / torch.samplesPerSecond).toFixed(3)}x, memory ratio ${(oursRss / torchRun.rssMb).toFixed(2)}x`,
  );
  console.log(results.at(-1));
}
console.log(`\n${rows.toLocaleString('en')} MNIST rows, batch 64, ${epochs} epochs, ${threads} thread(s), best of ${repeats}; speed ratio = ModelCommons / PyTorch (goal ≥ 1.0), memory ratio (goal ≤ 2.0)`);
fs.rmSync(work, { recursive: true, force: true });
