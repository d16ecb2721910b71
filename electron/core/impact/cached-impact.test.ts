// Tests of cached-impact.ts and impact-cache.ts: a cached re-analysis reads only new commits and blames
// only changed files, and always gives the report a fresh analyzeContributorImpact gives.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database.js';
import { ProjectsRepository } from '../store/projects-repository.js';
import { tempDir } from '../testing/git-fixtures.js';
import { lastChangesOnFirstParentChain } from './blame-keys.js';
import { analyzeWithCache, type CacheStats, type CachedImpactOptions } from './cached-impact.js';
import { analyzeContributorImpact, type ImpactOptions, type ImpactReport } from './contributor-impact.js';
import { ImpactCache, MAX_RECORD_BATCHES, decodeBatch, encodeBatch } from './impact-cache.js';
import { listHistory, type CommitRecord } from './read-commit-stats.js';
import { TestRepo, type Who } from '../testing/test-git-repo.js';

const alice: Who = { name: 'Alice Smith', email: 'alice@mail.test' };
const aliceOld: Who = { name: 'A. Smith', email: 'alice@old.test' };
const bob: Who = { name: 'Bob Jones', email: 'bob@mail.test' };
const carol: Who = { name: 'Carol King', email: 'carol@mail.test' };
const dependabot: Who = { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' };

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join('');

function buildProject(): TestRepo {
  const repo = TestRepo.create();
  repo
    .write('.mailmap', 'Alice Smith <alice@mail.test> <alice@old.test>\n')
    .write('src/model.py', lines(12, 'model'))
    .write('README.md', lines(3, 'readme'))
    .write('data/train.csv', lines(5, 'row'))
    .write('tests/test_model.py', lines(4, 'test'))
    .write('weights.h5', Buffer.from([0x89, 0x48, 0x44, 0x46, 0, 0, 1, 2]));
  repo.commit(alice, 'Add the model');
  repo.write('src/model.py', lines(12, 'model').replace('model 3\n', 'model three\nmodel 3a\n')).write('docs/guide.md', lines(6, 'guide'));
  repo.commit(bob, 'Improve the model\n\nCo-authored-by: Carol King <carol@mail.test>\nReviewed-by: Dave Reviewer <dave@mail.test>');
  repo.git(['mv', 'src/model.py', 'src/net.py']);
  repo.commit(aliceOld, 'Rename the model', { days: 2 });
  repo.git(['checkout', '-q', '-b', 'side']);
  repo.write('docs/guide.md', lines(6, 'guide').replace('guide 2\n', 'guide two\n'));
  repo.commit(carol, 'Fix the guide');
  repo.git(['checkout', '-q', 'main']);
  repo.write('requirements.txt', 'numpy==1.0\n');
  repo.commit(dependabot, 'Bump numpy');
  repo.merge(bob, 'side');
  repo.write('tests/test_model.py', `${lines(4, 'test')}extra\n`);
  repo.commit(carol, 'More tests\n\nSigned-off-by: Alice Smith <alice@old.test>');
  return repo;
}

describe('analyzeWithCache', () => {
  let repo: TestRepo;
  let dbDir: string;
  let db: Db;
  let n = 0;
  const project = () => {
    const id = `p${++n}`;
    new ProjectsRepository(db).insert({ id, name: id, source: repo.dir, path: `/projects/${id}`, status: 'ready', error: null }, 1);
    return id;
  };
  const lastRow = (id: string) => (db.prepare(`SELECT MAX(id) FROM impact_commit_batches WHERE project_id = ?`).pluck().get(id) as number | null) ?? 0;
  /**
   * analyzeWithCache with the cache stats, and the non-merge commits a re-analysis read from git with
   * readCommitRecords (the record row it added to the store; a first analysis streams the history instead).
   */
  const cached = async (id: string, options: CachedImpactOptions = {}) => {
    let stats: CacheStats | null = null;
    const before = lastRow(id);
    const report = await analyzeWithCache(db, id, repo.dir, { ...options, onCacheStats: (s) => (stats = s) });
    const added = before === 0 ? [] : (db.prepare(`SELECT shas FROM impact_commit_batches WHERE project_id = ? AND id > ?`).pluck().all(id, before) as string[]);
    const asked = added.flatMap((shas) => shas.split('\n')).filter((sha) => !isMerge(sha));
    return { report, asked, stats: stats! };
  };
  const isMerge = (sha: string) => repo.git(['rev-list', '--no-walk', '--min-parents=2', sha]).trim() !== '';
  const fresh = (options: ImpactOptions = {}): Promise<ImpactReport> => analyzeContributorImpact(repo.dir, options);

  beforeAll(() => {
    repo = buildProject();
    dbDir = tempDir();
    db = openDatabase(path.join(dbDir, 'store.db'));
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dbDir, { recursive: true, force: true });
    repo.remove();
  });

  it('gives the fresh report, then reads only a new commit and blames only the file it changed', async () => {
    const id = project();
    const first = await cached(id);
    expect(first.report).toEqual(await fresh());
    expect(first.stats).toMatchObject({ commitsRead: 7, commitsCached: 0, filesCached: 0 });
    expect(first.stats.filesBlamed).toBe(7); // every text file (weights.h5 is binary)

    const again = await cached(id);
    expect(again.asked).toEqual([]);
    expect(again.stats).toMatchObject({ commitsRead: 0, commitsCached: 7, filesBlamed: 0, filesCached: first.stats.filesBlamed });
    expect(again.report).toEqual(first.report);

    repo.write('src/net.py', `${lines(12, 'model').replace('model 3\n', 'model three\nmodel 3a\n')}tail\n`);
    const added = repo.commit(bob, 'Extend the net\n\nReviewed-by: Carol King <carol@mail.test>');
    const third = await cached(id);
    expect(third.asked).toEqual([added]);
    expect(third.stats).toMatchObject({ commitsRead: 1, commitsCached: 7, filesBlamed: 1, filesCached: first.stats.filesBlamed - 1 });
    expect(third.report).toEqual(await fresh());
    expect(new ImpactCache(db).countRecords(id)).toBe(8);
  });

  it('re-reads nothing for merged branches already known and blames only what the merge changed', async () => {
    const id = project();
    await cached(id);
    repo.git(['checkout', '-q', '-b', 'feature']);
    repo.write('docs/guide.md', `${lines(6, 'guide').replace('guide 2\n', 'guide two\n')}more\n`);
    const side = repo.commit(alice, 'Extend the guide');
    repo.git(['checkout', '-q', 'main']);
    repo.write('README.md', `${lines(3, 'readme')}news\n`);
    const main = repo.commit(carol, 'News');
    const merge = repo.merge(alice, 'feature');
    const run = await cached(id);
    expect(new Set(run.asked)).toEqual(new Set([side, main]));
    expect(run.stats).toMatchObject({ commitsRead: 3, filesBlamed: 2 });
    expect(run.report).toEqual(await fresh());
    expect((await listHistory(repo.dir, {})).merges[0]).toBe(merge);
  });

  it('handles a force-push that drops commits: their records are not used, and are pruned', async () => {
    const id = project();
    await cached(id);
    const dropped = repo.git(['rev-parse', 'HEAD']).trim();
    const before = repo.git(['rev-parse', 'HEAD~1']).trim();
    repo.git(['reset', '-q', '--hard', 'HEAD~1']);
    repo.write('data/train.csv', lines(7, 'row'));
    const rewritten = repo.commit(bob, 'More rows');
    const run = await cached(id);
    expect(run.asked).toEqual([rewritten]);
    expect(run.report).toEqual(await fresh());
    const stored = new ImpactCache(db).loadRecords(id, mailmapOf(db, id));
    expect(stored.has(dropped)).toBe(false);
    expect(stored.has(before)).toBe(true);
    expect(stored.has(rewritten)).toBe(true);

    // Back to an older commit: nothing to read, blame keys still sound.
    repo.git(['reset', '-q', '--hard', before]);
    const back = await cached(id);
    expect(back.asked).toEqual([]);
    expect(back.report).toEqual(await fresh());
  });

  it('applies new category rules, weights and bot settings without reading git records or blaming again', async () => {
    const id = project();
    await cached(id);
    const options: ImpactOptions = {
      categories: { rules: [{ pattern: 'docs/**', category: 'data' }, { pattern: 'tests/**', category: 'docs' }] },
      weights: { alpha: 0.2, beta: 0.7, gamma: 0.1 },
      includeBots: true,
    };
    const run = await cached(id, options);
    expect(run.asked).toEqual([]);
    expect(run.stats).toMatchObject({ commitsRead: 0, filesBlamed: 0 });
    const expected = await fresh(options);
    expect(run.report).toEqual(expected);
    const carolRow = run.report.contributors.find((c) => c.email === 'carol@mail.test')!;
    expect(carolRow.categories.docs.commits).toBeGreaterThan(0);
    expect(run.report.contributors.some((c) => c.bot)).toBe(true);
  });

  it('reads every record again when the .mailmap changes, and honours since/until and blame: false', async () => {
    const id = project();
    await cached(id);
    fs.writeFileSync(path.join(repo.dir, '.mailmap'), 'Alice Smith <alice@mail.test> <alice@old.test>\nBob Jones <bob@mail.test> <carol@mail.test>\n');
    const run = await cached(id);
    expect(run.stats.commitsCached).toBe(0);
    expect(run.report).toEqual(await fresh());
    expect(run.report.contributors.find((c) => c.email === 'carol@mail.test')).toBeUndefined();
    repo.git(['checkout', '--', '.mailmap']);

    const ranged: ImpactOptions = { since: '2024-01-01T13:30:00Z', until: '2024-01-04T00:00:00Z', blame: false };
    const part = await cached(id, ranged);
    expect(part.report).toEqual(await fresh(ranged));
    expect(part.stats).toMatchObject({ filesBlamed: 0, filesCached: 0 });
  });

  it('blames again when .git-blame-ignore-revs changes', async () => {
    const id = project();
    await cached(id);
    const reformat = repo.git(['log', '-1', '--format=%H', '--', 'src/net.py']).trim();
    repo.write('.git-blame-ignore-revs', `# formatting\n${reformat}\n`);
    repo.commit(alice, 'Ignore a commit in blame');
    const run = await cached(id);
    expect(run.stats.filesCached).toBe(0);
    expect(run.report).toEqual(await fresh());
  });

  it('blames a file again when its content is back to a blob seen before but its history is not', async () => {
    const own = TestRepo.create();
    try {
      own.write('f.py', lines(5, 'x')).write('g.py', lines(3, 'g'));
      own.commit(alice, 'one');
      const id = project();
      const first = await analyzeWithCache(db, id, own.dir);
      own.write('f.py', lines(5, 'y'));
      own.commit(bob, 'two');
      own.write('f.py', lines(5, 'x'));
      own.commit(carol, 'back to one');
      let stats: CacheStats | null = null;
      const report = await analyzeWithCache(db, id, own.dir, { onCacheStats: (s) => (stats = s) });
      expect(stats).toMatchObject({ filesBlamed: 1, filesCached: 1 });
      expect(report).toEqual(await analyzeContributorImpact(own.dir));
      expect(report.contributors.find((c) => c.email === carol.email)!.survivingLines).toBe(5);
      expect(first.contributors.find((c) => c.email === alice.email)!.survivingLines).toBe(8);
    } finally {
      own.remove();
    }
  });

  it('gives an empty report for a repository without commits', async () => {
    const empty = TestRepo.create();
    try {
      const report = await analyzeWithCache(db, project(), empty.dir);
      expect(report.contributors).toEqual([]);
    } finally {
      empty.remove();
    }
  });
});

