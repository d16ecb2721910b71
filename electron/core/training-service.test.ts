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
    const pid = (services.training as unknown as { active: Map<string, { state: { handle: { pid: number } } }> }).active.get(run.id)!.state.handle.pid;
    process.kill(pid, 'SIGKILL');
    const ended = await finished;
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/stopped unexpectedly \(SIGKILL\)/);
    expect(ended.history.length).toBeGreaterThan(0);
    expect(services.projects.list()).toHaveLength(1);
  });

  it('hands WebGL/WebGPU runs to a Chromium context over the contract, stores its reports and checkpoint', async () => {
    // This test plays the Chromium context (the e2e specs run the real one): it claims the announced job through the
    // contract, gets the data as typed arrays, and reports in trainer-protocol messages.
    await expect(services.training.start(projectId, { backend: 'webgl' })).rejects.toThrow(/webgl backend is not available here: .*Chromium context/);
    services.chromium.useContexts({ unavailable: () => null });
    const jobs: string[] = [];
    const off = services.events.on('trainer:job', (p) => jobs.push(p.jobId));
    try {
      const { run, finished } = await services.training.start(projectId, { backend: 'webgl', epochs: 2 });
      await vi.waitFor(() => expect(jobs.length).toBeGreaterThan(0));
      const jobId = jobs[0]!;
      const claimed = await services.dispatch('trainer:claim', { jobId });
      if (!claimed.ok) throw new Error(claimed.error.message);
      const job = claimed.value as { purpose: string; backends: string[]; manifest: { training: { epochs: number } }; data: { xTrain: unknown; nTrain: number; nFeatures: number } };
      expect(job).toMatchObject({ purpose: 'train', backends: ['webgl'], manifest: { training: { epochs: 2 } }, data: { nFeatures: 4 } });
      expect(job.data.xTrain).toBeInstanceOf(Float32Array);
      expect((job.data.xTrain as Float32Array).length).toBe(job.data.nTrain * 4);
      expect(await services.dispatch('trainer:claim', { jobId })).toMatchObject({ ok: false, error: { kind: 'conflict' } });

      const report = (message: unknown) => services.dispatch('trainer:report', { jobId, message });
      const record = { epoch: 1, loss: 0.5, valLoss: 0.6, metrics: { accuracy: 0.8 }, samplesPerSecond: 1000 };
      await report({ kind: 'started', backend: 'webgl', device: 'GPU (WebGL 2, test)', parameters: 131, trainRows: 180, testRows: 60 });
      await report({ kind: 'epoch', record });
      const weights = new Uint8Array(Float32Array.from([1, 2, 3]).buffer);
      const checkpoint = { modelTopology: { class_name: 'Sequential' }, weightSpecs: [{ name: 'w', shape: [3], dtype: 'float32' }], weightData: weights };
      const result = { metrics: { accuracy: 0.8 }, labels: ['a'], confusionMatrix: [[1]], seconds: 1, samplesPerSecond: 1000, epochsRun: 1, stoppedEarly: false };
      expect(await report({ kind: 'done', result, checkpoint })).toEqual({ ok: true, value: { accepted: true } });
      const ended = await finished;
      expect(ended).toMatchObject({ id: run.id, status: 'succeeded', backend: 'webgl', device: 'GPU (WebGL 2, test)', history: [record] });
      expect(fs.readFileSync(path.join(ended.checkpoint!, 'weights.bin'))).toEqual(Buffer.from(weights));
      expect(JSON.parse(fs.readFileSync(path.join(ended.checkpoint!, 'model.json'), 'utf8'))).toMatchObject({
        modelTopology: { class_name: 'Sequential' },
        weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [3] }] }],
      });
      expect(await report({ kind: 'epoch', record })).toEqual({ ok: true, value: { accepted: false } }); // ended: no more
    } finally {
      off();
      services.chromium.useContexts({ unavailable: () => 'no context in this test' });
    }
  });

  it('auto probes the Chromium backends too and trains there when one measured fastest', async () => {
    services.chromium.useContexts({ unavailable: () => null });
    const seen: { jobId: string; purpose: string }[] = [];
    const off = services.events.on('trainer:job', (p) => seen.push(p));
    try {
      const { finished } = await services.training.start(projectId, { epochs: 1 });
      await vi.waitFor(() => expect(seen.some((j) => j.purpose === 'probe')).toBe(true));
      const probeId = seen.find((j) => j.purpose === 'probe')!.jobId;
      const claimed = await services.dispatch('trainer:claim', { jobId: probeId });
      expect(claimed).toMatchObject({ ok: true, value: { purpose: 'probe', backends: ['webgpu', 'webgl'] } });
      await services.dispatch('trainer:report', {
        jobId: probeId,
        message: {
          kind: 'probed',
          probes: [
            { backend: 'webgpu', device: null, samplesPerSecond: null, reason: 'no WebGPU adapter' },
            { backend: 'webgl', device: 'GPU (WebGL 2, test)', samplesPerSecond: 1e12, reason: null },
          ],
        },
      });
      // The training process measures its own backends, hands the run over, and a train job follows.
      await vi.waitFor(() => expect(seen.some((j) => j.purpose === 'train')).toBe(true), { timeout: 30_000 });
      const trainId = seen.find((j) => j.purpose === 'train')!.jobId;
      expect(await services.dispatch('trainer:claim', { jobId: trainId })).toMatchObject({ ok: true, value: { backends: ['webgl'] } });
      await services.dispatch('trainer:report', { jobId: trainId, message: { kind: 'started', backend: 'webgl', device: 'GPU (WebGL 2, test)', parameters: 1, trainRows: 1, testRows: 1 } });
      await services.dispatch('trainer:report', { jobId: trainId, message: { kind: 'failed', message: 'out of GPU memory' } });
      const ended = await finished;
      expect(ended).toMatchObject({ status: 'failed', error: 'out of GPU memory', backend: 'webgl' });
      expect(ended.probes!.map((p) => p.backend)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu', 'webgpu', 'webgl']);
      expect(ended.probes!.find((p) => p.backend === 'webgpu')!.reason).toBe('no WebGPU adapter');
    } finally {
      off();
      services.chromium.useContexts({ unavailable: () => 'no context in this test' });
    }
  }, 60_000);

  it('fails a Chromium run nobody claims, and one whose context goes silent', async () => {
    services.chromium.useContexts({ unavailable: () => null });
    const jobs: string[] = [];
    const off = services.events.on('trainer:job', (p) => jobs.push(p.jobId));
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const unclaimed = await services.training.start(projectId, { backend: 'webgpu', epochs: 2 });
      await vi.waitFor(() => expect(jobs.length).toBeGreaterThan(0));
      vi.advanceTimersByTime(25_000);
      expect(await unclaimed.finished).toMatchObject({ status: 'failed', error: expect.stringMatching(/No Chromium context took the job within 20 s/) });

      jobs.length = 0;
      const silent = await services.training.start(projectId, { backend: 'webgl', epochs: 2 });
      await vi.waitFor(() => expect(jobs.length).toBeGreaterThan(0));
      await services.dispatch('trainer:claim', { jobId: jobs[0]! });
      vi.advanceTimersByTime(65_000);
      expect(await silent.finished).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped reporting/) });
    } finally {
      vi.useRealTimers();
      off();
      services.chromium.useContexts({ unavailable: () => 'no context in this test' });
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
