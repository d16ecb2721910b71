// The score's optional model term: C = αG + βD + γPQ + δM, M from each contributor's Shapley value in the project's
// last model analysis (stored, migration 14), negative effects counting 0 in the share but kept signed; δ = 0 by
// default, so the score is the same as without it until someone raises δ.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, withModelTerm, type ContributorImpact, type ImpactReport, type ModelImpact, type ModelImpactContributor } from '../../../shared/impact.js';
import { createServices } from '../services.js';
import { openDatabase } from '../store/database.js';
import { ModelImpactReportsRepository } from '../store/model-impact-reports-repository.js';
import { makeRepo, tempDir } from '../testing/git-fixtures.js';

const root = tempDir('mc-model-term-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const point = (mean: number) => ({ mean, low: mean - 0.01, high: mean + 0.01 });

function modelReport(values: Record<string, number | null>, higherIsBetter = true): ModelImpact {
  const contributors: ModelImpactContributor[] = Object.entries(values).map(([email, v]) => ({
    name: email.split('@')[0]!,
    email,
    bot: false,
    replayDelta: v ?? 0,
    leaveOneOut: null,
    shapley: v === null ? null : point(v),
    significant: false,
  }));
  return {
    metric: higherIsBetter ? 'accuracy' : 'mse',
    higherIsBetter,
    seeds: 3,
    method: 'all',
    evaluation: { commit: 'e'.repeat(40), rows: 10, description: 'the test split' },
    trainings: 0,
    cached: 0,
    states: 1,
    naive: { commits: 3, coalitions: 8 },
    full: point(0.9),
    empty: point(0.5),
    noise: { sd: 0.01, halfWidth: 0.02 },
    shapley: { kind: 'exact', players: contributors.length, samples: 8, efficiencyGap: 0 },
    commits: [
      {
        sha: 'h'.repeat(40),
        author: 'ada',
        email: 'ada@x.org',
        credit: ['ada@x.org'],
        touchesModel: true,
        trained: true,
        metric: point(0.9),
        delta: point(0.1),
        significant: true,
        pValue: 0.01,
        mcnemarP: null,
        problem: null,
        runs: [1, 2, 3].map((seed) => ({ seed, metric: 0.9 })),
      },
    ],
    contributors,
    skipped: [],
    bisect: [],
  };
}

/** Two people with equal code credit (and one with none): only M can tell them apart. */
function creditReport(weights = DEFAULT_WEIGHTS): ImpactReport {
  const person = (name: string, email: string, g: number, emails: string[] = [email]) => ({ name, email, emails, components: { g, d: 0, pq: 0, m: 0 }, score: 0, share: 0 }) as unknown as ContributorImpact;
  return { contributors: [person('Ada', 'ada@x.org', 0.5), person('Bo', 'bo@x.org', 0.5, ['bo@x.org', 'bo@old.org']), person('Cy', 'cy@x.org', 0)], weights };
}

describe('the model term M', () => {
  it('is each person’s positive Shapley value over the total, negative ones counting 0 but kept signed', () => {
    const stored = { report: modelReport({ 'ada@x.org': 0.3, 'bo@old.org': 0.1, 'cy@x.org': -0.2 }), analysedAt: '2026-12-04T00:00:00.000Z' };
    const scored = withModelTerm(creditReport({ ...DEFAULT_WEIGHTS, delta: 1 }), stored);
    const m = scored.contributors.map((c) => c.components.m);
    expect(m[0]).toBeCloseTo(0.75, 12);
    expect(m[1]).toBeCloseTo(0.25, 12);
    expect(m[2]).toBe(0);
    // Bo's alias is matched; Cy's harm shows signed beside a share of 0.
    expect(scored.contributors.map((c) => c.modelShapley)).toEqual([0.3, 0.1, -0.2]);
    expect(scored.modelTerm).toEqual({ metric: 'accuracy', higherIsBetter: true, commit: 'h'.repeat(40), analysedAt: stored.analysedAt });
    expect(scored.contributors.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 12);
  });

  it('changes nothing while δ is 0 (the default), and reorders people as δ rises', () => {
    const stored = { report: modelReport({ 'ada@x.org': 0.05, 'bo@x.org': 0.4, 'cy@x.org': 0 }), analysedAt: 'now' };
    const plain = withModelTerm(creditReport(), stored);
    expect(plain.contributors.map((c) => c.share)).toEqual([0.5, 0.5, 0]);
    const weighed = withModelTerm(creditReport({ ...DEFAULT_WEIGHTS, delta: 0.5 }), stored);
    const [ada, bo, cy] = weighed.contributors;
    expect(bo!.share).toBeGreaterThan(ada!.share);
    expect(bo!.score).toBeCloseTo(0.6 * 0.5 + 0.5 * (0.4 / 0.45), 12);
    expect(cy!.share).toBe(0);
  });

  it('counts a lower metric as better for a loss', () => {
    const stored = { report: modelReport({ 'ada@x.org': -0.2, 'bo@x.org': 0.2, 'cy@x.org': null }, false), analysedAt: 'now' };
    expect(withModelTerm(creditReport(), stored).contributors.map((c) => c.components.m)).toEqual([1, 0, 0]);
  });

  it('is 0 for everyone, with no source, without an analysis or without Shapley values', () => {
    for (const stored of [null, { report: modelReport({ 'ada@x.org': null, 'bo@x.org': null }), analysedAt: 'now' }]) {
      const scored = withModelTerm(creditReport({ ...DEFAULT_WEIGHTS, delta: 1 }), stored);
      expect(scored.contributors.map((c) => c.components.m)).toEqual([0, 0, 0]);
      expect(scored.modelTerm).toBeUndefined();
      expect(scored.contributors.every((c) => c.modelShapley === undefined)).toBe(true);
    }
  });
});

describe('the stored last analysis', () => {
  it('survives reopening the store; a newer analysis drops the old bisect; an unreadable one reads as none', () => {
    const file = path.join(root, 'store', 'modelcommons.db');
    const db = openDatabase(file);
    db.prepare("INSERT INTO projects (id, name, source, path, status, created_at) VALUES ('p1', 'p', '/s', '/d', 'ready', 1)").run();
    const repo = new ModelImpactReportsRepository(db);
    expect(repo.get('p1')).toBeNull();
    const report = modelReport({ 'ada@x.org': 0.3 });
    repo.saveReport('p1', report, '2026-12-04T10:00:00.000Z');
    const bisect = { metric: 'accuracy', higherIsBetter: true, good: { sha: 'g', metric: point(0.9) }, bad: { sha: 'b', metric: point(0.6) }, dropped: true, firstBad: { sha: 'f', author: 'Mallory', email: 'm@x.org', metric: point(0.6) }, steps: [], trainings: 0 };
    repo.saveBisect('p1', bisect);
    db.close();

    const again = openDatabase(file);
    const reopened = new ModelImpactReportsRepository(again);
    expect(reopened.get('p1')).toEqual({ report, analysedAt: '2026-12-04T10:00:00.000Z', bisect });
    reopened.saveReport('p1', report, '2026-12-04T11:00:00.000Z');
    expect(reopened.get('p1')!.bisect).toBeNull();
    again.prepare("UPDATE model_impact_reports SET report_json = '{\"metric\": 1}'").run();
    expect(reopened.get('p1')).toBeNull();
    again.close();
  });

  it('gives the contributor report its M through the service, and `impact:lastModel` reads it back', async () => {
    const repoDir = makeRepo(path.join(root, 'src', 'pair'), [
      { author: 'Ada', email: 'ada@x.org', message: 'code', files: { 'src/a.py': 'a\n' } },
      { author: 'Bo', email: 'bo@x.org', message: 'code', files: { 'src/b.py': 'b\n' } },
    ]);
    const services = createServices({ home: path.join(root, 'home'), version: 'test' });
    try {
      const project = await services.projects.add(repoDir);
      const before = await services.dispatch('impact:analyze', { projectId: project.id, blame: false, weights: { delta: 1 } });
      expect(before, JSON.stringify(before)).toMatchObject({ ok: true });
      expect((before as { ok: true; value: ImpactReport }).value.modelTerm).toBeUndefined();
      expect(await services.dispatch('impact:lastModel', { projectId: project.id })).toEqual({ ok: true, value: null });

      new ModelImpactReportsRepository(services.db).saveReport(project.id, modelReport({ 'ada@x.org': 0.1, 'bo@x.org': 0.3 }), '2026-12-04T10:00:00.000Z');
      const after = (await services.dispatch('impact:analyze', { projectId: project.id, blame: false, weights: { alpha: 0, beta: 0, gamma: 0, delta: 1 } })) as { ok: true; value: ImpactReport };
      const share = Object.fromEntries(after.value.contributors.map((c) => [c.name, c.share]));
      expect(share.Ada).toBeCloseTo(0.25, 12);
      expect(share.Bo).toBeCloseTo(0.75, 12);
      expect(after.value.modelTerm?.metric).toBe('accuracy');
      const last = await services.dispatch('impact:lastModel', { projectId: project.id });
      expect(last).toMatchObject({ ok: true, value: { analysedAt: '2026-12-04T10:00:00.000Z', bisect: null } });
    } finally {
      services.close();
    }
  });
});