/** The mailmap fingerprint the project's records were stored under. */
function mailmapOf(db: Db, id: string): string {
  return (db.prepare(`SELECT mailmap FROM impact_commit_batches WHERE project_id = ? LIMIT 1`).pluck().get(id) as string | undefined) ?? '';
}

describe('lastChangesOnFirstParentChain', () => {
  it('finds the newest first-parent change of each path, and whether a base is on the chain', async () => {
    const repo = TestRepo.create();
    try {
      repo.write('a', '1\n').write('b', '1\n');
      const c1 = repo.commit(alice, 'one');
      repo.git(['checkout', '-q', '-b', 'side']);
      repo.write('b', '2\n');
      repo.commit(bob, 'two');
      repo.git(['checkout', '-q', 'main']);
      repo.write('c', '3\n');
      const c3 = repo.commit(alice, 'three');
      const m = repo.merge(alice, 'side');
      const all = await lastChangesOnFirstParentChain(repo.dir, m, null, null);
      expect(Object.fromEntries(all.found)).toEqual({ a: c1, b: m, c: c3 });
      const segment = await lastChangesOnFirstParentChain(repo.dir, m, null, c3);
      expect(segment).toEqual({ found: new Map([['b', m]]), baseOnChain: true });
      const offChain = await lastChangesOnFirstParentChain(repo.dir, m, null, repo.git(['rev-parse', 'side']).trim());
      expect(offChain.baseOnChain).toBe(false);
      const some = await lastChangesOnFirstParentChain(repo.dir, m, new Set(['c']), null);
      expect(some.found).toEqual(new Map([['c', c3]]));
    } finally {
      repo.remove();
    }
  });
});

