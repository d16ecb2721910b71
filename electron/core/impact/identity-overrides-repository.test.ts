// Tests of identity-overrides-repository.ts: merges and splits are stored per project, survive reopening the
// store, and are applied by analyzeWithCache on every run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database.js';
import { ProjectsRepository } from '../store/projects-repository.js';
import { tempDir } from '../testing/git-fixtures.js';
import { analyzeWithCache } from './cached-impact.js';
import { analyzeContributorImpact } from './contributor-impact.js';
import { IdentityOverridesRepository, combineOverrides } from './identity-overrides-repository.js';
import { TestRepo, type Who } from '../testing/test-git-repo.js';

const work: Who = { name: 'Jane Doe', email: 'jane@work.test' };
const home: Who = { name: 'JD at home', email: 'jd@home.test' };
const bob: Who = { name: 'Bob Jones', email: 'bob@mail.test' };

describe('IdentityOverridesRepository', () => {
  let dir: string;
  let file: string;
  let db: Db;
  let repo: TestRepo;
  beforeAll(() => {
    dir = tempDir();
    file = path.join(dir, 'store.db');
    db = openDatabase(file);
    new ProjectsRepository(db).insert({ id: 'p1', name: 'p1', source: '/s', path: '/p1', status: 'ready', error: null }, 1);
    new ProjectsRepository(db).insert({ id: 'p2', name: 'p2', source: '/s', path: '/p2', status: 'ready', error: null }, 1);
    repo = TestRepo.create();
    repo.write('a.py', 'a\n').commit(work, 'one');
    repo.write('b.py', 'b\nb\n').commit(home, 'two');
    repo.write('a.py', 'a\nmore\n').commit(home, 'three');
    repo.write('c.py', 'c\n').commit(bob, 'four');
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    repo.remove();
  });

  it('keeps merge groups disjoint, splits out of them, and resets', () => {
    const overrides = new IdentityOverridesRepository(db);
    expect(overrides.get('p2')).toEqual({ merge: [], split: [] });
    overrides.merge('p2', ['a@x.test', 'B@x.test']);
    overrides.merge('p2', ['c@x.test', 'd@x.test']);
    expect(overrides.merge('p2', ['b@x.test', 'Cee <C@x.test>', 'e@x.test']).merge).toEqual([['b@x.test', 'Cee <C@x.test>', 'e@x.test', 'a@x.test', 'd@x.test']]);
    expect(() => overrides.merge('p2', ['a@x.test', 'A@X.test'])).toThrow(RangeError);
    const split = overrides.split('p2', 'C@x.test');
    expect(split).toEqual({ merge: [['b@x.test', 'e@x.test', 'a@x.test', 'd@x.test']], split: ['C@x.test'] });
    expect(overrides.split('p2', 'c@x.test').split).toEqual(['C@x.test']);
    expect(overrides.get('p1')).toEqual({ merge: [], split: [] });
    overrides.reset('p2');
    expect(overrides.get('p2')).toEqual({ merge: [], split: [] });
    expect(combineOverrides({ merge: [['a', 'b']], split: ['c'] }, { merge: [['d', 'e']] })).toEqual({ merge: [['a', 'b'], ['d', 'e']], split: ['c'] });
  });

  it('merges two aliases into one contributor with git’s commit counts, splits them back, and persists', async () => {
    const before = await analyzeWithCache(db, 'p1', repo.dir);
    expect(before).toEqual(await analyzeContributorImpact(repo.dir));
    expect(before.contributors).toHaveLength(3);
    const shortlog = repo.shortlog();

    new IdentityOverridesRepository(db).merge('p1', [work.email, `${home.name} <${home.email}>`]);
    const merged = await analyzeWithCache(db, 'p1', repo.dir);
    expect(merged.contributors).toHaveLength(2);
    const jane = merged.contributors.find((c) => c.emails.includes(work.email))!;
    expect(new Set(jane.emails)).toEqual(new Set([work.email, home.email]));
    expect(jane.commits).toBe(shortlog.get(`${work.name} <${work.email}>`)! + shortlog.get(`${home.name} <${home.email}>`)!);
    expect(jane.commits).toBe(3);
    expect(jane.name).toBe(home.name); // the name used in most commits
    expect(merged).toEqual(await analyzeContributorImpact(repo.dir, { identities: { merge: [[work.email, `${home.name} <${home.email}>`]] } }));

    db.close();
    db = openDatabase(file);
    expect(new IdentityOverridesRepository(db).get('p1').merge).toEqual([[work.email, `${home.name} <${home.email}>`]]);
    expect(await analyzeWithCache(db, 'p1', repo.dir)).toEqual(merged);

    new IdentityOverridesRepository(db).split('p1', home.email);
    const split = await analyzeWithCache(db, 'p1', repo.dir);
    expect(split.contributors).toHaveLength(3);
    expect(split.contributors.find((c) => c.email === home.email)!.commits).toBe(2);
    expect(split.contributors.find((c) => c.email === work.email)!.commits).toBe(1);

    db.close();
    db = openDatabase(file);
    expect(new IdentityOverridesRepository(db).get('p1')).toEqual({ merge: [], split: [home.email] });
    expect((await analyzeWithCache(db, 'p1', repo.dir)).contributors).toHaveLength(3);
  });

  it('goes away with its project', () => {
    new IdentityOverridesRepository(db).merge('p2', ['x@x.test', 'y@x.test']);
    new ProjectsRepository(db).delete('p2');
    expect(new IdentityOverridesRepository(db).get('p2')).toEqual({ merge: [], split: [] });
  });
});
