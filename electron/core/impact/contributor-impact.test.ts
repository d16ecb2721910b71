// Tests of contributor-impact.ts against real git repositories built in temp folders (and its pure helpers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitError } from '../git/project-git.js';
import { aggregateImpact, analyzeContributorImpact, type ContributorImpact, type ImpactProgress, type ImpactReport } from './contributor-impact.js';
import { DEFAULT_WEIGHTS } from './score.js';
import { TestRepo, type Who } from '../testing/test-git-repo.js';

const alice: Who = { name: 'Alice Smith', email: 'alice@mail.test' };
const aliceOld: Who = { name: 'A. Smith', email: 'alice@old.test' };
const bob: Who = { name: 'Bob Jones', email: 'bob@mail.test' };
const carol: Who = { name: 'Carol King', email: 'carol@mail.test' };
const jane1: Who = { name: 'Jane Doe', email: 'jdoe@work.test' };
const jane2: Who = { name: 'Jane Doe', email: 'jane@home.test' };
const jane3: Who = { name: 'jdoe', email: '12345+jdoe@users.noreply.github.com' };
const abbott: Who = { name: 'Mary Abbott', email: 'mary.abbott@mail.test' };
const robotham: Who = { name: 'Sam Robotham', email: 'sam@robotham.test' };
const botTom: Who = { name: 'Bot Tomlinson', email: 'bot.tomlinson@mail.test' };
const dependabot: Who = { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' };
const renovate: Who = { name: 'Renovate Bot', email: 'bot@renovateapp.com' };
const actions: Who = { name: 'github-actions', email: '41898282+github-actions[bot]@users.noreply.github.com' };

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join('');

/** A small model project with every case the analysis has to get right. */
function buildProject(): TestRepo {
  const repo = TestRepo.create();
  repo
    .write('.mailmap', 'Alice Smith <alice@mail.test> <alice@old.test>\nCarol King <carol@mail.test> <carol@old.test>\n')
    .write('src/model.py', lines(12, 'model'))
    .write('README.md', lines(3, 'readme'))
    .write('modelcommons.json', '{\n  "name": "demo",\n  "task": "classification"\n}\n')
    .write('data/train.csv', lines(5, 'row'))
    .write('tests/test_model.py', lines(4, 'test'))
    .write('weights.h5', Buffer.from([0x89, 0x48, 0x44, 0x46, 0, 0, 1, 2]));
  repo.commit(alice, 'Add the model');
  repo.write('src/model.py', lines(12, 'model').replace('model 3\n', 'model three\nmodel 3a\nmodel 3b\n')).write('docs/guide.md', lines(6, 'guide'));
  repo.commit(
    bob,
    'Improve the model\n\nCo-authored-by: Carol K <carol@old.test>\nReviewed-by: Dave Reviewer <dave@mail.test>\nSigned-off-by: Bob Jones <bob@mail.test>\nSigned-off-by: Erin Maintainer <erin@mail.test>',
  );
  repo.git(['mv', 'src/model.py', 'src/net.py']);
  repo.write('src/net.py', lines(12, 'model').replace('model 3\n', 'model three\nmodel 3a\nmodel 3b\n').replace('model 7\n', 'model seven\n'));
  repo.write('weights.h5', Buffer.from([0x89, 0x48, 0x44, 0x46, 0, 0, 9, 9]));
  repo.commit(aliceOld, 'Rename the model', { days: 2 });
  repo.write('requirements.txt', 'numpy==1.0\nscipy==1.0\n');
  repo.commit(dependabot, 'Bump numpy');
  repo.write('requirements.txt', 'numpy==1.1\nscipy==1.0\n');
  repo.commit(renovate, 'Update scipy');
  repo.write('.github/workflows/ci.yml', lines(3, 'step'));
  repo.commit(actions, 'Add CI');
  repo.write('src/abbott.py', lines(5, 'abbott'));
  repo.commit(abbott, 'Abbott helper');
  repo.write('src/robotham.py', lines(4, 'robotham'));
  repo.commit(robotham, 'Robotham helper');
  repo.write('src/tomlinson.py', lines(3, 'tomlinson'));
  repo.commit(botTom, 'Tomlinson helper');
  repo.write('README.md', lines(4, 'readme'));
  repo.commit(jane1, 'More readme');
  repo.write('docs/jane.md', lines(2, 'jane'));
  repo.commit(jane2, 'Jane docs', { days: 1 });
  repo.write('tests/test_model.py', lines(6, 'test'));
  repo.commit(jane3, 'More tests');
  repo.git(['checkout', '-q', '-b', 'feature']);
  repo.write('data/extra.csv', lines(3, 'extra'));
  repo.commit(carol, 'More data\n\nTested-by: Bob Jones <bob@mail.test>\nCo-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>');
  repo.git(['checkout', '-q', 'main']);
  repo.merge(alice, 'feature');
  return repo;
}

const find = (report: ImpactReport, email: string): ContributorImpact => {
  const c = report.contributors.find((x) => x.emails.includes(email));
  if (!c) throw new Error(`no contributor with ${email}`);
  return c;
};

describe('analyzeContributorImpact', () => {
  let repo: TestRepo;
  let report: ImpactReport;
  let withBots: ImpactReport;
  const progress: ImpactProgress[] = [];
  beforeAll(async () => {
    repo = buildProject();
    report = await analyzeContributorImpact(repo.dir, { onProgress: (p) => progress.push(p) });
    withBots = await analyzeContributorImpact(repo.dir, { includeBots: true, blame: false });
  });
  afterAll(() => repo.remove());

  it('has exactly the documented keys', () => {
    expect(Object.keys(report).sort()).toEqual(['contributors', 'weights']);
    expect(report.weights).toEqual(DEFAULT_WEIGHTS);
    expect(Object.keys(report.contributors[0]!).sort()).toEqual(
      ['name', 'email', 'emails', 'commits', 'merges', 'linesAdded', 'linesDeleted', 'survivingLines', 'categories', 'coAuthored', 'reviewed', 'bot', 'score', 'share', 'components', 'filesTouched', 'firstCommit', 'lastCommit', 'activeDays', 'activity', 'topFiles', 'interaction', 'interactionActivity', 'logins'].sort(),
    );
    expect(Object.keys(report.contributors[0]!.categories).sort()).toEqual(['code', 'config', 'data', 'docs', 'tests']);
    expect(Object.keys(report.contributors[0]!.categories.code).sort()).toEqual(['bytes', 'commits', 'files', 'linesAdded', 'linesDeleted']);
  });

  it('counts commits as git shortlog does (mailmap applied), merging aliases', () => {
    const shortlog = repo.shortlog();
    expect(shortlog.get('Alice Smith <alice@mail.test>')).toBe(2);
    for (const c of withBots.contributors) {
      const expected = [...shortlog].filter(([who]) => c.emails.some((e) => who.toLowerCase().endsWith(`<${e}>`))).reduce((s, [, n]) => s + n, 0);
      expect(c.commits, c.name).toBe(expected);
    }
    const total = Number(repo.git(['rev-list', '--count', '--no-merges', 'HEAD']).trim());
    expect(withBots.contributors.reduce((s, c) => s + c.commits, 0)).toBe(total);
    const jane = find(report, jane1.email);
    expect(jane.commits).toBe(3);
    expect(new Set(jane.emails)).toEqual(new Set([jane1.email, jane2.email, jane3.email]));
    expect(jane.name).toBe('Jane Doe');
    expect(find(report, alice.email).emails).toEqual([alice.email]); // the old address is mapped by .mailmap
  });

  it('sums lines as git log --numstat does', () => {
    const numstat = repo.numstatByEmail();
    for (const c of withBots.contributors) {
      const added = c.emails.reduce((s, e) => s + (numstat.get(e)?.added ?? 0), 0);
      const deleted = c.emails.reduce((s, e) => s + (numstat.get(e)?.deleted ?? 0), 0);
      expect([c.linesAdded, c.linesDeleted], c.name).toEqual([added, deleted]);
    }
  });

  it('counts surviving lines as git blame -w does', () => {
    const blame = repo.blameByEmail();
    for (const c of report.contributors) {
      expect(c.survivingLines, c.name).toBe(c.emails.reduce((s, e) => s + (blame.get(e) ?? 0), 0));
    }
    expect(find(report, alice.email).survivingLines).toBeGreaterThan(0);
    expect(withBots.contributors.every((c) => c.survivingLines === null)).toBe(true);
  });

  it('splits lines into categories, follows renames, and counts binary files as touched', () => {
    const a = find(report, alice.email);
    expect(a.categories.code).toEqual({ commits: 2, linesAdded: 12 + 1, linesDeleted: 1, files: 0, bytes: 0 });
    expect(a.categories.docs).toEqual({ commits: 1, linesAdded: 3, linesDeleted: 0, files: 0, bytes: 0 });
    expect(a.categories.data).toEqual({ commits: 1, linesAdded: 5, linesDeleted: 0, files: 0, bytes: 0 });
    expect(a.categories.tests).toEqual({ commits: 1, linesAdded: 4, linesDeleted: 0, files: 0, bytes: 0 });
    expect(a.categories.config).toEqual({ commits: 2, linesAdded: 2 + 4, linesDeleted: 0, files: 2, bytes: 8 + 8 }); // .mailmap, manifest, weights.h5 twice (binary: 2 files of 8 bytes)
    expect(a.filesTouched).toBe(8); // 7 added, then src/net.py (weights.h5 again)
    const b = find(report, bob.email);
    expect(b.categories.code).toEqual({ commits: 1, linesAdded: 3, linesDeleted: 1, files: 0, bytes: 0 });
    expect(b.categories.docs).toEqual({ commits: 1, linesAdded: 6, linesDeleted: 0, files: 0, bytes: 0 });
  });

  it('credits co-authors and reviewers from trailers, through the mailmap', () => {
    const c = find(report, carol.email);
    expect(c.emails).toEqual([carol.email]);
    expect(c.coAuthored).toBe(1);
    expect(c.commits).toBe(1);
    const dave = find(report, 'dave@mail.test');
    expect([dave.commits, dave.reviewed, dave.coAuthored, dave.firstCommit, dave.activeDays]).toEqual([0, 1, 0, null, 0]);
    expect(find(report, 'erin@mail.test').reviewed).toBe(1); // another person's Signed-off-by
    expect(find(report, bob.email).reviewed).toBe(1); // Tested-by on Carol's commit; his own sign-off does not count
    expect(find(withBots, dependabot.email).coAuthored).toBe(1);
    expect(report.contributors.some((x) => x.emails.includes(dependabot.email))).toBe(false);
  });

  it('leaves bots out by default and keeps people whose names look like bot', () => {
    const botEmails = [dependabot.email, renovate.email, actions.email];
    expect(report.contributors.some((c) => c.bot || c.emails.some((e) => botEmails.includes(e)))).toBe(false);
    for (const who of [abbott, robotham, botTom]) expect(find(report, who.email).bot, who.name).toBe(false);
    for (const email of botEmails) expect(find(withBots, email).bot, email).toBe(true);
    expect(withBots.contributors.length).toBe(report.contributors.length + 3);
  });

  it('records merges, dates and active days', () => {
    const a = find(report, alice.email);
    expect(a.merges).toBe(1);
    expect(a.commits).toBe(2);
    const dates = repo
      .git(['log', '--format=%aE %aI', 'HEAD'])
      .split('\n')
      .filter((l) => l.startsWith(`${alice.email} `) || l.startsWith(`${aliceOld.email} `))
      .map((l) => l.split(' ')[1]!);
    expect(a.firstCommit).toBe(dates[dates.length - 1]);
    expect(a.lastCommit).toBe(dates[0]);
    expect(a.activeDays).toBe(new Set(dates.map((d) => d.slice(0, 10))).size);
    expect(a.activeDays).toBe(3);
  });

  it('scores with shares that sum to 1, co-authored credit shared', () => {
    const total = report.contributors.reduce((s, c) => s + c.share, 0);
    expect(total).toBeCloseTo(1, 10);
    for (let i = 1; i < report.contributors.length; i++) expect(report.contributors[i - 1]!.share).toBeGreaterThanOrEqual(report.contributors[i]!.share);
    const onlyCode = aggregateImpact(
      { commits: [{ sha: 'x', merge: false, authorName: 'A', authorEmail: 'a@x.test', authorDate: '2024-01-01T00:00:00Z', trailers: [{ kind: 'co-author', contact: 'B <b@x.test>' }], files: [{ path: 'a.py', oldPath: null, added: 10, deleted: 0, binary: false }] }], merges: [], surviving: null },
      { weights: { alpha: 1, beta: 0, gamma: 0 } },
    );
    expect(onlyCode.contributors.map((c) => [c.name, c.share])).toEqual([['A', 0.5], ['B', 0.5]]);
    expect(onlyCode.contributors.map((c) => c.components)).toEqual([{ g: 0.5, d: 0, pq: 0, m: 0 }, { g: 0.5, d: 0, pq: 1, m: 0 }]); // B co-authored; no model analysis: M 0
    for (const c of report.contributors) {
      const w = report.weights;
      expect(c.score).toBeCloseTo(w.alpha * c.components.g + w.beta * c.components.d + w.gamma * c.components.pq, 12);
    }
    expect(onlyCode.weights).toEqual({ alpha: 1, beta: 0, gamma: 0, delta: 0 });
  });

  it('takes category rules and identity overrides', async () => {
    const custom = await analyzeContributorImpact(repo.dir, {
      blame: false,
      categories: { rules: [{ pattern: '*.py', category: 'docs' }] },
      identities: { split: ['jdoe'], merge: [['Mary Abbott', 'sam@robotham.test']] },
    });
    expect(find(custom, alice.email).categories.code.commits).toBe(0);
    expect(find(custom, jane3.email).emails).toEqual([jane3.email]);
    expect(find(custom, jane1.email).commits).toBe(2);
    const merged = find(custom, abbott.email);
    expect(merged.emails).toContain(robotham.email);
    expect(merged.commits).toBe(2);
  });

  it('filters by date', async () => {
    const since = '2024-01-03T00:00:00Z';
    const later = await analyzeContributorImpact(repo.dir, { blame: false, includeBots: true, since });
    const count = Number(repo.git(['rev-list', '--count', '--no-merges', `--since=${since}`, 'HEAD']).trim());
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(12);
    expect(later.contributors.reduce((s, c) => s + c.commits, 0)).toBe(count);
    const none = await analyzeContributorImpact(repo.dir, { blame: false, until: new Date(Date.UTC(2000, 0, 1)) });
    expect(none.contributors).toEqual([]);
  });

  it('reports progress through every phase', () => {
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['listing', 'commits', 'blame', 'aggregating']);
    const lastCommits = progress.filter((p) => p.phase === 'commits').at(-1)!;
    expect(lastCommits.done).toBe(lastCommits.total);
  });

  it('can be cancelled before and while it runs', async () => {
    await expect(analyzeContributorImpact(repo.dir, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'GitError', gitKind: 'cancelled' });
    const controller = new AbortController();
    const run = analyzeContributorImpact(repo.dir, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'commits') controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(GitError);
    await expect(run).rejects.toMatchObject({ gitKind: 'cancelled' });
  });
});

describe('analyzeContributorImpact on edge cases', () => {
  it('gives an empty report for a repository without commits', async () => {
    const repo = TestRepo.create();
    try {
      expect(await analyzeContributorImpact(repo.dir)).toEqual({ contributors: [], weights: DEFAULT_WEIGHTS });
      await expect(analyzeContributorImpact(repo.dir, { rev: 'nope' })).rejects.toMatchObject({ gitKind: 'not-found' });
    } finally {
      repo.remove();
    }
  });

  it('rejects bad weights before running git', async () => {
    await expect(analyzeContributorImpact('/nonexistent', { weights: { gamma: -0.1 } })).rejects.toThrow(RangeError);
  });
});
