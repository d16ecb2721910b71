// Tests of read-commit-stats.ts against real git repositories built in temp folders (and its pure helpers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeContributorImpact } from './contributor-impact.js';
import { CommitLogParser, countAllCommits, listHistory, readCommitHeaders, readCommitList, readCommitRecords, resolveCommit, type CommitRecord } from './read-commit-stats.js';
import { planStretches } from './stream-history.js';
import { readHistory, readMergeRecords, readNonMergeRecords } from '../testing/history-readers.js';
import { TestRepo } from '../testing/test-git-repo.js';

const alice = { name: 'Alice Smith', email: 'alice@mail.test' };
const bob = { name: 'Bob Jones', email: 'bob@mail.test' };

function parseAll(text: string, chunk: number): CommitRecord[] {
  const out: CommitRecord[] = [];
  const parser = new CommitLogParser((c) => out.push(c));
  for (let i = 0; i < text.length; i += chunk) parser.push(text.slice(i, i + chunk));
  parser.end();
  return out;
}

describe('CommitLogParser', () => {
  const H = '\x01';
  const F = '\x1f';
  const sample =
    `${H}aaa${F}p1${F}Alice${F}a@x.test${F}2024-01-01T10:00:00+02:00${F}Co-authored-by: Bob <b@x.test>\nFixes: 1\n\0` +
    `\n-\t-\tweights.h5\0` +
    `3\t1\t\0old name.py\0new name.py\0` +
    `2\t0\tdir/with\ttab.txt\0` +
    `${H}bbb${F}p2${F}Bob${F}b@x.test${F}2024-01-02T10:00:00Z${F}\0` +
    `${H}ccc${F}p3 p4${F}Carol${F}c@x.test${F}2024-01-03T10:00:00Z${F}\0`;

  it.each([1, 2, 7, 1000])('reads records, renames, binary files, empty commits and merges in chunks of %i', (chunk) => {
    const records = parseAll(sample, chunk);
    expect(records.map((r) => r.sha)).toEqual(['aaa', 'bbb', 'ccc']);
    expect(records[0]).toEqual({
      sha: 'aaa',
      merge: false,
      authorName: 'Alice',
      authorEmail: 'a@x.test',
      authorDate: '2024-01-01T10:00:00+02:00',
      trailers: [{ kind: 'co-author', contact: 'Bob <b@x.test>' }],
      files: [
        { path: 'weights.h5', oldPath: null, added: 0, deleted: 0, binary: true },
        { path: 'new name.py', oldPath: 'old name.py', added: 3, deleted: 1, binary: false },
        { path: 'dir/with\ttab.txt', oldPath: null, added: 2, deleted: 0, binary: false },
      ],
    });
    expect(records[1]!.files).toEqual([]);
    expect(records[2]!.merge).toBe(true);
  });
});

describe('reading commit records from git', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.create();
    repo.write('src/model.py', Array.from({ length: 12 }, (_, i) => `line ${i}\n`).join('')).write('weights.h5', Buffer.from([0, 1, 2, 3, 0, 5]));
    repo.commit(alice, 'Add the model');
    repo.git(['mv', 'src/model.py', 'src/net.py']);
    repo.write('src/net.py', Array.from({ length: 12 }, (_, i) => (i === 3 ? 'changed\n' : `line ${i}\n`)).join('')).write('weights.h5', Buffer.from([0, 9, 9]));
    repo.commit(bob, 'Rename the model\n\nReviewed-by: Alice Smith <alice@mail.test>');
    repo.commit(bob, 'Nothing', { allowEmpty: true });
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.write('docs/a.md', 'a\nb\n');
    repo.commit(alice, 'Docs');
    repo.git(['checkout', '-q', 'main']);
    repo.merge(bob, 'side');
  });
  afterAll(() => repo.remove());

  it('finds renames (lines go to the new path), binary files and trailers', async () => {
    const head = (await resolveCommit(repo.dir))!;
    const listing = await listHistory(repo.dir, { rev: head });
    expect(listing.commits).toHaveLength(4);
    const records = await readCommitRecords(repo.dir, listing.commits);
    expect(records).toEqual(await readNonMergeRecords(repo.dir, { rev: head }));
    expect(records.map((r) => r.merge)).toEqual([false, false, false, false]);
    const rename = records.find((r) => r.files.some((f) => f.oldPath !== null))!;
    expect(rename.files).toContainEqual({ path: 'src/net.py', oldPath: 'src/model.py', added: 1, deleted: 1, binary: false });
    expect(rename.files).toContainEqual({ path: 'weights.h5', oldPath: null, added: 0, deleted: 0, binary: true });
    expect(rename.trailers).toEqual([{ kind: 'review', contact: 'Alice Smith <alice@mail.test>' }]);
    expect(records.find((r) => r.files.length === 0)).toBeDefined(); // the empty commit
  });

  it('lists merges apart, and reads any set of commits the same way as the whole range', async () => {
    const listing = await listHistory(repo.dir, {});
    expect(listing.commits).toHaveLength(4);
    expect(listing.merges).toHaveLength(1);
    const merges = await readCommitHeaders(repo.dir, listing.merges);
    expect(merges[0]!.authorEmail).toBe(bob.email);
    expect(merges).toEqual(await readMergeRecords(repo.dir));
    const all = await readNonMergeRecords(repo.dir);
    const picked = await readCommitRecords(repo.dir, [listing.commits[2]!, listing.commits[0]!]);
    expect(picked).toEqual([all[2], all[0]]);
  });

  it('returns null for a repository without commits and for an unknown revision', async () => {
    const empty = TestRepo.create();
    try {
      expect(await resolveCommit(empty.dir)).toBeNull();
      expect(await resolveCommit(repo.dir, 'no-such-branch')).toBeNull();
    } finally {
      empty.remove();
    }
  });
});

