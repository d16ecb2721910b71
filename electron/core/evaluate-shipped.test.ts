// "Evaluate shipped model" through the services every host uses: the manifest summary says the model file carries
// trained weights, and a run started with `evaluate` scores them on the test rows with no epoch and no checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestInfo, Run } from '../../shared/contract.js';
import { createServices, type Services } from './services.js';
import { tempDir } from './testing/git-fixtures.js';
import { makeShippedModelProject } from './testing/shipped-model-project.js';

let root: string;
let services: Services;

beforeAll(() => {
  root = tempDir();
  services = createServices({ home: path.join(root, 'home'), version: 'test' });
});
afterAll(() => {
  services.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('evaluating the shipped model', () => {
  it('offers it for a model file with weights, and scores it on the test rows without training', async () => {
    const id = (await services.projects.add(makeShippedModelProject(path.join(root, 'src', 'tfjs')))).id;
    const info = await services.dispatch('projects:manifest', { projectId: id });
    expect(info.ok && (info.value as ManifestInfo).shippedWeights).toBe(true);

    const started = await services.dispatch('training:start', { projectId: id, backend: 'cpu', evaluate: true });
    if (!started.ok) throw new Error(started.error.message);
    const runId = (started.value as Run).id;
    let run = services.training.get(runId);
    for (let i = 0; i < 600 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = services.training.get(runId);
    }
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(run.history).toEqual([]);
    expect(run.epochs).toBe(0);
    // The shipped weights separate the classes exactly: an untrained (fresh) model would not.
    expect(run.metrics!.accuracy).toBe(1);
    expect(run.metrics!.roc_auc).toBe(1);
    expect(run.warnings).toContain('model.evaluate: the shipped model is evaluated on the test rows as it is, without training');
  });

  it('does not offer it for a topology without weights', async () => {
    const id = (await services.projects.add(makeShippedModelProject(path.join(root, 'src', 'keras'), 'topology'))).id;
    const info = await services.dispatch('projects:manifest', { projectId: id });
    expect(info.ok && (info.value as ManifestInfo).shippedWeights).toBe(false);
  });
});
