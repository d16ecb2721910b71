// A malicious-repository suite: whatever a project's author puts in it, cloning, updating and reading it runs
// nothing of theirs and opens nothing outside the project folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../app-error.js';
import { resolveInsideRepo } from '../safe-path.js';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { serveRepository, startGitHttpServer, type GitHttpServer } from '../testing/git-http-server.js';
import { checkoutRevision } from './checkout-revision.js';
import { cloneRepository } from './clone-repository.js';
import { deepenRepository } from './deepen-repository.js';
import { fetchStatus } from './fetch-status.js';
import { GitError, runGit, toGitError } from './project-git.js';
import { pullFastForward } from './pull-fast-forward.js';
import { readCommits, readContributors, readHead } from './read-history.js';
import { switchBranch } from './switch-branch.js';
import { readWorkingTreeStatus } from './working-tree-status.js';

const root = tempDir();
const markers = path.join(root, 'markers');
const served = path.join(root, 'served');
let server: GitHttpServer;
let n = 0;
const dest = () => path.join(root, `clone-${++n}`);

/** A shell script that leaves a file named `name` in the markers folder if it ever runs. */
function tripwire(file: string, name: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\ntouch '${path.join(markers, name)}'\nexit 0\n`, { mode: 0o755 });
  return file;
}
const ranScripts = () => fs.readdirSync(markers);
const HOOKS = ['post-checkout', 'post-merge', 'post-rewrite', 'reference-transaction', 'pre-auto-gc', 'post-index-change', 'fsmonitor-watchman', 'pre-commit'];
const plantHooks = (hooksDir: string, tag: string) => HOOKS.forEach((h) => tripwire(path.join(hooksDir, h), `${tag}-${h}`));
const commit = (dir: string, files: Record<string, string>, message: string) => {
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.name=Eve', '-c', 'user.email=eve@example.org', 'commit', '-q', '-m', message]);
};

let hooked: string; // a source repository full of hooks and hostile config
let hookedBare: string; // its served copy
let hookedWork: string; // a clean checkout of it where the "author" makes new commits

beforeAll(async () => {
  fs.mkdirSync(markers);
  fs.mkdirSync(served);
  hooked = makeRepo(path.join(root, 'hooked'), [
    { author: 'Eve', email: 'eve@example.org', message: 'one', files: { 'a.txt': '1\n' } },
    { author: 'Eve', email: 'eve@example.org', message: 'two', files: { 'a.txt': '2\n', '.gitattributes': '*.txt filter=evil diff=evil\n' } },
  ]);
  git(hooked, ['tag', 'v1', 'HEAD~1']);
  git(hooked, ['branch', 'other']);
  hookedWork = path.join(root, 'hooked-work');
  git(root, ['clone', '-q', hooked, hookedWork]);
  plantHooks(path.join(hooked, '.git', 'hooks'), 'source-hook');
  // Settings in the source's own .git/config that would run a program if git honoured them.
  const script = (name: string) => tripwire(path.join(root, 'scripts', name), name);
  const config = [
    ['core.fsmonitor', script('fsmonitor')],
    ['core.sshCommand', script('ssh-command')],
    ['core.pager', script('pager')],
    ['core.editor', script('editor')],
    ['core.askPass', script('askpass')],
    ['core.hooksPath', path.join(root, 'evil-hooks')],
    ['uploadpack.packObjectsHook', script('pack-objects-hook')],
    ['filter.evil.smudge', script('smudge')],
    ['filter.evil.clean', script('clean')],
    ['filter.evil.process', script('filter-process')],
    ['diff.evil.textconv', script('textconv')],
    ['diff.external', script('diff-external')],
    ['credential.helper', `!${script('credential-helper')}`],
  ];
  plantHooks(path.join(root, 'evil-hooks'), 'hookspath');
  for (const [key, value] of config) git(hooked, ['config', key!, value!]);
  hookedBare = await serveRepository(served, 'hooked', hooked);
  server = await startGitHttpServer({ root: served });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('an untrusted repository stays inert', () => {
  it('a local folder whose .git/config sets core.fsmonitor, hooks and filters: cloning and reading run none of it', async () => {
    const dir = dest();
    await cloneRepository({ source: hooked, destination: dir });
    expect(await readCommits(dir, 10)).toHaveLength(2);
    await readContributors(dir);
    await readHead(dir);
    await readWorkingTreeStatus(dir);
    // Reading the history of the source folder itself, with its hostile config, runs nothing either.
    expect(await readCommits(hooked, 10)).toHaveLength(2);
    await readContributors(hooked);
    expect(ranScripts()).toEqual([]);
    // The clone's config is ours: nothing of the source's was copied.
    expect(fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8')).not.toMatch(/fsmonitor|evil|sshCommand|hooksPath/);
  });

  it('hooks in the clone (and a hooksPath in its config) never run on clone, fetch, pull, switch or checkout', async () => {
    const dir = dest();
    await cloneRepository({ source: server.url('hooked.git'), destination: dir, depth: 1 });
    plantHooks(path.join(dir, '.git', 'hooks'), 'clone-hook');
    plantHooks(path.join(root, 'clone-hooks-path'), 'clone-hookspath');
    git(dir, ['config', 'core.hooksPath', path.join(root, 'clone-hooks-path')]);
    git(dir, ['config', 'core.fsmonitor', tripwire(path.join(root, 'scripts', 'clone-fsmonitor'), 'clone-fsmonitor')]);

    commit(hookedWork, { 'b.txt': 'new\n' }, 'three');
    git(hookedWork, ['push', '-q', hookedBare, 'HEAD:main']);
    await deepenRepository(dir);
    await fetchStatus(dir);
    expect(await pullFastForward(dir)).toMatchObject({ kind: 'fast-forwarded', commits: 1 });
    await checkoutRevision(dir, 'v1');
    await switchBranch(dir, 'other');
    await switchBranch(dir, 'main');
    await readWorkingTreeStatus(dir);
    expect(ranScripts()).toEqual([]);
  });

  it('a symlink to /etc is cloned as a link, and opening a project path through it is refused', async () => {
    const src = makeRepo(path.join(root, 'links'), [{ author: 'Eve', email: 'eve@example.org', message: 'one', files: { 'README.md': 'hi\n' } }]);
    fs.symlinkSync('/etc', path.join(src, 'data'));
    fs.symlinkSync('../../../../../../../../etc/passwd', path.join(src, 'train.csv'));
    commit(src, {}, 'links');
    const dir = dest();
    await cloneRepository({ source: src, destination: dir });
    expect(fs.lstatSync(path.join(dir, 'data')).isSymbolicLink()).toBe(true);
    for (const p of ['data/passwd', 'data', 'train.csv']) {
      expect(() => resolveInsideRepo(dir, p, 'data file')).toThrow(AppError);
      expect(() => resolveInsideRepo(dir, p, 'data file')).toThrow(/is a link that points outside the project folder/);
    }
    expect(resolveInsideRepo(dir, 'README.md')).toBe(path.join(fs.realpathSync(dir), 'README.md'));
  });

  it('".." and absolute paths in a manifest are refused', async () => {
    const manifest = { name: 'evil', data: { train: '../../../../etc/passwd', test: '/etc/shadow', labels: 'data/../../outside.csv' } };
    const src = makeRepo(path.join(root, 'manifest'), [
      { author: 'Eve', email: 'eve@example.org', message: 'one', files: { 'modelcommons.json': JSON.stringify(manifest) } },
    ]);
    const dir = dest();
    await cloneRepository({ source: src, destination: dir });
    const read = JSON.parse(fs.readFileSync(path.join(dir, 'modelcommons.json'), 'utf8')) as typeof manifest;
    expect(() => resolveInsideRepo(dir, read.data.train, 'data.train')).toThrow(/data\.train "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" escapes the project folder/);
    expect(() => resolveInsideRepo(dir, read.data.labels, 'data.labels')).toThrow(/escapes the project folder/);
    expect(() => resolveInsideRepo(dir, read.data.test, 'data.test')).toThrow(/is absolute; only paths inside the project are allowed/);
  });

  it('tree entries named ".git" or ".." are rejected by the object check, leaving no folder', async () => {
    for (const name of ['.git', '..']) {
      const src = path.join(root, `tree-${name === '.git' ? 'dotgit' : 'dotdot'}`);
      fs.mkdirSync(src);
      git(src, ['init', '-q']);
      const config = gitInput(src, ['hash-object', '-w', '--stdin'], `[core]\n\tfsmonitor = "${tripwire(path.join(root, 'scripts', `tree-${name}`), `tree-${name}`)}"\n`);
      const inner = gitInput(src, ['mktree'], `100644 blob ${config}\tconfig\n`);
      const tree = gitInput(src, ['mktree'], `040000 tree ${inner}\t${name}\n100644 blob ${config}\tok.txt\n`);
      const c = git(src, ['-c', 'user.name=Eve', '-c', 'user.email=eve@example.org', 'commit-tree', tree, '-m', 'evil']).trim();
      git(src, ['update-ref', 'refs/heads/main', c]);
      const dir = dest();
      const err = (await cloneRepository({ source: src, destination: dir }).catch((e: unknown) => e)) as GitError;
      expect(err).toBeInstanceOf(GitError);
      expect(err.gitKind).toBe('corrupt');
      expect(fs.existsSync(dir)).toBe(false);
    }
    expect(ranScripts()).toEqual([]);
  });

  it('a hostile .gitmodules is refused by the object check, reported with its reason (not as corrupt objects)', async () => {
    const src = makeRepo(path.join(root, 'evil-gitmodules'), [
      {
        author: 'Eve',
        email: 'eve@example.org',
        message: 'submodule',
        files: { '.gitmodules': `[submodule "../../modules/evil"]\n\tpath = lib\n\turl = --upload-pack=${tripwire(path.join(root, 'scripts', 'upload-pack'), 'upload-pack')}\n` },
      },
    ]);
    const dir = dest();
    const err = (await cloneRepository({ source: src, destination: dir }).catch((e: unknown) => e)) as GitError;
    expect(err).toBeInstanceOf(GitError);
    expect(err.gitKind).toBe('refused');
    expect(err.message).toMatch(/\.gitmodules is refused by git's safety checks \(disallowed submodule (name|url): /);
    expect(fs.existsSync(dir)).toBe(false);
    expect(ranScripts()).toEqual([]);
  });

  it('submodules are not fetched on clone or pull, and an ext:: submodule URL is refused when asked', async () => {
    const sub = makeRepo(path.join(root, 'sub'), [{ author: 'Eve', email: 'eve@example.org', message: 'sub', files: { 'secret.txt': 's\n' } }]);
    const subHead = git(sub, ['rev-parse', 'HEAD']).trim();
    const src = makeRepo(path.join(root, 'super'), [{ author: 'Eve', email: 'eve@example.org', message: 'one', files: { 'README.md': 'hi\n' } }]);
    const ext = `ext::sh -c touch% ${path.join(markers, 'ext-submodule')}`;
    fs.writeFileSync(path.join(src, '.gitmodules'), `[submodule "lib"]\n\tpath = lib\n\turl = ${sub}\n[submodule "tool"]\n\tpath = tool\n\turl = ${ext}\n`);
    git(src, ['update-index', '--add', '--cacheinfo', `160000,${subHead},lib`]);
    git(src, ['update-index', '--add', '--cacheinfo', `160000,${subHead},tool`]);
    git(src, ['add', '.gitmodules']);
    git(src, ['-c', 'user.name=Eve', '-c', 'user.email=eve@example.org', 'commit', '-q', '-m', 'submodules']);
    const bare = await serveRepository(served, 'super', src);

    const dir = dest();
    await cloneRepository({ source: server.url('super.git'), destination: dir });
    expect(fs.readdirSync(path.join(dir, 'lib'))).toEqual([]);
    expect(fs.existsSync(path.join(dir, '.git', 'modules'))).toBe(false);

    fs.writeFileSync(path.join(src, 'b.txt'), 'b\n');
    git(src, ['add', 'b.txt']);
    git(src, ['-c', 'user.name=Eve', '-c', 'user.email=eve@example.org', 'commit', '-q', '-m', 'more']);
    git(src, ['push', '-q', bare, 'HEAD:main']);
    await pullFastForward(dir);
    expect(fs.readdirSync(path.join(dir, 'lib'))).toEqual([]);

    const err = await runGit(['submodule', 'update', '--init', '--', 'tool'], { cwd: dir }).catch((e: unknown) => e);
    expect(toGitError(err, 'Submodule').gitKind).toBe('refused');
    expect(ranScripts()).toEqual([]);
  });

  it('ext:: and other transport-helper URLs are refused, before git and by git', async () => {
    const marker = path.join(markers, 'ext-clone');
    for (const source of [`ext::sh -c touch% ${marker}`, 'fd::17']) {
      const dir = dest();
      const err = (await cloneRepository({ source, destination: dir }).catch((e: unknown) => e)) as GitError;
      expect(err).toBeInstanceOf(GitError);
      expect(err.gitKind).toBe('refused');
      expect(err.message).not.toContain('\n');
      expect(fs.existsSync(dir)).toBe(false);
    }
    // Defence in depth: git itself refuses ext:: with the settings every call carries.
    const direct = await runGit(['clone', '--', `ext::sh -c touch% ${marker}`, dest()]).catch((e: unknown) => e);
    expect(toGitError(direct, 'Clone').gitKind).toBe('refused');
    expect(ranScripts()).toEqual([]);
  });

  it('a source that looks like an option is not read as one', async () => {
    const dir = dest();
    const err = (await cloneRepository({ source: `--upload-pack=touch ${path.join(markers, 'upload-pack')}`, destination: dir }).catch((e: unknown) => e)) as GitError;
    expect(err).toBeInstanceOf(GitError);
    expect(fs.existsSync(dir)).toBe(false);
    expect(ranScripts()).toEqual([]);
  });
});

/** Runs fixture git with `input` on stdin (the shared helper gives git no stdin). */
function gitInput(dir: string, args: string[], input: string): string {
  return execFileSync('git', args, {
    cwd: dir,
    input,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}
