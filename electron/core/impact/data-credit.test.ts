// Data credit in its own units on a real repository: binary data by files, tables by rows, split folders
// (images/train, images/test) as data, and a data set never worth less than a one-line config change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeContributorImpact, type ContributorImpact, type ImpactReport } from './contributor-impact.js';
import { TestRepo } from '../testing/test-git-repo.js';

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
  it('credits binary data by files, with the test split as data, not tests', () => {
    const a = find(ann);
    expect(a.categories.data).toEqual({ commits: 1, linesAdded: 0, linesDeleted: 0, files: 40 });
    expect(a.categories.tests.commits).toBe(0);
    expect(a.components.d).toBeGreaterThan(0);
  });

  it('credits tables by rows (the header is a line too)', () => {
    expect(find(ben).categories.data).toEqual({ commits: 1, linesAdded: 720, linesDeleted: 0, files: 0 });
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
