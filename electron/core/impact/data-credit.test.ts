// Data credit in its own units on a real repository: binary data by files, tables by rows, split folders
// (images/train, images/test) as data, and a data set never worth less than a one-line config change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeContributorImpact, type ContributorImpact, type ImpactReport } from './contributor-impact.js';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../store/database.js';
import { ProjectsRepository } from '../store/projects-repository.js';
import { tempDir } from '../testing/git-fixtures.js';
import { TestRepo } from '../testing/test-git-repo.js';
import { analyzeWithCache } from './cached-impact.js';

const ann = { name: 'Ann Images', email: 'ann@x.test' };
const ben = { name: 'Ben Rows', email: 'ben@x.test' };
const cy = { name: 'Cy Config', email: 'cy@x.test' };
const dee = { name: 'Dee Code', email: 'dee@x.test' };

/** A small binary file (NUL bytes make git call it binary, as it does a PNG). */
const png = (seed: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, seed & 0xff, (seed >> 8) & 0xff, 0, 1, 2, 3]);

let repo: TestRepo;
let report: ImpactReport;
const find = (who: { email: string }): ContributorImpact => report.contributors.find((c) => c.email === who.email)!;

beforeAll(async () => {
  repo = TestRepo.create();
  const model = Array.from({ length: 100 }, (_, i) => `layer_${i} = dense(${i})`).join('\n');
  repo.write('model.py', `${model}\n`).write('tests/test_model.py', 'def test():\n  assert True\n');
  repo.write('modelcommons.json', '{\n  "name": "m",\n  "epochs": 5,\n  "task": "image"\n}\n').commit(dee, 'model, tests, manifest');
  for (let i = 0; i < 30; i++) repo.write(`images/train/${i % 10}/${i}.png`, png(i));
  for (let i = 0; i < 10; i++) repo.write(`images/test/${i}/${i}.png`, png(100 + i));
  repo.commit(ann, 'the images: train and test splits');
  const rows = Array.from({ length: 719 }, (_, i) => `${i},${i % 7},${i % 2}`).join('\n');
  repo.write('data/train.csv', `id,feature,label\n${rows}\n`).commit(ben, '719 rows of training data');
  repo.write('modelcommons.json', '{\n  "name": "m",\n  "epochs": 6,\n  "task": "image"\n}\n').commit(cy, 'one more epoch');
  report = await analyzeContributorImpact(repo.dir, { blame: false });
});
afterAll(() => repo.remove());

describe('data credit', () => {
  it('credits binary data by files and bytes, with the test split as data, not tests', () => {
    const a = find(ann);
    expect(a.categories.data).toEqual({ commits: 1, linesAdded: 0, linesDeleted: 0, files: 40, bytes: 40 * png(0).length });
    expect(a.categories.tests.commits).toBe(0);
    expect(a.components.d).toBeGreaterThan(0);
  });

  it('credits tables by rows (the header is a line too)', () => {
    expect(find(ben).categories.data).toEqual({ commits: 1, linesAdded: 720, linesDeleted: 0, files: 0, bytes: 0 });
  });

  it('weighs a data set as a category of its own: more than a one-line config change', () => {
    const shares = Object.fromEntries(report.contributors.map((c) => [c.name, c.share]));
    // D is the data category alone here; Ann (all the files) and Ben (all the rows) share it equally.
    expect(find(ann).components.d).toBeCloseTo(0.5, 10);
    expect(find(ben).components.d).toBeCloseTo(0.5, 10);
    expect(shares[ben.name]!).toBeGreaterThan(shares[cy.name]!);
    expect(shares[ann.name]!).toBeGreaterThan(shares[cy.name]!);
    // G averages code, tests and config, each normalized: Dee has all the code and tests and part of the config.
    expect(find(dee).components.g).toBeGreaterThan(2 / 3);
  });
});

describe('binary data by bytes', () => {
  const eve = { name: 'Eve Big', email: 'eve@x.test' };
  const fay = { name: 'Fay Small', email: 'fay@x.test' };
  const gus = { name: 'Gus Prune', email: 'gus@x.test' };
  const bytes = (n: number, seed: number) => Buffer.alloc(n, seed).fill(0, 0, 1); // a NUL: binary to git
  let bytesRepo: TestRepo;
  let people: ContributorImpact[];
  const of = (who: { email: string }) => people.find((c) => c.email === who.email)!;

  beforeAll(async () => {
    bytesRepo = TestRepo.create();
    bytesRepo.write('data/a.npy', bytes(4000, 1)).write('data/b.npy', bytes(6000, 2)).commit(eve, 'two large arrays');
    bytesRepo.write('data/c.npy', bytes(10, 3)).write('data/d.npy', bytes(10, 4)).commit(fay, 'two small arrays');
    bytesRepo.write('data/c.npy', bytes(90, 5)).commit(eve, 'a larger c');
    bytesRepo.git(['rm', '-q', 'data/a.npy']);
    bytesRepo.commit(gus, 'drop a');
    people = (await analyzeContributorImpact(bytesRepo.dir, { blame: false })).contributors;
  });
  afterAll(() => bytesRepo.remove());

  it('counts the bytes each commit left at its binary paths, read from git; a deletion adds none', () => {
    expect(of(eve).categories.data).toMatchObject({ commits: 2, files: 3, bytes: 4000 + 6000 + 90 });
    expect(of(fay).categories.data).toMatchObject({ commits: 1, files: 2, bytes: 20 });
    expect(of(gus).categories.data).toMatchObject({ commits: 1, files: 1, bytes: 0 });
  });

  it('weighs binary data by the mean of its file and byte shares within the category', () => {
    const files = 3 + 2 + 1;
    const total = 10090 + 20;
    // D is the data category alone: ½ commit share + ½ amount, the amount being the binary part (no lines).
    const d = (commits: number, f: number, b: number) => (commits / 4 + (f / files + b / total) / 2) / 2;
    expect(of(eve).components.d).toBeCloseTo(d(2, 3, 10090), 10);
    expect(of(fay).components.d).toBeCloseTo(d(1, 2, 20), 10);
    expect(of(gus).components.d).toBeCloseTo(d(1, 1, 0), 10);
    expect(of(eve).share).toBeGreaterThan(of(fay).share);
  });

  it('gives the same bytes through the store cache, first run and from stored records', async () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'store.db'));
    try {
      new ProjectsRepository(db).insert({ id: 'p', name: 'p', source: bytesRepo.dir, path: '/projects/p', status: 'ready', error: null }, 1);
      const bytesOf = async () => (await analyzeWithCache(db, 'p', bytesRepo.dir, { blame: false })).contributors.map((c) => [c.email, c.categories.data.bytes]);
      const expected = people.map((c) => [c.email, c.categories.data.bytes]);
      expect(await bytesOf()).toEqual(expected);
      expect(await bytesOf()).toEqual(expected);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
