// Sweeps on BullMQ workers over a real redis-server: two `modelcommons worker` processes with homes of their own,
// one killed with -9 while it trains; the submitting app's store still ends with every sweep point exactly once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../core/testing/redis-server.js';
import { makeTabularProject, tempDir } from '../core/testing/git-fixtures.js';
import { openDatabase } from '../core/store/database.js';
import { JobsRepository } from '../core/jobs/jobs-repository.js';
import { redactRedisUrl } from './worker-command.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const root = tempDir('mc-worker-');
let redis: TestRedis;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const env = (home: string) => ({ ...process.env, MODELCOMMONS_HOME: home });

function cli(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], { env: env(home), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Spawned {
  readonly child: ChildProcess;
  /** stdout and stderr together, as they came. */
  log: string;
  stdout: string;
  /** Resolves once the output has matched. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  readonly exited: Promise<number | null>;
}

function spawnCli(home: string, args: string[]): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', cliSource, ...args], { env: env(home), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const s: Spawned = {
    child,
    log: '',
    stdout: '',
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const check = () => {
          const m = s.log.match(pattern);
          if (!m) return;
          child.stdout!.off('data', check);
          child.stderr!.off('data', check);
          resolve(m);
        };
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        check();
      }),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  const append = (b: Buffer) => (s.log += b.toString());
  child.stdout!.on('data', (b: Buffer) => (s.stdout += b.toString()));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  return s;
}

describe('worker over Redis', () => {
  it('redacts a password in the Redis URL it prints', () => {
    expect(redactRedisUrl('redis://:s3cret@host:6379/0')).toBe('redis://:***@host:6379/0');
    expect(redactRedisUrl('rediss://user:pw@host')).toBe('rediss://user:***@host');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('two workers, one killed with -9 mid-job: every sweep point is trained and stored exactly once', async () => {
    const app = path.join(root, 'app');
    const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 3, 150);
    expect(cli(app, 'clone', repo, '--json').code).toBe(0);

    const workerArgs = ['worker', '--redis', redis.url, '--concurrency', '1', '--lock-ms', '2000'];
    const doomed = spawnCli(path.join(root, 'worker-a'), workerArgs);
    const survivor = spawnCli(path.join(root, 'worker-b'), workerArgs);
    await Promise.all([doomed.waitFor(/taking jobs from/), survivor.waitFor(/taking jobs from/)]);

    const sweep = spawnCli(app, ['sweep', 'blobs', '--set', 'training.epochs=40,41,42,43', '--set', 'training.learningRate=0.02,0.05', '--redis', redis.url, '--json']);
    // The doomed worker is killed while its first job trains (it has said it took the job, not that it is done).
    const [, taken] = await doomed.waitFor(/job ([0-9a-f]{12}) \(attempt \d+\)/);
    await new Promise((r) => setTimeout(r, 300));
    expect(doomed.log).not.toMatch(new RegExp(`job ${taken} done`));
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    const code = await sweep.exited;
    expect(code, sweep.log).toBe(0);
    const report = JSON.parse(sweep.stdout) as { jobs: Record<string, number>; points: { point: Record<string, number>; runs: string[] }[] };
    expect(report.jobs).toEqual({ total: 8, trained: 8, reused: 0, failed: 0 });
    expect(report.points.map((p) => p.runs.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    // The job the killed worker held was trained again by the other one.
    expect(survivor.log).toMatch(new RegExp(`job ${taken} done`));

    const runs = JSON.parse(cli(app, 'runs', 'blobs', '--json').stdout) as { id: string; status: string; params: Record<string, number> }[];
    expect(runs).toHaveLength(8);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const points = runs.map((r) => `${r.params['training.epochs']}/${r.params['training.learningRate']}`).sort();
    expect(new Set(points).size).toBe(8);
    const db = openDatabase(path.join(app, 'modelcommons.db'));
    const jobs = new JobsRepository(db).list({ queue: 'redis' });
    db.close();
    expect(jobs.map((j) => j.status)).toEqual(new Array(8).fill('succeeded'));
    expect(jobs.map((j) => j.runId).sort()).toEqual(runs.map((r) => r.id).sort());

    // The same sweep again: every point is already stored, nothing is queued on Redis.
    const again = cli(app, 'sweep', 'blobs', '--set', 'training.epochs=40,41,42,43', '--set', 'training.learningRate=0.02,0.05', '--redis', redis.url, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).jobs).toEqual({ total: 8, trained: 0, reused: 8, failed: 0 });
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
  }, 240_000);
});
