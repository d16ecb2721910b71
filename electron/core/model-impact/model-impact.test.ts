// Model impact on a scripted history with planted effects (a real git repository, real tfjs trainings in the
// pool, a real SQLite store): label corruption and its fix are significant, more data helps, docs and bot commits
// are exactly 0 and never trained, a learning-rate nudge stays within noise, co-authors and .mailmap aliases are
// credited as the contributor report does, Shapley values are efficient and give a null player 0; a second
// analysis reuses every training, a killed one resumes, a cancelled one stops.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelImpact } from '../../../shared/impact.js';
import { openDatabase, type Db } from '../store/database.js';
import { ModelTrainingsRepository } from '../store/model-trainings-repository.js';
import { tempDir } from '../testing/git-fixtures.js';
import { TestRepo } from '../testing/test-git-repo.js';
import { csvHeader, impactManifest, people, plantedHistory, twoClassRows, type PlantedHistory } from '../testing/model-impact-history.js';
import { analyzeModelImpact, type ModelImpactOptions } from './analyze-model-impact.js';
import { bisectModel } from './bisect-model.js';
import { TrainingPool } from './training-pool.js';

const SEEDS = 3;
let history: PlantedHistory;
let pool: TrainingPool;
let db: Db;
let store: ModelTrainingsRepository;
let home: string;
let report: ModelImpact;
let objectsBefore: string[];
let objectsAfter: string[];

/** Every file under the clone's .git (objects, refs, index): what "nothing written into the clone" compares. */
function listObjects(dir: string): string[] {
  return (fs.readdirSync(path.join(dir, '.git'), { recursive: true }) as string[]).sort();
}

const commitOf = (r: ModelImpact, sha: string) => r.commits.find((c) => c.sha === sha)!;
const personOf = (r: ModelImpact, email: string) => r.contributors.find((c) => c.email === email);
const run = (options: Partial<ModelImpactOptions> = {}, dir = history.repo.dir) => analyzeModelImpact(dir, { runner: pool, store, seeds: SEEDS, ...options });

beforeAll(async () => {
  history = plantedHistory();
  home = tempDir('mc-model-impact-test-');
  db = openDatabase(path.join(home, 'store.db'));
  store = new ModelTrainingsRepository(db);
  pool = new TrainingPool({ workers: 2 });
  objectsBefore = listObjects(history.repo.dir);
  report = await run({ method: 'all' });
  objectsAfter = listObjects(history.repo.dir);
}, 120_000);

