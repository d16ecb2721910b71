// The job queue on the local pool, on a real SQLite store, real git repositories and real tfjs trainings: sweeps
// become runs once each, k-fold holds out each fold once, a restarted queue finishes what was queued or
// interrupted, and pause/cancel stop running trainings.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { openDatabase } from '../store/database.js';
import { RunsRepository } from '../store/runs-repository.js';
import { makeTabularProject, tempDir } from '../testing/git-fixtures.js';
import { JobsRepository } from './jobs-repository.js';
import { LocalJobQueue } from './local-job-queue.js';
import { planSweep, runSweep, type SweepContext } from './run-sweep.js';

let root: string;
let services: Services;
let ctx: SweepContext;

beforeAll(async () => {
  root = tempDir('mc-jobs-');
  services = createServices({ home: path.join(root, 'home'), version: 'test' });
  const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 3, 150);
  const project = await services.projects.add(repo);
  ctx = { db: services.db, home: services.home, project, overlayFile: null };
});
afterAll(() => {
  services.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const queueOptions = (workers: number) => ({
  workers,
  runsDir: path.join(root, 'home', 'runs'),
  checkoutsDir: path.join(root, 'home', 'job-checkouts'),
  projectDir: () => ctx.project.path,
});

describe('local job queue', () => {
  it('trains a 2×2 grid once per point on two processes; the same sweep again trains nothing', async () => {
    const request = { axes: [{ key: 'training.learningRate', values: [0.01, 0.05] }, { key: 'model.layers[0].units', values: [4, 8] }] };
    const epochsSeen: number[] = [];
    const report = await runSweep(ctx, request, { workers: 2, onProgress: (_job, p) => epochsSeen.push(p.epoch) });
    expect(report.errors).toEqual([]);
    expect(report.jobs).toEqual({ total: 4, trained: 4, reused: 0, failed: 0 });
    expect(report.points.map((p) => p.point)).toEqual([
      { 'training.learningRate': 0.01, 'model.layers[0].units': 4 },
      { 'training.learningRate': 0.01, 'model.layers[0].units': 8 },
      { 'training.learningRate': 0.05, 'model.layers[0].units': 4 },
      { 'training.learningRate': 0.05, 'model.layers[0].units': 8 },
    ]);
    expect(epochsSeen.filter((e) => e === 3)).toHaveLength(4);
    const runs = new RunsRepository(services.db).listForProject(ctx.project.id);
    expect(runs).toHaveLength(4);
    for (const p of report.points) {
      const run = runs.find((r) => r.id === p.runs[0])!;
      expect(run.status).toBe('succeeded');
      expect(run.params).toMatchObject({ ...p.point, learningRate: p.point['training.learningRate'] });
      expect(run.history).toHaveLength(3);
      expect(fs.existsSync(path.join(run.checkpoint!, 'model.json'))).toBe(true);
      expect(p.metrics.accuracy).toMatchObject({ n: 1, sd: 0 });
    }

    const again = await runSweep(ctx, request, { workers: 2 });
    expect(again.jobs).toEqual({ total: 4, trained: 0, reused: 4, failed: 0 });
    expect(again.points.map((p) => p.runs)).toEqual(report.points.map((p) => p.runs));
    expect(new RunsRepository(services.db).listForProject(ctx.project.id)).toHaveLength(4);
  });

  it('k-fold: each fold validates on its held-out rows once; the test rows are the same for every fold', async () => {
    const report = await runSweep(ctx, { axes: [{ key: 'training.epochs', values: [2] }], folds: 3 }, { workers: 2 });
    expect(report.folds).toBe(3);
    const [point] = report.points;
    expect(point!.runs).toHaveLength(3);
    expect(point!.metrics.accuracy!.n).toBe(3);
    expect(point!.valLoss!.n).toBe(3);
    const runs = point!.runs.map((id) => new RunsRepository(services.db).get(id)!);
    expect(runs.map((r) => r.params!.fold).sort()).toEqual([1, 2, 3]);
    const kept = runs[0]!.split!.train + runs[0]!.split!.validation;
    for (const r of runs) {
      expect(r.split!.test).toBe(runs[0]!.split!.test);
      expect(r.split!.train + r.split!.validation).toBe(kept);
    }
    // The folds cut the kept rows into three parts of nearly equal size that together cover them.
    const sizes = runs.map((r) => r.split!.validation);
    expect(sizes.reduce((s, n) => s + n, 0)).toBe(kept);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('a queue started after a crash trains the queued jobs and the interrupted one, each once', async () => {
    const planned = await planSweep(ctx, { axes: [{ key: 'training.batchSize', values: [8, 24, 32] }] });
    const file = path.join(root, 'restart.db');
    // The projects row the jobs belong to, in a store of their own.
    const first = openDatabase(file);
    first.prepare(`INSERT INTO projects (id, name, source, path, status, created_at) VALUES (?, 'blobs', ?, ?, 'ready', ?)`).run(ctx.project.id, ctx.project.source, ctx.project.path, new Date().toISOString());
    const jobs = new JobsRepository(first);
    const ids = planned.specs.map((s) => jobs.enqueue(s, { queue: 'local', sweepId: planned.sweepId }).id);
    // A process that took a job and died with it (its pid no longer exists).
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    expect(jobs.claimNext('local', gone)!.id).toBe(ids[0]);
    first.close();

    const reopened = openDatabase(file);
    const queue = new LocalJobQueue(new JobsRepository(reopened), queueOptions(2)).start();
    const ended = await queue.settled(ids);
    await queue.close();
    expect(ended.map((j) => j.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(ended[0]!.attempts).toBe(2);
    const runs = new RunsRepository(reopened).listForProject(ctx.project.id);
    expect(runs.map((r) => r.id).sort()).toEqual(ended.map((j) => j.runId).sort());
    expect(runs.map((r) => r.params!['training.batchSize']).sort()).toEqual([24, 32, 8]);
    reopened.close();
  });

  it('pause stops the running training and holds the queued ones; cancel ends them with no run', async () => {
    const planned = await planSweep(ctx, { axes: [{ key: 'training.epochs', values: [300, 301, 302] }] });
    const jobs = new JobsRepository(services.db);
    const ids = planned.specs.map((s) => jobs.enqueue(s, { queue: 'local', sweepId: planned.sweepId }).id);
    const queue = new LocalJobQueue(jobs, queueOptions(1));
    const firstEpoch = new Promise<void>((resolve) => queue.once('progress', () => resolve()));
    queue.start();
    await firstEpoch;
    expect(queue.pause(planned.sweepId)).toBe(3);
    await new Promise<void>((resolve) => queue.once('ended', () => resolve()));
    expect(ids.map((id) => jobs.get(id)!.status)).toEqual(['paused', 'paused', 'paused']);
    for (const id of ids) expect(queue.cancel(id)).toBe(true);
    expect(ids.map((id) => jobs.get(id)!.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(ids.map((id) => new RunsRepository(services.db).get(jobs.get(id)!.runId))).toEqual([undefined, undefined, undefined]);
    await queue.close();
  });
});
