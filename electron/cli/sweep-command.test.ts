// `modelcommons sweep` on the local pool through the real CLI: a grid with k-fold cross-validation becomes runs
// (K per point, with their params), mean ± sd per point; asked again it trains nothing; bad keys are one line;
// `jobs pause|resume|cancel` from another process reach the sweep's running trainings.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTabularProject, tempDir } from '../core/testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const root = tempDir('mc-sweep-');
const home = path.join(root, 'home');
const spawned: ChildProcess[] = [];
afterAll(() => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], { env: { ...process.env, MODELCOMMONS_HOME: home }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 3, 150);
  expect(cli('clone', repo, '--json').code).toBe(0);
});

describe('modelcommons sweep', () => {
  it('a 2-point grid × 2 folds on two local workers: 4 runs, mean ± sd per point; again, nothing trains', () => {
    const r = cli('sweep', 'blobs', '--set', 'training.epochs=2,3', '--folds', '2', '--workers', '2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { folds: number; jobs: Record<string, number>; points: { point: Record<string, number>; runs: string[]; metrics: Record<string, { mean: number; sd: number; n: number }> }[] };
    expect(report.folds).toBe(2);
    expect(report.jobs).toEqual({ total: 4, trained: 4, reused: 0, failed: 0 });
    expect(report.points.map((p) => p.point)).toEqual([{ 'training.epochs': 2 }, { 'training.epochs': 3 }]);
    for (const p of report.points) {
      expect(p.runs).toHaveLength(2);
      expect(p.metrics.accuracy!.n).toBe(2);
      expect(p.metrics.accuracy!.mean).toBeGreaterThan(0);
    }
    const runs = JSON.parse(cli('runs', 'blobs', '--json').stdout) as { params: Record<string, number>; status: string }[];
    expect(runs.map((x) => `${x.params.epochs}:${x.params.fold}/${x.params.folds}`).sort()).toEqual(['2:1/2', '2:2/2', '3:1/2', '3:2/2']);

    const human = cli('sweep', 'blobs', '--set', 'training.epochs=2,3', '--folds', '2');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/2 points × 2 folds; 0 trained, 4 already stored, 0 failed/);
    expect(human.stdout).toMatch(/training\.epochs\s+test accuracy\s+val loss\s+runs/);
    expect(human.stdout).toMatch(/\n3\s+\d\.\d{4} ± \d\.\d{4}/);
  }, 120_000);

  it('refuses a key that is not sweepable, and a sweep without --set, in one line', () => {
    const bad = cli('sweep', 'blobs', '--set', 'training.optimizer=adam,sgd');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/training\.optimizer: not a sweepable key/);
    expect(cli('sweep', 'blobs').stderr).toMatch(/Give at least one --set KEY=V1,V2/);
  });

  it('jobs pause, resume and cancel from another process reach the running sweep', async () => {
    const sweep = spawn(process.execPath, ['--import', 'tsx', cliSource, 'sweep', 'blobs', '--set', 'training.epochs=2000,2001', '--workers', '1', '--json'], {
      env: { ...process.env, MODELCOMMONS_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(sweep);
    let stdout = '';
    sweep.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const exited = new Promise<number | null>((resolve) => sweep.once('exit', (code) => resolve(code)));
    type Job = { id: string; sweepId: string; status: string; progress: { epoch: number } | null };
    const jobs = () => JSON.parse(cli('jobs', '--all', '--json').stdout).filter((j: Job & { point: Record<string, number> }) => j.point['training.epochs']! >= 2000) as Job[];
    const until = async (ok: (js: Job[]) => boolean) => {
      for (;;) {
        const js = jobs();
        if (ok(js)) return js;
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    const [first] = await until((js) => js.some((j) => j.status === 'running' && (j.progress?.epoch ?? 0) > 0));
    const sweepId = first!.sweepId;

    expect(JSON.parse(cli('jobs', 'pause', sweepId.slice(0, 10), '--json').stdout).changed).toBe(2);
    const paused = await until((js) => js.every((j) => j.status === 'paused'));
    const stoppedAt = paused.map((j) => j.progress?.epoch ?? 0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(jobs().map((j) => j.progress?.epoch ?? 0)).toEqual(stoppedAt); // nothing trains while paused

    expect(cli('jobs', 'resume', sweepId).stdout).toMatch(/Resumed 2 jobs/);
    await until((js) => js.some((j) => j.status === 'running'));

    expect(JSON.parse(cli('jobs', 'cancel', sweepId, '--json').stdout).changed).toBe(2);
    expect(await exited).toBe(1); // a sweep with jobs that ended without a run fails
    expect(JSON.parse(stdout).jobs).toMatchObject({ total: 2, trained: 0, failed: 2 });
    expect(jobs().map((j) => j.status)).toEqual(['cancelled', 'cancelled']);
    const runs = JSON.parse(cli('runs', 'blobs', '--json').stdout) as { params: Record<string, number> }[];
    expect(runs.filter((r) => r.params.epochs! >= 2000)).toEqual([]);
  }, 180_000);
});
