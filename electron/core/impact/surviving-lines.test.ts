// Tests of surviving-lines.ts against real git repositories built in temp folders (and its pure helpers).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlamePorcelainParser, listBlameFiles, readIgnoreRevs } from './surviving-lines.js';
import { countSurvivingLines } from '../testing/count-surviving-lines.js';
import { TestRepo } from '../testing/test-git-repo.js';

const alice = { name: 'Alice Smith', email: 'alice@mail.test' };
const bob = { name: 'Bob Jones', email: 'bob@mail.test' };
const carol = { name: 'Carol King', email: 'carol@mail.test' };

const byEmail = (rows: readonly { email: string; lines: number }[]) => {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.email.toLowerCase(), (out.get(r.email.toLowerCase()) ?? 0) + r.lines);
  return out;
};

describe('BlamePorcelainParser', () => {
  it('counts group sizes per commit and reads each commit author once, across chunk boundaries', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const text = [
      `${a} 1 1 2`, 'author Alice', 'author-mail <alice@mail.test>', 'author-time 1', 'summary x', 'filename f', '\tline 1',
      `${a} 2 2`, '\tline 2',
      `${b} 1 3 1`, 'author Bob', 'author-mail <bob@mail.test>', 'filename f', `\t${a} 9 9 9`,
      `${a} 5 4 3`, 'filename f', '\tx', `${a} 6 5`, '\ty', `${a} 7 6`, '\tz', '',
    ].join('\n');
    for (const chunk of [1, 5, 10_000]) {
      const lines = new Map<string, number>();
      const authors = new Map<string, { name: string; email: string }>();
      const parser = new BlamePorcelainParser(lines, authors);
      for (let i = 0; i < text.length; i += chunk) parser.push(text.slice(i, i + chunk));
      parser.end();
      expect(lines).toEqual(new Map([[a, 5], [b, 1]]));
      expect(authors.get(b)).toEqual({ name: 'Bob', email: 'bob@mail.test' });
    }
  });
});

describe('surviving lines', () => {
  let repo: TestRepo;
  let styleCommit = '';
  beforeAll(() => {
    repo = TestRepo.create();
    const lines = Array.from({ length: 10 }, (_, i) => `value_${i} = 'x${i}'`);
    repo.write('src/a.py', `${lines.join('\n')}\n`).write('logo.png', Buffer.from([137, 80, 78, 71, 0, 0, 0, 13]));
    repo.commit(alice, 'Add a');
    // Bob rewrites the quotes of every line: a style-only change listed in .git-blame-ignore-revs below.
    repo.write('src/a.py', `${lines.map((l) => l.replace(/'/g, '"')).join('\n')}\n`);
    styleCommit = repo.commit(bob, 'Use double quotes');
    // Carol only re-indents three lines (whitespace: blame -w keeps them with their author) and adds two.
    repo.write('src/a.py', `${lines.map((l, i) => (i < 3 ? `    ${l.replace(/'/g, '"')}` : l.replace(/'/g, '"'))).join('\n')}\nextra = 1\nmore = 2\n`);
    repo.commit(carol, 'Indent and extend');
  });
  afterAll(() => repo.remove());

  it('skips binary files', async () => {
    const targets = await listBlameFiles(repo.dir, 'HEAD');
    expect(targets).toEqual([{ path: 'src/a.py', lines: 12, blob: repo.git(['rev-parse', 'HEAD:src/a.py']).trim() }]);
  });

  it('ignores whitespace, and gives lines to the last real author without an ignore-revs file', async () => {
    const rows = await countSurvivingLines(repo.dir, 'HEAD', { commitGraph: false });
    expect(byEmail(rows)).toEqual(new Map([[bob.email, 10], [carol.email, 2]]));
    expect(byEmail(rows)).toEqual(repo.blameByEmail());
  });

  it('honours .git-blame-ignore-revs at the analysed commit', async () => {
    repo.write('.git-blame-ignore-revs', `# style\n${styleCommit}\nnot-a-sha\n`);
    const withFile = repo.commit(alice, 'Ignore the style commit in blame');
    expect(await readIgnoreRevs(repo.dir, withFile)).toEqual([styleCommit]);
    const rows = await countSurvivingLines(repo.dir, withFile, { commitGraph: false });
    const totals = byEmail(rows);
    expect(totals.get(bob.email) ?? 0).toBe(0);
    expect(totals.get(alice.email)).toBe(10 + 3); // src/a.py and the ignore file's own three lines
    // git itself stops at the junk line, so the cross-check gets a clean copy.
    writeFileSync(join(repo.dir, '.git', 'clean-ignore-revs'), `${styleCommit}\n`);
    expect(totals).toEqual(repo.blameByEmail(['--ignore-revs-file', join(repo.dir, '.git', 'clean-ignore-revs')]));
  });

  it('reports progress per file, and writes a commit-graph only before blaming many files', async () => {
    const graph = (r: TestRepo) => join(r.dir, '.git', 'objects', 'info', 'commit-graph');
    const progress: [number, number][] = [];
    await countSurvivingLines(repo.dir, 'HEAD', { onFile: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([[1, 2], [2, 2]]);
    expect(existsSync(graph(repo))).toBe(false); // two files: not worth writing one
    const many = TestRepo.create();
    try {
      for (let i = 0; i < 16; i++) many.write(`f${i}.txt`, `${i}\n`);
      many.commit(alice, 'Sixteen files');
      await countSurvivingLines(many.dir, 'HEAD', { commitGraph: false });
      expect(existsSync(graph(many))).toBe(false);
      await countSurvivingLines(many.dir, 'HEAD');
      expect(existsSync(graph(many))).toBe(true);
    } finally {
      many.remove();
    }
  });
});
