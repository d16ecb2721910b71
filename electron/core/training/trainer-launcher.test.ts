// `auto` in a real training process with a host that decides: the process measures its own backends, reports the
// figures and trains on the backend the host answers — or on none, or fails with the host's reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTabularProject, tempDir } from '../testing/git-fixtures.js';
import { loadManifest } from './load-manifest.js';
import type { ProbeFigure } from './portable/trainer-protocol.js';
import { launchTrainer, type TrainerHandlers } from './trainer-launcher.js';

const root = tempDir('mc-ask-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const repo = makeTabularProject(path.join(root, 'blobs'), 1, 120);
const probeCacheFile = path.join(root, 'probes.json');
const job = { repoDir: repo, manifest: loadManifest(repo), backend: 'auto' as const, probeCacheFile, askBackend: true as const };

function launch(onMeasured: NonNullable<TrainerHandlers['onMeasured']>) {
  const asked: ProbeFigure[][] = [];
  let started: string | null = null;
  const handle = launchTrainer(job, {
    onEpoch: () => {},
    onStarted: (info) => (started = info.backend),
    onMeasured: (probes) => (asked.push(probes), onMeasured(probes)),
  });
  return { asked, started: () => started, outcome: handle.outcome };
}

describe('a training process asks its host which backend `auto` trains on', () => {
  it('trains on the backend the host answers, after reporting every backend of the process', async () => {
    const run = launch(async () => 'cpu');
    const outcome = await run.outcome;
    expect(outcome.kind).toBe('done');
    expect(run.started()).toBe('cpu');
    expect(run.asked).toHaveLength(1);
    expect(run.asked[0]!.map((p) => p.backend)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(run.asked[0]!.find((p) => p.backend === 'wasm')!.samplesPerSecond).toBeGreaterThan(0);
  });

  it('trains nothing when the host chose a backend elsewhere, and answers with the figures', async () => {
    const run = launch(async () => null);
    const outcome = await run.outcome;
    expect(outcome).toMatchObject({ kind: 'probed', probes: run.asked[0] });
    expect(run.started()).toBeNull();
  });

  it("fails with the host's reason when no backend can train the model", async () => {
    const run = launch(async () => {
      throw new Error('No backend can train this model here: out of memory (wasm, cpu)');
    });
    expect(await run.outcome).toEqual({ kind: 'failed', message: 'No backend can train this model here: out of memory (wasm, cpu)' });
    expect(run.started()).toBeNull();
  });
});
