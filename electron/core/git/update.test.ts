import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { serveRepository, startGitHttpServer, type GitHttpServer } from '../testing/git-http-server.js';
import { checkoutRevision } from './checkout-revision.js';
import { cloneRepository } from './clone-repository.js';
import { fetchStatus } from './fetch-status.js';
import { GitError } from './project-git.js';
import { pullFastForward } from './pull-fast-forward.js';
import { listBranches, switchBranch } from './switch-branch.js';
import { parseStatus, readWorkingTreeStatus } from './working-tree-status.js';

const root = tempDir();
const served = path.join(root, 'served');
let server: GitHttpServer;
let work: string; // where "upstream" authors commit, pushing to the served bare repository
let bare: string;

const commit = (dir: string, files: Record<string, string>, message: string) => {
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.org', 'commit', '-q', '-m', message]);
};
const upstreamCommit = (files: Record<string, string>, message: string) => {
  commit(work, files, message);
  git(work, ['push', '-q', bare, 'HEAD:main']);
};
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const failure = async (p: Promise<unknown>): Promise<GitError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GitError);
  expect((err as GitError).message).not.toContain('\n');
  return err as GitError;
};
let n = 0;
const freshClone = async () => {
  const dest = path.join(root, `clone-${++n}`);
  await cloneRepository({ source: server.url('project.git'), destination: dest });
  return dest;
};

beforeAll(async () => {
  fs.mkdirSync(served);
  work = makeRepo(path.join(root, 'work'), [
    { author: 'Ada', email: 'ada@example.org', message: 'one', files: { 'a.txt': 'a1\n', 'b.txt': 'b1\n' } },
    { author: 'Ada', email: 'ada@example.org', message: 'two', files: { 'a.txt': 'a2\n' } },
  ]);
  git(work, ['tag', 'v1', 'HEAD~1']);
  git(work, ['branch', 'dev']);
  bare = await serveRepository(served, 'project', work);
  git(work, ['switch', '-q', 'dev']);
  upstreamCommitOn('dev', { 'dev.txt': 'dev\n' }, 'dev work');
  git(work, ['switch', '-q', 'main']);
  server = await startGitHttpServer({ root: served });
});

function upstreamCommitOn(branch: string, files: Record<string, string>, message: string) {
  commit(work, files, message);
  git(work, ['push', '-q', bare, `HEAD:${branch}`]);
}

afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('working tree status', () => {
  it('a fresh clone is clean, on main, even with origin/main', async () => {
    const dir = await freshClone();
    expect(await readWorkingTreeStatus(dir)).toMatchObject({
      branch: 'main',
      detached: false,
      upstream: 'origin/main',
      ahead: 0,
      behind: 0,
      modified: 0,
      untracked: 0,
      clean: true,
    });
  });

  it('counts modified, staged, renamed, deleted and untracked files', async () => {
    const dir = await freshClone();
    fs.writeFileSync(path.join(dir, 'a.txt'), 'changed\n');
    fs.writeFileSync(path.join(dir, 'new one.txt'), 'new\n');
    git(dir, ['mv', 'b.txt', 'b renamed.txt']);
    const status = await readWorkingTreeStatus(dir);
    expect(status).toMatchObject({ modified: 2, untracked: 1, clean: false, conflicted: 0 });
    expect(status.files).toEqual(
      expect.arrayContaining([
        { path: 'a.txt', state: 'modified' },
        { path: 'b renamed.txt', state: 'renamed' },
        { path: 'new one.txt', state: 'untracked' },
      ]),
    );
  });

  it('parses conflicts and a repository without commits', () => {
    const conflict = parseStatus('# branch.oid (initial)\0# branch.head main\0u UU N... 100644 100644 100644 100644 a b c x y.txt\0');
    expect(conflict).toMatchObject({ head: null, branch: 'main', detached: false, conflicted: 1, modified: 1 });
    expect(conflict.files).toEqual([{ path: 'x y.txt', state: 'conflicted' }]);
  });
});