describe('stored records', () => {
  it('round-trip through their stored form', () => {
    const record: CommitRecord = {
      sha: 'a'.repeat(40),
      merge: false,
      authorName: 'Zoë "Z" Ünal',
      authorEmail: 'zoe@mail.test',
      authorDate: '2024-01-01T10:00:00+02:00',
      trailers: [{ kind: 'co-author', contact: 'Bob <bob@mail.test>' }, { kind: 'sign-off', contact: 'Zoë <zoe@mail.test>' }],
      files: [
        { path: 'src/new name.py', oldPath: 'src/old.py', added: 3, deleted: 1, binary: false },
        { path: 'w.bin', oldPath: null, added: 0, deleted: 0, binary: true },
      ],
    };
    const merge: CommitRecord = { sha: 'b'.repeat(40), merge: true, authorName: 'M', authorEmail: 'm@mail.test', authorDate: '2024-01-02T00:00:00Z', trailers: [], files: [] };
    expect(decodeBatch(encodeBatch([record, merge]))).toEqual([record, merge]);
  });

  it('are a row per write, joined into one row per mailmap once a project has many, and pruned inside a row', () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'store.db'));
    try {
      new ProjectsRepository(db).insert({ id: 'p', name: 'p', source: dir, path: '/projects/p', status: 'ready', error: null }, 1);
      const cache = new ImpactCache(db);
      const record = (i: number): CommitRecord => ({
        sha: i.toString(16).padStart(40, '0'),
        merge: i % 10 === 0,
        authorName: `P${i}`,
        authorEmail: `p${i}@mail.test`,
        authorDate: '2024-01-01T10:00:00Z',
        trailers: [],
        files: i % 10 === 0 ? [] : [{ path: `f${i}.txt`, oldPath: null, added: i, deleted: 1, binary: false }],
      });
      const rows = () => db.prepare(`SELECT COUNT(*) FROM impact_commit_batches WHERE project_id = 'p'`).pluck().get() as number;
      const written = MAX_RECORD_BATCHES + 6;
      cache.storeRecords('p', 'other mailmap', [record(1000)]);
      for (let i = 0; i < written; i++) cache.storeRecords('p', 'm', [record(i)]);
      expect(rows()).toBeLessThan(MAX_RECORD_BATCHES);
      expect(cache.countRecords('p')).toBe(written + 1);
      const loaded = cache.loadRecords('p', 'm');
      expect([...loaded.values()]).toEqual(Array.from({ length: written }, (_, i) => record(i)));
      expect(cache.dropRecordsNotMatching('p', 'm')).toBe(1);

      const keep = new Set([...loaded.keys()].filter((sha) => sha !== record(3).sha && sha !== record(written - 1).sha));
      expect(cache.pruneRecords('p', keep)).toBe(2);
      expect([...cache.loadRecords('p', 'm').keys()]).toEqual([...keep]);
      expect(cache.countRecords('p')).toBe(written - 2);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
