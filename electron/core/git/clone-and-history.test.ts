import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { cloneRepository, type CloneProgress } from './clone-repository.js';
import { GitError, runGit } from './project-git.js';
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
    const config = async (key: string) => (await runGit(['config', '--get', key], { cwd: dest })).stdout.trim();
    expect(await config('core.hooksPath')).toMatch(/^(\/dev\/null|NUL)$/);
    expect(await config('protocol.ext.allow')).toBe('never');
    // A hook planted in the clone does not run.
    const marker = path.join(root, 'hook-ran');
    fs.writeFileSync(path.join(dest, '.git', 'hooks', 'post-checkout'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    await runGit(['checkout', '-q', 'HEAD~1'], { cwd: dest });
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

  it('with readCommits, checks out the working tree and reads the log side by side: the same clone and the same commits', async () => {
    git(upstream, ['branch', '-f', 'older', 'HEAD~2']);
    const plainDest = path.join(root, 'plain5');
    const dest = path.join(root, 'clone5');
    await cloneRepository({ source: `file://${upstream}`, destination: plainDest });
    const events: CloneProgress[] = [];
    const { commits } = await cloneRepository({ source: `file://${upstream}`, destination: dest, readCommits: 100, onProgress: (p) => events.push(p) });
    expect(commits).toEqual(await readCommits(plainDest, 100));
    expect(commits!.map((c) => c.subject)).toEqual(['mailmap', 'three', 'two', 'one']);
    expect(events.length).toBeGreaterThan(0);
    const tree = (dir: string) => fs.readdirSync(dir).filter((f) => f !== '.git').sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
    expect(tree(dest)).toEqual(tree(plainDest));
    expect(git(dest, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(git(dest, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');
    expect(git(dest, ['ls-files', '-s'])).toBe(git(plainDest, ['ls-files', '-s']));
    // Without readCommits the result says nothing was read.
    expect(await cloneRepository({ source: upstream, destination: path.join(root, 'clone5b') })).toEqual({ commits: null });

    // A branch and a depth are honoured the same way.
    const branch = path.join(root, 'clone6');
    const shallow = await cloneRepository({ source: upstream, destination: branch, branch: 'older', depth: 1, readCommits: 100 });
    expect(shallow.commits!.map((c) => c.subject)).toEqual(['two']);
    expect(fs.readFileSync(path.join(branch, 'b.txt'), 'utf8')).toBe('2\n');
    expect(fs.existsSync(path.join(branch, '.mailmap'))).toBe(false);
    expect(git(branch, ['status', '--porcelain'])).toBe('');
  });

  it('with readCommits, an empty repository is cloned with no commits and no files, as git clone does', async () => {
    const empty = path.join(root, 'empty.git');
    git(root, ['init', '-q', '--bare', empty]);
    const dest = path.join(root, 'clone7');
    expect(await cloneRepository({ source: `file://${empty}`, destination: dest, readCommits: 10 })).toEqual({ commits: [] });
    expect(fs.readdirSync(dest)).toEqual(['.git']);
  });

  it('with readCommits, a cancelled clone leaves no folder, and a failed one neither', async () => {
    const dest = path.join(root, 'clone8');
    const abort = new AbortController();
    const run = cloneRepository({
      source: `file://${upstream}`,
      destination: dest,
      readCommits: 10,
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    const err = (await run.catch((e: unknown) => e)) as GitError;
    expect(err.gitKind).toBe('cancelled');
    expect(fs.existsSync(dest)).toBe(false);
    const missing = (await cloneRepository({ source: path.join(root, 'nope'), destination: dest, readCommits: 10 }).catch((e: unknown) => e)) as GitError;
    expect(missing.gitKind).toBe('not-found');
    expect(fs.existsSync(dest)).toBe(false);
  });
});
