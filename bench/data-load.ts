// Loading a large CSV, outside training: Kaggle's MNIST layout (60,000 × 785, ~110 MB, generated into a temp dir)
// read by readTable and by the whole tabular loader, cold and from the data cache (a rerun), against NumPy's
// np.loadtxt of the same file (the PyTorch script's load) and a plain read of the bytes, in the same run; best of N.
// Run: npx tsx bench/data-load.ts [--rows 60000] [--repeats 3]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Manifest } from '../shared/manifest.js';
import { loadThroughCache } from '../electron/core/training/data/data-cache.js';
import { loadTabularData } from '../electron/core/training/data/index.js';
import { readTable } from '../electron/core/training/data/read-table.js';
import { tempDir } from '../electron/core/testing/git-fixtures.js';
import { writeKaggleMnistCsv } from './mnist-bench-data.js';

const { values: opts } = parseArgs({ options: { rows: { type: 'string', default: '60000' }, repeats: { type: 'string', default: '3' } } });
const rows = Number(opts.rows);
const repeats = Number(opts.repeats);
const work = tempDir('mc-data-load-');
const csv = path.join(work, 'data', 'train.csv');
fs.mkdirSync(path.dirname(csv), { recursive: true });
const bytes = writeKaggleMnistCsv(csv, rows);
const manifest = Manifest.parse({
  name: 'digits',
  task: 'classification',
  data: { train: 'data/train.csv', label: 'label', normalize: 'minmax' },
  model: { layers: [{ type: 'dense', units: 10, activation: 'softmax' }] },
});

async function best(what: () => unknown): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await what();
    fastest = Math.min(fastest, (performance.now() - start) / 1000);
  }
  return fastest;
}

const plainRead = await best(() => fs.readFileSync(csv).length);
const parse = await best(() => readTable(csv, 'data/train.csv', { label: 'label', labelKind: 'class', features: null }, { maxRows: 1e7, used: 0 }));
const load = await best(() => loadTabularData(work, manifest));
const cache = { dir: path.join(work, 'data-cache') };
const coldStart = performance.now();
await loadThroughCache(cache, work, manifest, () => loadTabularData(work, manifest));
const missSeconds = (performance.now() - coldStart) / 1000;
const warm = await best(async () => {
  const hit = await loadThroughCache(cache, work, manifest, () => loadTabularData(work, manifest));
  if (hit.cache !== 'hit') throw new Error(`expected a cache hit, got ${hit.cache}`);
});
const cacheBytes = fs.readdirSync(cache.dir).reduce((sum, name) => sum + fs.statSync(path.join(cache.dir, name)).size, 0);

const numpy = spawnSync(
  '/usr/bin/python3',
  [
    '-c',
    `import sys, time, numpy as np
best = 1e9
for _ in range(${repeats}):
    t = time.perf_counter(); np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.float32); best = min(best, time.perf_counter() - t)
print(best, np.__version__)`,
    csv,
  ],
  { encoding: 'utf8' },
);
const [numpySeconds, numpyVersion] = numpy.status === 0 ? numpy.stdout.trim().split(' ') : ['NaN', 'missing'];

const s = (x: number) => `${x.toFixed(2)} s`;
console.log(`${rows.toLocaleString('en')} × 785 CSV, ${(bytes / 1e6).toFixed(0)} MB (Kaggle's MNIST layout), best of ${repeats}, Node ${process.version}`);
console.log(`plain read of the bytes        ${s(plainRead)}`);
console.log(`readTable (parse only)         ${s(parse)}   vs np.loadtxt (NumPy ${numpyVersion}) ${s(Number(numpySeconds))}: ratio ${(parse / Number(numpySeconds)).toFixed(2)}×`);
console.log(`loadTabularData (parse+encode) ${s(load)}`);
console.log(`first load through the cache   ${s(missSeconds)} (loads, then writes ${(cacheBytes / 1e6).toFixed(0)} MB)`);
console.log(`rerun, from the cache          ${s(warm)}   (goal < 1 s: ${warm < 1 ? 'met' : 'NOT met'}; ${(load / warm).toFixed(1)}× faster than loading)`);

fs.rmSync(work, { recursive: true, force: true });
