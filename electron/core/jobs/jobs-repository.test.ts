// The job rows on a real SQLite store: one job per key, a result stored once (a second delivery, or one after a
// cancel, writes nothing), interrupted jobs back in the queue, and the statuses a repeated sweep brings back.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../shared/manifest.js';
import { openDatabase } from '../store/database.js';
import { RunsRepository } from '../store/runs-repository.js';
import { runParams } from '../runs/run-key.js';
import { tabularManifest, tempDir } from '../testing/git-fixtures.js';
import type { JobResult, JobSpec } from './job-spec.js';
import { JobsRepository } from './jobs-repository.js';

const home = tempDir('mc-jobs-repo-');
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function setup() {
  const db = openDatabase(path.join(home, `${crypto.randomUUID()}.db`));
  const projectId = crypto.randomUUID();
  db.prepare(`INSERT INTO projects (id, name, source, path, status, created_at) VALUES (?, 'p', '/src/p', ?, 'ready', ?)`).run(projectId, path.join(home, projectId), new Date().toISOString());
  const manifest = Manifest.parse(tabularManifest(2));
  const spec = (lr: number): JobSpec => {
    const m = { ...manifest, training: { ...manifest.training, learningRate: lr } };
    return { projectId, source: '/src/p', commit: 'a'.repeat(40), manifest: m, backend: 'cpu', fold: null, point: { 'training.learningRate': lr }, key: { params: { ...runParams(m), 'training.learningRate': lr }, manifestHash: `h${lr}`, dataHash: 'd', seed: 7 } };
  };
  return { db, jobs: new JobsRepository(db), runs: new RunsRepository(db), spec, projectId };
}

const result: JobResult = {
  metrics: { accuracy: 0.9 }, labels: ['a', 'b'], confusionMatrix: [[1, 0], [0, 1]], seconds: 1, samplesPerSecond: 100,
  history: [{ epoch: 1, loss: 1, valLoss: 0.9, metrics: { accuracy: 0.5 }, samplesPerSecond: 100 }, { epoch: 2, loss: 0.5, valLoss: 0.4, metrics: { accuracy: 0.9 }, samplesPerSecond: 100 }],
  split: { train: 8, validation: 1, test: 2 }, bestEpoch: 2, warnings: [], backend: 'cpu', device: 'CPU', checkpointDir: null, worker: 'host:1',
};

describe('jobs repository', () => {
  it('stores a job once per key and its run exactly once, whoever delivers the result and how often', () => {
    const { jobs, runs, spec, projectId } = setup();
    const a = jobs.enqueue(spec(0.1), { queue: 'redis', sweepId: 's' });
    expect(jobs.enqueue(spec(0.1), { queue: 'redis', sweepId: 's' }).id).toBe(a.id);
    jobs.markDispatched(a.id, process.pid);
    const run = jobs.complete(a.id, result)!;
    expect(run).toMatchObject({ id: a.runId, status: 'succeeded', metrics: { accuracy: 0.9 }, bestEpoch: 2, split: { train: 8, validation: 1, test: 2 } });
    expect(run.params!['training.learningRate']).toBe(0.1);
    expect(run.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(jobs.complete(a.id, result)).toBeNull(); // a retried remote job delivering again
    expect(runs.listForProject(projectId)).toHaveLength(1);
    expect(jobs.enqueue(spec(0.1), { queue: 'local' })).toMatchObject({ status: 'succeeded', queue: 'redis' });

    const b = jobs.enqueue(spec(0.2), { queue: 'local' });
    expect(jobs.cancel(b.id)).toBe(true);
    expect(jobs.complete(b.id, result)).toBeNull(); // a result after a cancel is dropped
    expect(runs.get(b.runId)).toBeUndefined();
    // Asked for again, a cancelled job is queued again, on the queue asked for now.
    expect(jobs.enqueue(spec(0.2), { queue: 'redis' })).toMatchObject({ id: b.id, status: 'queued', queue: 'redis' });
  });

  it('takes the oldest queued job once; a dead owner’s running job goes back to the queue; pause and resume', () => {
    const { jobs, spec } = setup();
    const ids = [0.1, 0.2, 0.3].map((lr) => jobs.enqueue(spec(lr), { queue: 'local', sweepId: 's' }).id);
    expect(jobs.claimNext('local', 111)!.id).toBe(ids[0]);
    expect(jobs.claimNext('redis', 111)).toBeUndefined();
    expect(jobs.requeueInterrupted('local', (pid) => pid !== 111)).toBe(1);
    expect(jobs.get(ids[0]!)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(jobs.claimNext('local', process.pid)!.id).toBe(ids[0]);
    expect(jobs.requeueInterrupted('local', () => true)).toBe(0);
    expect(jobs.pause('s')).toBe(3);
    expect(jobs.claimNext('local', process.pid)).toBeUndefined();
    expect(jobs.resume('s')).toBe(3);
    expect(jobs.claimNext('local', process.pid)).toMatchObject({ id: ids[0], attempts: 3 }); // every start counts
    jobs.fail(ids[1]!, 'boom');
    expect(jobs.enqueue(spec(0.2), { queue: 'local' })).toMatchObject({ status: 'queued', error: null });
  });
});