describe('reading a long history in slices', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.create();
    // 1,300 small commits by fast-import, so that the history is cut into several slices.
    const parts: string[] = [];
    for (let i = 0; i < 1300; i++) {
      const msg = `c${i}\n`;
      const body = `${Array.from({ length: (i % 5) + 1 }, (_, k) => `v${i}-${k}`).join('\n')}\n`;
      parts.push(
        `commit refs/heads/main\nauthor P${i % 7} <p${i % 7}@mail.test> ${1_700_000_000 + i * 60} +0000\ncommitter P <p@mail.test> ${1_700_000_000 + i * 60} +0000\n` +
          `data ${msg.length}\n${msg}M 100644 inline f${i % 11}.txt\ndata ${body.length}\n${body}\n`,
      );
    }
    repo.git(['fast-import', '--quiet'], { input: parts.join('') });
  });
  afterAll(() => repo.remove());

  it('gives the same records whatever the number of git processes', async () => {
    const one = await readNonMergeRecords(repo.dir);
    expect(one).toHaveLength(1300);
    const shas = one.map((r) => r.sha);
    expect(new Set(shas).size).toBe(1300);
    expect(await readCommitRecords(repo.dir, shas, { concurrency: 1 })).toEqual(one);
    expect(await readCommitRecords(repo.dir, shas, { concurrency: 3 })).toEqual(one);
    const lines = one.reduce((s, r) => s + r.files.reduce((t, f) => t + f.added + f.deleted, 0), 0);
    const fromGit = repo
      .git(['log', '--numstat', '--format=', 'main'])
      .split('\n')
      .map((l) => /^(\d+)\t(\d+)\t/.exec(l))
      .reduce((s, m) => s + (m ? Number(m[1]) + Number(m[2]) : 0), 0);
    expect(lines).toBe(fromGit);
  });
});

