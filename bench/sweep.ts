// A sweep of 8 small configurations (learning rate × first-layer units × batch size) on every core vs one at a time:
// the same jobs on the local job queue, each in a fresh store so nothing is reused; the two are measured in turns
// (sequential, parallel, parallel, sequential, …) so a change in the machine's load falls on both. Prints the wall
// times, the median ratio, the load average, and an anchor measured in the same run: how much more CPU two
// CPU-bound processes get than one here (on a shared machine far less than 2×, which bounds what any pool can do).
// Goal: ≤ 0.6× the sequential time on 2 cores.
// Run: npx tsx bench/sweep.ts [--workers N] [--rows 600] [--epochs 10] [--rounds 2]
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runSweep } from '../electron/core/jobs/run-sweep.js';
import { createServices } from '../electron/core/services.js';
import { RunsRepository } from '../electron/core/store/runs-repository.js';
import { makeTabularProject, tempDir } from '../electron/core/testing/git-fixtures.js';

const { values: opts } = parseArgs({
  options: {
    workers: { type: 'string', default: String(os.availableParallelism()) },
    rows: { type: 'string', default: '600' },
    epochs: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const root = tempDir('mc-bench-sweep-');
const repo = makeTabularProject(path.join(root, 'blobs'), Number(opts.epochs), Number(opts.rows));
const request = {
  axes: [
    { key: 'training.learningRate', values: [0.01, 0.03] },
    { key: 'model.layers[0].units', values: [8, 16] },
    { key: 'training.batchSize', values: [16, 32] },
  ],
  backend: 'wasm' as const,
};

let homes = 0;
/** Each sweep's trainings' own seconds added up (what the trainings took, without process starts and loading). */
const trainingSeconds: { workers: number; seconds: number }[] = [];
async function timeSweep(workers: number): Promise<number> {
  const services = createServices({ home: path.join(root, `home-${homes++}`), version: 'bench' });
  try {
    const project = await services.projects.add(repo);
    const started = performance.now();
    const report = await runSweep({ db: services.db, home: services.home, project, overlayFile: null }, request, { workers });
    const seconds = (performance.now() - started) / 1000;
    if (report.jobs.trained !== 8) throw new Error(`expected 8 trainings, got ${JSON.stringify(report.jobs)}: ${report.errors.join('; ')}`);
    const runs = new RunsRepository(services.db).listForProject(project.id);
    trainingSeconds.push({ workers, seconds: runs.reduce((t, r) => t + (r.seconds ?? 0), 0) });
    return seconds;
  } finally {
    services.close();
  }
}

/**
 * The anchor: how much more CPU `workers` processes get than one, on this machine now (a shared machine, or one
 * that shares CPU between sessions, gives less than `workers`×). The best ratio this run could show is 1/that.
 */
async function parallelCapacity(workers: number): Promise<number> {
  const burn = `const end = Date.now() + 2000; let n = 0; while (Date.now() < end) { for (let i = 0; i < 1e5; i++) n++; } console.log(n);`;
  const run = (k: number) =>
    Promise.all(Array.from({ length: k }, () => new Promise<number>((resolve, reject) => execFile(process.execPath, ['-e', burn], (err, out) => (err ? reject(err) : resolve(Number(out))))))).then((ns) => ns.reduce((a, b) => a + b, 0));
  const one = await run(1);
  return (await run(workers)) / one;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const workers = Number(opts.workers);
  const load = os.loadavg()[0]!;
  const sequential: number[] = [];
  const parallel: number[] = [];
  for (let round = 0; round < Number(opts.rounds); round++) {
    if (round % 2 === 0) {
      sequential.push(await timeSweep(1));
      parallel.push(await timeSweep(workers));
    } else {
      parallel.push(await timeSweep(workers));
      sequential.push(await timeSweep(1));
    }
  }
  const capacity = await parallelCapacity(workers);
  const ratios = sequential.map((s, i) => parallel[i]! / s);
  const seconds = (xs: number[]) => xs.map((x) => `${x.toFixed(2)} s`).join(', ');
  console.log(`sweep of 8 configurations (${opts.rows} rows, ${opts.epochs} epochs, wasm), ${os.availableParallelism()} cores, load average ${load.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`  one at a time:  ${seconds(sequential)}`);
  console.log(`  ${workers} side by side: ${seconds(parallel)}`);
  const trained = (w: number) => seconds(trainingSeconds.filter((t) => t.workers === w).map((t) => t.seconds));
  console.log(`  the 8 trainings' own seconds, added up: ${trained(1)} one at a time; ${trained(workers)} side by side`);
  console.log(`  ratio: ${median(ratios).toFixed(2)}× the sequential wall time (median of ${ratios.length}; goal ≤ 0.60× on 2 cores)`);
  console.log(`  anchor: ${workers} CPU-bound processes got ${capacity.toFixed(2)}× the CPU of one here now, so the best possible ratio was ${(1 / capacity).toFixed(2)}×`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