describe('fetch and fast-forward pull', () => {
  it('fetch reports how far behind; pull fast-forwards and keeps unrelated local edits', async () => {
    const dir = await freshClone();
    upstreamCommit({ 'b.txt': 'b2\n' }, 'three');
    upstreamCommit({ 'c.txt': 'c\n' }, 'four');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'my local edit\n');

    expect(await fetchStatus(dir)).toMatchObject({ behind: 2, ahead: 0, modified: 1 });
    const before = git(dir, ['rev-parse', 'HEAD']).trim();
    const result = await pullFastForward(dir);
    expect(result).toMatchObject({ kind: 'fast-forwarded', from: before, commits: 2 });
    expect(result.kind === 'fast-forwarded' && result.to).toBe(git(bare, ['rev-parse', 'main']).trim());
    expect(read(dir, 'c.txt')).toBe('c\n');
    expect(read(dir, 'a.txt')).toBe('my local edit\n');
    expect(await pullFastForward(dir)).toMatchObject({ kind: 'up-to-date', ahead: 0 });
  });

  it('refuses to overwrite local changes, naming how many files, until told to discard them', async () => {
    const dir = await freshClone();
    upstreamCommit({ 'a.txt': 'upstream a\n', 'b.txt': 'upstream b\n' }, 'touch a and b');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'mine\n');
    fs.writeFileSync(path.join(dir, 'b.txt'), 'mine too\n');
    const head = git(dir, ['rev-parse', 'HEAD']).trim();

    const err = await failure(pullFastForward(dir));
    expect(err.gitKind).toBe('local-changes');
    expect(err.message).toMatch(/2 files have local changes that would be overwritten \(a\.txt, b\.txt\)/);
    expect(err.message).toContain('discardLocalChanges');
    expect(read(dir, 'a.txt')).toBe('mine\n');
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(head);

    expect(await pullFastForward(dir, { discardLocalChanges: true })).toMatchObject({ kind: 'fast-forwarded', commits: 1 });
    expect(read(dir, 'a.txt')).toBe('upstream a\n');
    expect((await readWorkingTreeStatus(dir)).clean).toBe(true);
  });

  it('refuses a pull that is not a fast-forward', async () => {
    const dir = await freshClone();
    commit(dir, { 'local.txt': 'mine\n' }, 'local work');
    upstreamCommit({ 'remote.txt': 'theirs\n' }, 'remote work');
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    const err = await failure(pullFastForward(dir, { discardLocalChanges: true }));
    expect(err.gitKind).toBe('not-fast-forward');
    expect(err.message).toMatch(/diverged \(1 local, 1 new upstream commits\); only fast-forward/);
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(head);
  });
});

describe('branches and revisions', () => {
  it('switches to a remote-only branch (tracking it) and back', async () => {
    const dir = await freshClone();
    expect(await listBranches(dir)).toEqual({ current: 'main', local: ['main'], remote: expect.arrayContaining(['dev', 'main']) as unknown });
    const dev = await switchBranch(dir, 'dev');
    expect(dev.head).toBe(git(bare, ['rev-parse', 'dev']).trim());
    expect(await readWorkingTreeStatus(dir)).toMatchObject({ branch: 'dev', upstream: 'origin/dev', behind: 0 });
    expect(read(dir, 'dev.txt')).toBe('dev\n');
    await switchBranch(dir, 'main');
    expect(fs.existsSync(path.join(dir, 'dev.txt'))).toBe(false);

    expect((await failure(switchBranch(dir, 'nope'))).gitKind).toBe('unknown-revision');
    expect((await failure(switchBranch(dir, '--orphan=x'))).gitKind).toBe('unknown-revision');
  });

  it('checks out a tag or a commit read-only (detached), and a pull then says so', async () => {
    const dir = await freshClone();
    const v1 = git(bare, ['rev-parse', 'v1^{commit}']).trim();
    expect(await checkoutRevision(dir, 'v1')).toEqual({ sha: v1, detached: true });
    expect(read(dir, 'a.txt')).toBe('a1\n');
    expect(await readWorkingTreeStatus(dir)).toMatchObject({ branch: null, detached: true, head: v1 });
    expect(git(dir, ['rev-parse', 'main']).trim()).not.toBe(v1); // no branch moved

    const pull = await failure(pullFastForward(dir));
    expect(pull.gitKind).toBe('no-upstream');
    expect(pull.message).toMatch(/detached HEAD/);

    expect(await checkoutRevision(dir, v1.slice(0, 10))).toEqual({ sha: v1, detached: true });
    expect((await failure(checkoutRevision(dir, 'no-such-tag'))).gitKind).toBe('unknown-revision');
    expect((await failure(checkoutRevision(dir, '--output=/tmp/x'))).gitKind).toBe('unknown-revision');
  });

  it('a checkout or switch that would overwrite local changes is refused unless asked to discard', async () => {
    const dir = await freshClone();
    fs.writeFileSync(path.join(dir, 'a.txt'), 'mine\n');
    const err = await failure(checkoutRevision(dir, 'v1'));
    expect(err.gitKind).toBe('local-changes');
    expect(err.message).toMatch(/1 file has local changes that would be overwritten \(a\.txt\)/);
    expect(read(dir, 'a.txt')).toBe('mine\n');
    await checkoutRevision(dir, 'v1', { discardLocalChanges: true });
    expect(read(dir, 'a.txt')).toBe('a1\n');

    fs.writeFileSync(path.join(dir, 'a.txt'), 'mine again\n');
    expect((await failure(switchBranch(dir, 'main'))).gitKind).toBe('local-changes');
    await switchBranch(dir, 'main', { discardLocalChanges: true });
    expect((await readWorkingTreeStatus(dir)).clean).toBe(true);
  });
});