describe('readHistory: one pass read by several git processes', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.create();
    // 1,400 commits by fast-import: edits, renames (with and without changes), binary files, and a side
    // branch merged every 60 commits, so that the slices cut through merges and renames.
    const parts: string[] = [];
    const files = new Map<string, string[]>();
    let mark = 0;
    let time = 1_700_000_000;
    const commit = (ref: string, i: number, body: string, merge?: number) => {
      mark++;
      time += 60;
      const who = `P${i % 9} <p${i % 9}@mail.test>`;
      const msg = i % 10 === 3 ? `c${i}\n\nCo-authored-by: P${(i + 1) % 9} <p${(i + 1) % 9}@mail.test>\n` : `c${i}\n`;
      parts.push(`commit ${ref}\nmark :${mark}\nauthor ${who} ${time} +0000\ncommitter ${who} ${time} +0000\ndata ${msg.length}\n${msg}${merge ? `merge :${merge}\n` : ''}${body}\n`);
    };
    const text = (path: string) => {
      const content = `${files.get(path)!.join('\n')}\n`;
      return `M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}`;
    };
    const edit = (path: string, i: number) => {
      const lines = files.get(path) ?? [];
      lines.splice(i % (lines.length + 1), i % 3 === 0 ? 1 : 0, `v${i}`, `w${i}`);
      files.set(path, lines);
      return text(path);
    };
    for (let i = 0; i < 1400; i++) {
      if (i % 60 === 59) {
        const base = mark;
        parts.push(`reset refs/heads/side\nfrom :${base}\n\n`);
        commit('refs/heads/side', i, edit(`side/s${i % 5}.txt`, i));
        const side = mark;
        parts.push(`reset refs/heads/main\nfrom :${base}\n\n`);
        commit('refs/heads/main', i, text(`side/s${i % 5}.txt`), side);
      } else if (i % 97 === 50) {
        const from = `f${i % 11}.txt`;
        if (!files.has(from)) edit(from, i);
        const to = `renamed/r${i}.txt`;
        files.set(to, files.get(from)!);
        files.delete(from);
        commit('refs/heads/main', i, `R ${from} ${to}\n${i % 2 ? edit(to, i) : ''}`);
      } else if (i % 31 === 7) {
        const bytes = Buffer.from(Array.from({ length: 64 }, (_, k) => (k * i) % 256)).toString('latin1');
        commit('refs/heads/main', i, `M 100644 inline w${i % 3}.bin\ndata ${bytes.length}\n${bytes}`);
      } else commit('refs/heads/main', i, edit(`f${i % 11}.txt`, i));
    }
    repo.git(['fast-import', '--quiet'], { input: Buffer.from(parts.join(''), 'latin1') });
    repo.git(['reset', '-q', '--hard', 'main']);
  });
  afterAll(() => repo.remove());

  it('gives the records of one git process whatever the number of readers, merges and renames included', async () => {
    const total = await countAllCommits(repo.dir);
    expect(total).toBeGreaterThan(1400);
    const totals: number[] = [];
    const single = await readHistory(repo.dir, {}, { concurrency: 1, onTotal: (n) => totals.push(n) });
    expect(totals).toEqual([total]);
    expect(single.commits.length + single.merges.length).toBe(total);
    expect(single.merges.length).toBe(23);
    expect(single.merges.every((m) => m.merge && m.files.length === 0)).toBe(true);
    expect(single.commits.some((c) => c.files.some((f) => f.oldPath !== null))).toBe(true);
    expect(single.commits.some((c) => c.files.some((f) => f.binary))).toBe(true);
    // The separate passes (non-merges with diffs, merges without) give the same records in the same order.
    expect(single.commits).toEqual(await readNonMergeRecords(repo.dir));
    expect(single.merges).toEqual(await readMergeRecords(repo.dir));
    for (const concurrency of [2, 3, 4]) {
      let last = 0;
      const sliced = await readHistory(repo.dir, {}, { concurrency, onRecord: (done) => (last = done) });
      expect(sliced).toEqual(single);
      expect(last).toBe(total);
    }
    const since = '2023-11-15T02:00:00Z';
    const ranged = await readHistory(repo.dir, { since }, { concurrency: 3 });
    expect(ranged).toEqual(await readHistory(repo.dir, { since }, { concurrency: 1 }));
    expect(ranged.commits.length).toBeLessThan(single.commits.length);
  });

  it('lists the commits in log order, one sha per line, as git rev-list prints them', async () => {
    const shas = repo.git(['rev-list', 'HEAD']).trim().split('\n');
    const list = await readCommitList(repo.dir);
    expect(list.count).toBe(shas.length);
    expect(list.isAt(shas[0]!, 0)).toBe(true);
    expect(list.isAt(shas[7]!, 7)).toBe(true);
    expect(list.isAt(shas[7]!, 8)).toBe(false);
    expect(list.isAt(shas[7]!.slice(0, 20), 7)).toBe(false);
    expect(list.stdin(5, 8)).toBe(`${shas.slice(5, 8).join('\n')}\n`);
    expect((await readCommitList(repo.dir, { since: '2100-01-01' })).count).toBe(0);
  });

  it('reads nothing, and counts 0, in a range without commits', async () => {
    for (const concurrency of [1, 3]) {
      const totals: number[] = [];
      const none = await readHistory(repo.dir, { since: '2100-01-01' }, { concurrency, onTotal: (n) => totals.push(n) });
      expect(none).toEqual({ commits: [], merges: [] });
      expect(totals).toEqual([0]);
    }
  });

  it('gives each stretch of history two readers, one from each end, and the odd one out a stretch alone', () => {
    expect(planStretches(100, 1300, 2)).toEqual([{ from: 100, to: 1300, readers: 2 }]);
    expect(planStretches(100, 1300, 3)).toEqual([{ from: 100, to: 900, readers: 2 }, { from: 900, to: 1300, readers: 1 }]);
    expect(planStretches(100, 1300, 4, 100)).toEqual([{ from: 100, to: 700, readers: 2 }, { from: 700, to: 1300, readers: 2 }]);
    // Too little left to share: the first reader goes on alone.
    expect(planStretches(100, 1300, 4, 700)).toEqual([]);
    expect(planStretches(100, 1300, 1, 1)).toEqual([]);
    expect(planStretches(1300, 1300, 4, 1)).toEqual([]);
  });

  it('gives the same records when every stretch is read from both ends', async () => {
    const single = await readHistory(repo.dir, {}, { concurrency: 1 });
    for (const minPerReader of [1, 30, 200]) expect(await readHistory(repo.dir, {}, { concurrency: 4, minPerReader })).toEqual(single);
  });

  it('gives a byte-identical report from one git process and from several', async () => {
    const one = JSON.stringify(await analyzeContributorImpact(repo.dir, { blame: false, concurrency: 1 }));
    expect(JSON.stringify(await analyzeContributorImpact(repo.dir, { blame: false, concurrency: 3 }))).toBe(one);
  });

  it('is cancelled by the signal while several readers run', async () => {
    const controller = new AbortController();
    const run = readHistory(repo.dir, {}, { concurrency: 3, signal: controller.signal, onRecord: (done) => done === 100 && controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'GitError', gitKind: 'cancelled' });
  });
});
