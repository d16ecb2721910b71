// Tests of impact-tally.ts: the report does not depend on the order records arrive in (the history is read in
// slices side by side), only on their positions in git log order; on a scripted history with co-authors,
// reviews, merges, one person under two emails and commits at one instant in two time zones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../training/portable/seeded-random.js';
import { analyzeContributorImpact } from './contributor-impact.js';
import { aggregateImpact, ImpactTally, type ImpactReport } from './impact-tally.js';
import type { CommitRecord } from './read-commit-stats.js';
import { readHistory } from '../testing/history-readers.js';
import { TestRepo, type Who } from '../testing/test-git-repo.js';

const ann: Who = { name: 'Ann Lee', email: 'ann@home.test' };
const annAtWork: Who = { name: 'Ann Lee', email: 'ann@work.test' };
const ben: Who = { name: 'Ben Ode', email: 'ben@mail.test' };
const cy: Who = { name: 'Cy Park', email: 'cy@mail.test' };
const dee: Who = { name: 'Dee Ray', email: 'dee@mail.test' };

function buildProject(): TestRepo {
  const repo = TestRepo.create();
  const people = [ann, annAtWork, ben, cy, dee];
  for (let i = 0; i < 60; i++) {
    const who = people[i % people.length]!;
    repo.write(`src/m${i % 7}.py`, `${'x = 1\n'.repeat(1 + (i % 5))}v = ${i}\n`);
    if (i % 4 === 0) repo.write(`docs/n${i % 3}.md`, `note ${i}\n`);
    const others = people.filter((p) => p.email !== who.email);
    let message = `Change ${i}`;
    // One, two and three co-authors split a commit's credit in thirds and quarters: sums of such shares are only
    // order-free if the tally makes them so.
    if (i % 3 === 0) message += `\n\n${others.slice(0, 1 + (i % 3 === 0 ? i % 9 === 0 ? 2 : 1 : 0)).map((p) => `Co-authored-by: ${p.name} <${p.email}>`).join('\n')}`;
    else if (i % 5 === 1) message += `\n\nReviewed-by: ${others[2]!.name} <${others[2]!.email}>\nSigned-off-by: ${others[3]!.name} <${others[3]!.email}>`;
    // Pairs of commits at the same instant written in two time zones.
    const at = i % 10 === 5 ? '2026-03-01T12:00:00+02:00' : i % 10 === 6 ? '2026-03-01T10:00:00+00:00' : undefined;
    repo.commit(who, message, { at });
    if (i % 20 === 19) {
      repo.git(['checkout', '-q', '-b', `side${i}`, 'HEAD~2']);
      repo.write(`data/t${i}.csv`, 'a,b\n1,2\n');
      repo.commit(dee, `Side ${i}`);
      repo.git(['checkout', '-q', 'main']);
      repo.merge(ben, `side${i}`, `Merge side ${i}\n\nReviewed-by: ${cy.name} <${cy.email}>`);
    }
  }
  return repo;
}

describe('ImpactTally', () => {
  let repo: TestRepo;
  let inOrder: CommitRecord[];
  let expected: ImpactReport;

  beforeAll(async () => {
    repo = buildProject();
    const history = await readHistory(repo.dir, {});
    const merges = new Set(history.merges);
    // All records in git log order (readHistory splits them; a log gives the interleaving back).
    const order = repo.git(['rev-list', 'HEAD']).trim().split('\n');
    const bySha = new Map([...history.commits, ...history.merges].map((r) => [r.sha, r]));
    inOrder = order.map((sha) => bySha.get(sha)!);
    expect(inOrder.filter((r) => merges.has(r))).toHaveLength(3);
    expected = aggregateImpact({ commits: history.commits, merges: history.merges, surviving: null });
  });
  afterAll(() => repo.remove());

  it('gives the same report, scores to the last bit, for records added in any order with their positions', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 5; trial++) {
      const positions = inOrder.map((_, i) => i).sort(() => random() - 0.5);
      const tally = new ImpactTally();
      for (const p of positions) tally.add(inOrder[p]!, p);
      expect(tally.finish(null, undefined)).toEqual(expected);
    }
    const ann = expected.contributors.find((c) => c.name === 'Ann Lee')!;
    // Ann's two emails are one person.
    expect([...ann.emails].sort()).toEqual(['ann@home.test', 'ann@work.test']);
    // Co-authored credit is fractional somewhere, so the equality above covers order-free float sums.
    expect(expected.contributors.some((c) => !Number.isInteger(c.components.g * 1e6))).toBe(true);
  });

  it('is what analyzeContributorImpact gives, streaming the records into a tally as git prints them', async () => {
    expect(await analyzeContributorImpact(repo.dir, { blame: false })).toEqual(expected);
  });

  it('refuses records after finish, and a second finish', () => {
    const tally = new ImpactTally();
    tally.add(inOrder[0]!, 0);
    tally.finish(null, undefined);
    expect(() => tally.add(inOrder[1]!, 1)).toThrow(/after finish/);
    expect(() => tally.finish(null, undefined)).toThrow(/finished already/);
  });
});
