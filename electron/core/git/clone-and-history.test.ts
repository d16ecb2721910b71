import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { cloneRepository, type CloneProgress } from './clone-repository.js';
import { GitError, projectGit } from './project-git.js';
import { readCommits, readContributors, readHead } from './read-history.js';

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const upstream = makeRepo(path.join(root, 'upstream'), [
  { author: 'Ada', email: 'ada@example.org', message: 'one', files: { 'a.txt': '1\n' } },
  { author: 'Grace', email: 'grace@example.org', message: 'two', files: { 'b.txt': '2\n' } },
  { author: 'Ada at Work', email: 'ada@work.example', message: 'three', files: { 'a.txt': '3\n' } },
]);
fs.writeFileSync(path.join(upstream, '.mailmap'), 'Ada <ada@example.org> Ada at Work <ada@work.example>\n');
git(upstream, ['add', '.mailmap']);
git(upstream, ['-c', 'user.name=Grace', '-c', 'user.email=grace@example.org', 'commit', '-q', '-m', 'mailmap']);

describe('clone and history', () => {
  it('clones with progress, then reads commits, HEAD and contributors with the mailmap applied', async () => {
    const dest = path.join(root, 'clone1');
    const events: CloneProgress[] = [];
    // file:// makes git use its pack protocol, which reports progress as a network clone does.
    await cloneRepository({ source: `file://${upstream}`, destination: dest, onProgress: (p) => events.push(p) });
    expect(fs.existsSync(path.join(dest, 'a.txt'))).toBe(true);
    expect(events.length).toBeGreaterThan(0);

    const commits = await readCommits(dest, 10);
    expect(commits.map((c) => c.subject)).toEqual(['mailmap', 'three', 'two', 'one']);
    expect(await readHead(dest)).toBe(git(upstream, ['rev-parse', 'HEAD']).trim());

    const people = await readContributors(dest);
    const expected = git(upstream, ['shortlog', '-sne', '--no-merges', 'HEAD'])
      .trim()
      .split('\n')
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(people.map((p) => p.commits).sort()).toEqual(expected.sort());
    expect(people).toContainEqual({ name: 'Ada', email: 'ada@example.org', commits: 2 });
    expect(people).toContainEqual({ name: 'Grace', email: 'grace@example.org', commits: 2 });
  });

  it('runs every git call with hooks off and the ext transport refused', async () => {
    const dest = path.join(root, 'clone2');
    await cloneRepository({ source: upstream, destination: dest });
    const g = projectGit(dest);
    expect((await g.raw(['config', '--get', 'core.hooksPath'])).trim()).toMatch(/^(\/dev\/null|NUL)$/);
    expect((await g.raw(['config', '--get', 'protocol.ext.allow'])).trim()).toBe('never');
    // A hook planted in the clone does not run.
    const marker = path.join(root, 'hook-ran');
    fs.writeFileSync(path.join(dest, '.git', 'hooks', 'post-checkout'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    await g.checkout(['-q', 'HEAD~1']);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('a missing repository is a one-line "not found", and leaves no folder', async () => {
    const dest = path.join(root, 'clone3');
    const err = await cloneRepository({ source: path.join(root, 'nope'), destination: dest }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).gitKind).toBe('not-found');
    expect((err as GitError).message).not.toContain('\n');
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('an existing destination is refused and kept as it was', async () => {
    const dest = path.join(root, 'occupied');
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, 'mine.txt'), 'keep');
    const err = (await cloneRepository({ source: upstream, destination: dest }).catch((e: unknown) => e)) as GitError;
    expect(err.gitKind).toBe('destination-exists');
    expect(fs.readFileSync(path.join(dest, 'mine.txt'), 'utf8')).toBe('keep');
  });

  it('a cancelled clone is reported as cancelled and leaves no folder', async () => {
    const dest = path.join(root, 'clone4');
    const abort = new AbortController();
    abort.abort();
    const err = (await cloneRepository({ source: upstream, destination: dest, signal: abort.signal }).catch((e: unknown) => e)) as GitError;
    expect(err.gitKind).toBe('cancelled');
    expect(fs.existsSync(dest)).toBe(false);
  });
});