afterAll(async () => {
  await pool.close();
  db.close();
  history.repo.remove();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('model impact on planted effects', () => {
  it('scores every state on the HEAD test split', () => {
    expect(report.metric).toBe('accuracy');
    expect(report.higherIsBetter).toBe(true);
    expect(report.seeds).toBe(SEEDS);
    expect(report.evaluation.commit).toBe(history.sha.hyper);
    expect(report.evaluation.rows).toBe(100); // 25 % of 400 rows
    expect(report.empty.mean).toBe(report.empty.low); // the trivial predictor has no noise
    expect(report.full.mean).toBeGreaterThan(0.85);
    expect(report.noise.halfWidth).toBeGreaterThanOrEqual(0);
    expect(report.commits.map((c) => c.sha)).toEqual(Object.values(history.sha));
  });

  it('writes nothing into the clone (replays use a temporary object directory)', () => {
    expect(objectsAfter).toEqual(objectsBefore);
    expect(history.repo.git(['status', '--porcelain'])).toBe('');
  });

  it('finds label corruption negative and its fix positive, both beyond noise; more data helps', () => {
    const corrupt = commitOf(report, history.sha.corrupt);
    const fix = commitOf(report, history.sha.fix);
    expect(corrupt.delta.mean).toBeLessThan(-0.3);
    expect(corrupt.significant).toBe(true);
    expect(corrupt.mcnemarP).toBeLessThan(0.05);
    expect(fix.delta.mean).toBeGreaterThan(0.3);
    expect(fix.significant).toBe(true);
    const more = commitOf(report, history.sha.moreData);
    expect(more.delta.mean).toBeGreaterThan(0.1);
    expect(report.bisect.map((b) => [b.sha, b.author])).toEqual([[history.sha.corrupt, people.mallory.name]]);
  });

  it('gives docs-only and bot commits exactly 0 without training them', () => {
    for (const sha of [history.sha.docs, history.sha.bot]) {
      const c = commitOf(report, sha);
      expect(c.touchesModel).toBe(false);
      expect(c.trained).toBe(false);
      expect(c.delta).toEqual({ mean: 0, low: 0, high: 0 });
      expect(c.significant).toBe(false);
    }
    // Data added before any manifest names it changes nothing training reads yet.
    expect(commitOf(report, history.sha.data).touchesModel).toBe(false);
  });

  it('keeps a learning-rate nudge within noise', () => {
    const hyper = commitOf(report, history.sha.hyper);
    expect(hyper.touchesModel).toBe(true);
    expect(hyper.significant).toBe(false);
    expect(Math.abs(hyper.delta.mean)).toBeLessThan(0.05);
  });

  it('credits co-authors and .mailmap aliases as the contributor report does', () => {
    const fix = commitOf(report, history.sha.fix);
    expect(fix.author).toBe(people.grace.name);
    expect(fix.email).toBe(people.grace.email);
    expect(fix.credit).toEqual([people.grace.email, people.ada.email]);
    expect(personOf(report, people.graceOld.email)).toBeUndefined();
    const ada = personOf(report, people.ada.email)!;
    const grace = personOf(report, people.grace.email)!;
    // Half of the fix each; Grace also declared the model.
    expect(ada.replayDelta).toBeCloseTo(fix.delta.mean / 2, 10);
    expect(grace.replayDelta).toBeCloseTo(fix.delta.mean / 2 + commitOf(report, history.sha.manifest).delta.mean, 10);
    expect(personOf(report, people.bot.email)).toBeUndefined(); // a bot that never touched the model is left out
  });

  it('computes exact Shapley values that sum to v(everyone) − v(nobody) and give a null player 0', () => {
    expect(report.shapley?.kind).toBe('exact');
    expect(report.shapley?.players).toBe(5); // Ada, Grace, Eve, Mallory, Hal; Dan and the bot touch nothing the model reads
    const total = report.full.mean - report.empty.mean;
    const sum = report.contributors.reduce((s, c) => s + (c.shapley?.mean ?? 0), 0);
    expect(Math.abs(sum - total)).toBeLessThanOrEqual(0.01 * Math.abs(total));
    const dan = personOf(report, people.dan.email)!;
    expect(dan.shapley).toEqual({ mean: 0, low: 0, high: 0 });
    expect(dan.replayDelta).toBe(0);
    expect(dan.leaveOneOut).toBe(0);
    expect(dan.significant).toBe(false);
    // Ada's data and Grace's manifest are worth nothing alone and everything together: symmetric players.
    expect(personOf(report, people.ada.email)!.shapley!.mean).toBeCloseTo(personOf(report, people.grace.email)!.shapley!.mean, 10);
    // The naive count trains every coalition; deduplicated states train far fewer.
    expect(report.trainings).toBeLessThan(report.naive.coalitions);
  });

  it('samples Shapley values beyond the exact limit, still efficient within 1 %', async () => {
    // Every coalition's trainings are stored by the exact analysis: the budget (new trainings) is not touched.
    const sampled = await run({ method: 'shapley', exactPlayerLimit: 2, budget: 0 });
    expect(sampled.shapley?.kind).toBe('sampled');
    expect(sampled.trainings).toBe(0);
    expect(sampled.shapley?.samples).toBeGreaterThan(10);
    const total = sampled.full.mean - sampled.empty.mean;
    const sum = sampled.contributors.reduce((s, c) => s + (c.shapley?.mean ?? 0), 0);
    expect(Math.abs(sum - total)).toBeLessThanOrEqual(0.01 * Math.abs(total));
    expect(personOf(sampled, people.dan.email)!.shapley).toEqual({ mean: 0, low: 0, high: 0 });
  });

  it('reuses every stored training in a second analysis, and trains only the new state of a new commit', async () => {
    const again = await run({ method: 'all' });
    expect(again.trainings).toBe(0);
    expect(again.cached).toBeGreaterThan(0);
    expect(again.contributors).toEqual(report.contributors);

    const repo = history.repo;
    repo.write('README.md', '# Planted\n\nDocs only.\n');
    repo.commit(people.dan, 'More docs');
    expect((await run({ method: 'replay' })).trainings).toBe(0);
    repo.write('modelcommons.json', `${JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(repo.dir, 'modelcommons.json'), 'utf8')), training: { epochs: 7, batchSize: 16, optimizer: 'adam', learningRate: 0.045, seed: 7 } }, null, 2)}\n`);
    repo.commit(people.hal, 'One more epoch');
    // The yardstick is HEAD's test split: unchanged, since the data did not change.
    const next = await run({ method: 'replay' });
    expect(next.evaluation.rows).toBe(100);
    expect(next.trainings).toBe(SEEDS);
  });

  it('analyses only the commits after --since, replaying onto its state', async () => {
    const r = await run({ method: 'shapley', since: history.sha.bot, rev: history.sha.hyper });
    expect(r.commits.map((c) => c.sha)).toEqual([history.sha.moreData, history.sha.corrupt, history.sha.fix, history.sha.hyper]);
    // v(nobody) is the trained state at the base (few rows), no longer the trivial predictor.
    expect(r.empty.mean).toBeCloseTo(commitOf(report, history.sha.bot).metric.mean, 10);
    // One state is new: {Eve, Mallory, Hal} keeps the corrupted labels with the nudged learning rate, which no
    // coalition of the whole history reaches (there the fix comes with the people who made the data and the model).
    expect(r.trainings).toBe(SEEDS);
    const total = r.full.mean - r.empty.mean;
    const sum = r.contributors.reduce((s, c) => s + (c.shapley?.mean ?? 0), 0);
    expect(Math.abs(sum - total)).toBeLessThanOrEqual(0.01 * Math.abs(total));
  });

  it('bisects to the first state worse than good beyond noise and names its author', async () => {
    const result = await bisectModel(history.repo.dir, { runner: pool, store, seeds: SEEDS, good: history.sha.moreData, bad: history.sha.corrupt });
    expect(result.dropped).toBe(true);
    expect(result.firstBad?.sha).toBe(history.sha.corrupt);
    expect(result.firstBad?.author).toBe(people.mallory.name);
    const none = await bisectModel(history.repo.dir, { runner: pool, store, seeds: SEEDS, good: history.sha.fix, bad: history.sha.hyper });
    expect(none.dropped).toBe(false);
  });
});

describe('model impact on merges', () => {
  it('credits a merge on the first-parent line to the authors of the commits it brings in', async () => {
    const repo = TestRepo.create();
    try {
      const csv = (n: number) => `${csvHeader()}\n${twoClassRows(0, n).join('\n')}\n`;
      repo.write('modelcommons.json', `${JSON.stringify(impactManifest(), null, 2)}\n`).write('data/train.csv', csv(120));
      repo.commit(people.ada, 'The model and some data');
      repo.git(['checkout', '-q', '-b', 'more']);
      repo.write('data/train.csv', csv(400));
      repo.commit(people.eve, 'More data', { days: 1 });
      repo.git(['checkout', '-q', 'main']);
      const merge = repo.merge(people.grace, 'more');
      const r = await analyzeModelImpact(repo.dir, { runner: pool, store, seeds: 2, method: 'replay' });
      expect(r.commits.map((c) => c.sha)).toHaveLength(2); // first-parent: the root and the merge
      const m = r.commits.find((c) => c.sha === merge)!;
      expect(m.author).toBe(people.grace.name);
      expect(m.credit).toEqual([people.eve.email]);
      expect(m.touchesModel).toBe(true);
      expect(personOf(r, people.eve.email)!.replayDelta).toBeCloseTo(m.delta.mean, 12);
      expect(personOf(r, people.grace.email)).toBeUndefined(); // merging credits no one for the merged work
    } finally {
      repo.remove();
    }
  });
});

describe('model impact runs', () => {
  it('continues from the stored trainings after kill -9', async () => {
    const fresh = plantedHistory();
    const dbFile = path.join(home, 'resume.db');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../testing/model-impact-child.ts', import.meta.url)), fresh.repo.dir, dbFile, '1'], {
      stdio: 'ignore',
      // Its temporary folders (replay objects, training folders) outlive a SIGKILL: keep them where afterAll cleans.
      env: { ...process.env, TMPDIR: fs.mkdtempSync(path.join(home, 'child-tmp-')) },
    });
    const resumeDb = openDatabase(dbFile);
    const resumeStore = new ModelTrainingsRepository(resumeDb);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (resumeStore.count() >= 4) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
        }, 20);
        child.once('exit', () => {
          clearInterval(timer);
          reject(new Error('The analysis finished before it was killed'));
        });
      });
      const stored = resumeStore.count();
      expect(stored).toBeGreaterThanOrEqual(4);
      const resumed = await analyzeModelImpact(fresh.repo.dir, { runner: pool, store: resumeStore, seeds: SEEDS, method: 'replay' });
      expect(resumed.cached).toBe(stored);
      // 4 distinct trainable states on the first-parent line (the fix restores the state before the corruption),
      // 3 seeds each: the rest were trained now.
      expect(resumed.trainings + resumed.cached).toBe(4 * SEEDS);
      expect(resumed.commits.find((c) => c.sha === fresh.sha.corrupt)!.significant).toBe(true);
    } finally {
      resumeDb.close();
      fresh.repo.remove();
    }
  }, 120_000);

  it('stops when cancelled, leaving the stored trainings for later', async () => {
    const fresh = plantedHistory();
    const abort = new AbortController();
    const progress: number[] = [];
    try {
      const analysis = analyzeModelImpact(fresh.repo.dir, {
        runner: pool,
        store: null,
        seeds: SEEDS,
        method: 'all',
        signal: abort.signal,
        onProgress: (p) => {
          if (p.phase !== 'training') return;
          progress.push(p.done);
          if (p.done >= 2) abort.abort();
        },
      });
      await expect(analysis).rejects.toThrow(/cancelled/);
      expect(Math.max(...progress)).toBeLessThan(15);
      // The pool is still usable after a cancel (killed workers are replaced).
      const after = await run({ method: 'replay' }, history.repo.dir);
      expect(after.trainings).toBe(0);
    } finally {
      fresh.repo.remove();
    }
  });
});
