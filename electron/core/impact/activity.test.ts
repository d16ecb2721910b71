// Tests of the per-contributor `activity` (commits and lines per month) and `topFiles` of contributor-impact.ts,
// on a scripted history across a year boundary and time zones, fresh and through the store's cache.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContributorImpact as ContributorImpactSchema } from '../../../shared/impact.js';
import { openDatabase, type Db } from '../store/database.js';
import { ProjectsRepository } from '../store/projects-repository.js';
import { tempDir } from '../testing/git-fixtures.js';
import { analyzeWithCache } from './cached-impact.js';
import { aggregateImpact, analyzeContributorImpact, TOP_FILES, type ContributorImpact, type ImpactReport } from './contributor-impact.js';
import type { CommitRecord } from './read-commit-stats.js';
import { TestRepo, type Who } from '../testing/test-git-repo.js';

const alice: Who = { name: 'Alice Smith', email: 'alice@mail.test' };
const bob: Who = { name: 'Bob Jones', email: 'bob@mail.test' };

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join('');

function buildProject(): TestRepo {
  const repo = TestRepo.create();
  // 23:30 on New Year's Eve in New York is already 2026 in UTC: still December for Alice.
  repo.write('src/a.py', lines(3, 'a'));
  repo.commit(alice, 'Start', { at: '2025-12-31T23:30:00-05:00' });
  // 00:30 on New Year's Day in Tokyo is still 2025 in UTC: January for Alice.
  repo.write('src/a.py', lines(5, 'a')).write('README.md', lines(2, 'readme'));
  repo.commit(alice, 'Grow', { at: '2026-01-01T00:30:00+09:00' });
  repo.write('README.md', lines(3, 'readme'));
  repo.commit(alice, 'Readme', { at: '2026-01-20T12:00:00+00:00' });
  // Nothing in February; a rename in March counts on the new path.
  repo.git(['mv', 'src/a.py', 'src/b.py']);
  repo.write('src/b.py', `${lines(5, 'a')}tail\n`);
  repo.commit(alice, 'Rename', { at: '2026-03-02T09:00:00+02:00' });

  // Bob: 12 files of 1..12 lines, with a tie at 7 lines (f07 and f07b), then one of them changed again.
  for (let i = 1; i <= 11; i++) repo.write(`data/f${String(i).padStart(2, '0')}.csv`, lines(i, 'row'));
  repo.write('data/f07b.csv', lines(7, 'row'));
  repo.commit(bob, 'Data', { at: '2026-01-05T08:00:00-08:00' });
  repo.write('data/f01.csv', lines(20, 'row'));
  repo.commit(bob, 'More rows', { at: '2026-02-01T00:00:00-08:00' });
  // A merge in April: counted in merges and activeDays, not in the monthly commits.
  repo.git(['checkout', '-q', '-b', 'side']);
  repo.write('docs/side.md', lines(2, 'side'));
  repo.commit(bob, 'Side', { at: '2026-03-15T10:00:00+00:00' });
  repo.git(['checkout', '-q', 'main']);
  repo.write('docs/main.md', lines(1, 'main'));
  repo.commit(alice, 'Main', { at: '2026-03-16T10:00:00+00:00' });
  repo.git(['-c', `user.name=${bob.name}`, '-c', `user.email=${bob.email}`, 'merge', '-q', '--no-ff', '-m', 'Merge side', 'side'], {
    env: { GIT_AUTHOR_DATE: '2026-04-01T10:00:00+00:00', GIT_COMMITTER_DATE: '2026-04-01T10:00:00+00:00' },
  });
  return repo;
}

