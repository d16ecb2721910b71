import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventMessage } from '../../shared/contract.js';
import { createServices, type Services } from './services.js';
import { makeRepo, makeTabularProject, tempDir } from './testing/git-fixtures.js';

let root: string;
let services: Services;
let projectId: string;

beforeAll(async () => {
  root = tempDir();
  services = createServices({ home: path.join(root, 'home'), version: 'test' });
  const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 8);
  projectId = (await services.projects.add(repo)).id;
});
afterAll(() => {
  services.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('training runs', () => {
  it('trains in a separate process, streams each epoch, stores the run with its commit', async () => {
    const seen: EventMessage[] = [];
    const off = services.events.subscribe((m) => seen.push(m));
    const { run, finished } = await services.training.start(projectId);
    expect(run.status).toBe('running');
    const done = await finished;
    off();
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(done.metrics!.accuracy).toBeGreaterThan(0.75);
    expect(done.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(done.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(seen.filter((m) => m.name === 'training:progress')).toHaveLength(8);
    expect(seen.at(-1)!.name).toBe('training:finished');
  });

  it('gives identical metrics for the same manifest, commit and backend', async () => {
    const a = await (await services.training.start(projectId, { epochs: 3 })).finished;
    const b = await (await services.training.start(projectId, { epochs: 3 })).finished;
    expect(a.metrics).toEqual(b.metrics);
    expect(a.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
  });

  it('records a run whose training process is killed (kill -9) as failed, and keeps serving', async () => {
    const { run, finished } = await services.training.start(projectId, { epochs: 500 });
    await new Promise<void>((resolve) => {
      const off = services.events.subscribe((m) => {
        if (m.name !== 'training:progress') return;
        off();
        resolve();
      });
    });
    const pid = (services.training as unknown as { active: Map<string, { handle: { pid: number } }> }).active.get(run.id)!.handle.pid;
    process.kill(pid, 'SIGKILL');
    const ended = await finished;
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/stopped unexpectedly \(SIGKILL\)/);
    expect(ended.history.length).toBeGreaterThan(0);
    expect(services.projects.list()).toHaveLength(1);
  });

  it('records a run a browser trains from its reports, and fails one whose browser goes silent', async () => {
    const { run, manifest, data } = await services.training.startInBrowser(projectId, 'webgl', 2);
    expect(manifest.training.epochs).toBe(2);
    expect(data.nFeatures).toBe(4);
    expect(data.xTrain).toHaveLength(data.nTrain * 4);
    const record = { epoch: 1, loss: 0.5, valLoss: 0.6, metrics: { accuracy: 0.8 }, samplesPerSecond: 1000 };
    expect(services.training.report(run.id, { kind: 'started', backend: 'webgl', device: 'GPU (WebGL 2, test)', parameters: 131, trainRows: 180, testRows: 60 })).toBe(true);
    services.training.report(run.id, { kind: 'epoch', record });
    services.training.report(run.id, { kind: 'done', result: { metrics: { accuracy: 0.8 }, labels: ['a'], confusionMatrix: [[1]], seconds: 1, samplesPerSecond: 1000 } });
    expect(services.training.get(run.id)).toMatchObject({ status: 'succeeded', backend: 'webgl', device: 'GPU (WebGL 2, test)', history: [record] });
    expect(services.training.report(run.id, { kind: 'epoch', record })).toBe(false); // a finished run takes no more

    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const silent = (await services.training.startInBrowser(projectId, 'webgpu', 2)).run;
      vi.advanceTimersByTime(65_000);
      expect(services.training.get(silent.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped reporting/) });
    } finally {
      vi.useRealTimers();
    }
  });

  it('cancels a run', async () => {
    const { run } = await services.training.start(projectId, { epochs: 500 });
    await new Promise((r) => setTimeout(r, 300));
    const cancelled = await services.training.cancel(run.id);
    expect(cancelled.status).toBe('cancelled');
  });

  it('explains a project without a manifest, and a manifest naming an unknown layer', async () => {
    const bare = makeRepo(path.join(root, 'src', 'bare'), [{ author: 'A', email: 'a@x.org', message: 'm', files: { 'x.txt': 'x' } }]);
    const bareId = (await services.projects.add(bare)).id;
    expect(services.training.manifestInfo(bareId)).toMatchObject({ found: false });
    await expect(services.training.start(bareId)).rejects.toThrow(/no modelcommons\.json/);

    const odd = makeRepo(path.join(root, 'src', 'odd'), [
      {
        author: 'A',
        email: 'a@x.org',
        message: 'm',
        files: {
          'data/train.csv': 'a,label\n1,x\n2,y\n3,x\n4,y\n5,x\n6,y\n7,x\n8,y\n',
          'modelcommons.json': JSON.stringify({
            name: 'odd',
            task: 'classification',
            data: { train: 'data/train.csv', label: 'label' },
            model: { layers: [{ type: 'transformer', units: 2 }] },
          }),
        },
      },
    ]);
    const oddId = (await services.projects.add(odd)).id;
    const run = await (await services.training.start(oddId)).finished;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Unknown layer type "transformer" \(layer 1\)/);
  });
});
