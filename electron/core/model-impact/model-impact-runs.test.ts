// The service side of model impact through the contract's dispatcher, as every host calls it: `impact:model`
// announces "n/total trainings" progress as `impact:modelProgress`, `impact:cancelModel` stops it with a one-line
// conflict, and the next request continues from the trainings stored before the cancel.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { EventMessage } from '../../../shared/contract.js';
import type { ModelImpact } from '../../../shared/impact.js';
import { createServices } from '../services.js';
import { tempDir } from '../testing/git-fixtures.js';
import { plantedHistory } from '../testing/model-impact-history.js';

const root = tempDir('mc-model-runs-');
const history = plantedHistory();
afterAll(() => {
  history.repo.remove();
  fs.rmSync(root, { recursive: true, force: true });
});

it('runs, reports progress, cancels and resumes through the dispatcher', async () => {
  const services = createServices({ home: path.join(root, 'home'), version: 'test' });
  try {
    const project = await services.projects.add(history.repo.dir);
    const progress: EventMessage<'impact:modelProgress'>['payload'][] = [];
    let cancelSent = false;
    const unsubscribe = services.events.subscribe((m) => {
      if (m.name !== 'impact:modelProgress') return;
      const p = m.payload as EventMessage<'impact:modelProgress'>['payload'];
      progress.push(p);
      if (p.phase === 'training' && p.done === 2 && !cancelSent) {
        cancelSent = true;
        void services.dispatch('impact:cancelModel', { projectId: project.id });
      }
    });
    const cancelled = await services.dispatch('impact:model', { projectId: project.id, method: 'replay', workers: 1 });
    expect(cancelled).toEqual({ ok: false, error: { kind: 'conflict', message: expect.stringMatching(/cancelled/) } });
    const training = progress.filter((p) => p.phase === 'training');
    expect(training.at(-1)!.total).toBe(12); // 4 trainable states × 3 seeds
    expect(training.some((p) => p.etaSeconds !== null)).toBe(true);

    progress.length = 0;
    const done = await services.dispatch('impact:model', { projectId: project.id, method: 'replay', workers: 1 });
    unsubscribe();
    expect(done).toMatchObject({ ok: true });
    const model = (done as { ok: true; value: ModelImpact }).value;
    expect(model.cached).toBeGreaterThanOrEqual(2);
    expect(model.trainings + model.cached).toBe(12);
    expect(progress.filter((p) => p.phase === 'training').at(-1)).toMatchObject({ done: model.trainings, total: model.trainings });

    const bad = await services.dispatch('impact:model', { projectId: project.id, seeds: 1 });
    expect(bad.ok).toBe(false);

    // The finished analysis is kept (a failed one does not replace it), with the runs behind every trained point.
    const last = await services.dispatch('impact:lastModel', { projectId: project.id });
    expect(last).toMatchObject({ ok: true, value: { report: { trainings: model.trainings, cached: model.cached }, bisect: null } });
    const stored = (last as { ok: true; value: { report: ModelImpact } }).value.report;
    expect(stored.commits.filter((c) => c.trained).every((c) => c.runs.map((r) => r.seed).join() === '1,2,3')).toBe(true);
    expect(stored.commits.find((c) => c.trained)!.runs.map((r) => r.metric).reduce((a, b) => a + b, 0) / 3).toBeCloseTo(stored.commits.find((c) => c.trained)!.metric.mean, 12);
  } finally {
    services.close();
  }
});