describe('activity and topFiles', () => {
  let repo: TestRepo;
  let report: ImpactReport;
  const person = (email: string): ContributorImpact => report.contributors.find((c) => c.email === email)!;

  beforeAll(async () => {
    repo = buildProject();
    report = await analyzeContributorImpact(repo.dir);
  });
  afterAll(() => repo.remove());

  it('counts commits and lines per month in the author’s own offset, across the year boundary', () => {
    expect(person(alice.email).activity).toEqual([
      { month: '2025-12', commits: 1, linesAdded: 3, linesDeleted: 0 },
      { month: '2026-01', commits: 2, linesAdded: 5, linesDeleted: 0 }, // +2 a.py, +2 README, then +1 README
      { month: '2026-03', commits: 2, linesAdded: 2, linesDeleted: 0 }, // +1 on the renamed file, +1 docs/main.md
    ]);
    const bobs = person(bob.email);
    // 1..11 lines + 7 = 73, then f01 grows from 1 to 20 lines; the merge adds no month.
    expect(bobs.activity).toEqual([
      { month: '2026-01', commits: 1, linesAdded: 73, linesDeleted: 0 },
      { month: '2026-02', commits: 1, linesAdded: 19, linesDeleted: 0 },
      { month: '2026-03', commits: 1, linesAdded: 2, linesDeleted: 0 },
    ]);
    expect(bobs.merges).toBe(1);
    for (const c of report.contributors) {
      expect(c.activity.reduce((s, m) => s + m.commits, 0)).toBe(c.commits);
      expect(c.activity.reduce((s, m) => s + m.linesAdded, 0)).toBe(c.linesAdded);
      expect(c.activity.reduce((s, m) => s + m.linesDeleted, 0)).toBe(c.linesDeleted);
    }
  });

  it('lists the ten paths changed most by lines, ties by path, renames on the new path', () => {
    const bobs = person(bob.email);
    expect(bobs.filesTouched).toBe(13);
    expect(bobs.topFiles).toHaveLength(TOP_FILES);
    expect(bobs.topFiles.map((f) => f.path)).toEqual([
      'data/f01.csv', // 1 + 19 lines over two commits
      'data/f11.csv',
      'data/f10.csv',
      'data/f09.csv',
      'data/f08.csv',
      'data/f07.csv', // ties with f07b.csv at 7 lines: by path
      'data/f07b.csv',
      'data/f06.csv',
      'data/f05.csv',
      'data/f04.csv',
    ]);
    expect(bobs.topFiles[0]).toEqual({ path: 'data/f01.csv', commits: 2, linesAdded: 20, linesDeleted: 0, category: 'data' });

    const alices = person(alice.email);
    expect(alices.topFiles).toEqual([
      { path: 'src/a.py', commits: 2, linesAdded: 5, linesDeleted: 0, category: 'code' },
      { path: 'README.md', commits: 2, linesAdded: 3, linesDeleted: 0, category: 'docs' },
      { path: 'docs/main.md', commits: 1, linesAdded: 1, linesDeleted: 0, category: 'docs' },
      { path: 'src/b.py', commits: 1, linesAdded: 1, linesDeleted: 0, category: 'code' },
    ]);
  });

  it('fits the wire schema', () => {
    for (const c of report.contributors) expect(ContributorImpactSchema.parse(c)).toEqual(c);
  });

  it('aggregateImpact: records with no valid date get no month, and the order does not depend on the input order', () => {
    const rec = (sha: string, date: string, files: CommitRecord['files']): CommitRecord => ({
      sha, merge: false, authorName: 'Zed', authorEmail: 'zed@mail.test', authorDate: date, trailers: [], files,
    });
    const file = (p: string, added: number, deleted = 0) => ({ path: p, oldPath: null, added, deleted, binary: false });
    const commits = [
      rec('1', '2026-05-31T23:59:59-10:00', [file('b.md', 2, 1), file('a.md', 3)]),
      rec('2', '2026-05-01T00:00:00+14:00', [file('c.md', 0, 3)]),
      rec('3', 'garbage', [file('a.md', 1)]),
    ];
    const one = aggregateImpact({ commits, merges: [], surviving: null }).contributors[0]!;
    expect(one.activity).toEqual([{ month: '2026-05', commits: 2, linesAdded: 5, linesDeleted: 4 }]);
    expect(one.topFiles.map((f) => [f.path, f.commits])).toEqual([
      ['a.md', 2],
      ['b.md', 1],
      ['c.md', 1],
    ]);
    const reversed = aggregateImpact({ commits: [...commits].reverse(), merges: [], surviving: null }).contributors[0]!;
    expect(reversed).toEqual(one);
  });

  describe('through the cache', () => {
    let dbDir: string;
    let db: Db;
    beforeAll(() => {
      dbDir = tempDir();
      db = openDatabase(path.join(dbDir, 'store.db'));
      new ProjectsRepository(db).insert({ id: 'p1', name: 'p1', source: repo.dir, path: '/projects/p1', status: 'ready', error: null }, 1);
    });
    afterAll(() => {
      db.close();
      fs.rmSync(dbDir, { recursive: true, force: true });
    });

    it('gives the same activity and topFiles as a fresh analysis, first run and cached run', async () => {
      const first = await analyzeWithCache(db, 'p1', repo.dir);
      expect(first).toEqual(report);
      const again = await analyzeWithCache(db, 'p1', repo.dir);
      expect(again).toEqual(report);
      repo.write('data/f12.csv', lines(30, 'row'));
      repo.commit(bob, 'Big file', { at: '2026-05-10T10:00:00+05:30' });
      const third = await analyzeWithCache(db, 'p1', repo.dir);
      expect(third).toEqual(await analyzeContributorImpact(repo.dir));
      const bobs = third.contributors.find((c) => c.email === bob.email)!;
      expect(bobs.activity.at(-1)).toEqual({ month: '2026-05', commits: 1, linesAdded: 30, linesDeleted: 0 });
      expect(bobs.topFiles[0]!.path).toBe('data/f12.csv');
      expect(bobs.topFiles).toHaveLength(TOP_FILES);
    });
  });
});
