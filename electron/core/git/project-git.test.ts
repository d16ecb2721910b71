// Tests of the one git runner (project-git.ts) against real git repositories built in temp folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGit, runGit, streamGit } from './project-git.js';
import { TestRepo } from '../testing/test-git-repo.js';

describe('running git', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.create();
    for (let i = 0; i < 30; i++) repo.write('a.txt', `${i}\n`).commit({ name: 'A', email: 'a@mail.test' }, `c${i}`);
    repo.git(['config', 'core.hooksPath', '.githooks']);
    repo.git(['config', 'core.fsmonitor', 'echo']);
  });
  afterAll(() => repo.remove());

  it('passes the inert settings on every call, over the repository config', async () => {
    expect((await readGit(repo.dir, ['config', '--get', 'core.hooksPath'])).trim()).toBe('/dev/null');
    expect((await readGit(repo.dir, ['config', '--get', 'core.fsmonitor'])).trim()).toBe('false');
    expect((await readGit(repo.dir, ['config', '--get', 'protocol.ext.allow'])).trim()).toBe('never');
    // Variables that would point git at another repository, or run a program, are not passed on.
    const expected = join(repo.git(['rev-parse', '--show-toplevel']).trim(), '.git');
    const elsewhere = mkdtempSync(join(tmpdir(), 'mc-elsewhere-'));
    process.env.GIT_DIR = elsewhere;
    process.env.GIT_EXTERNAL_DIFF = 'false';
    try {
      const gitDir = (await readGit(repo.dir, ['rev-parse', '--absolute-git-dir'])).trim();
      expect(gitDir).toBe(expected);
      expect((await runGit(['rev-parse', '--absolute-git-dir'], { cwd: repo.dir })).stdout.trim()).toBe(gitDir);
      expect(await readGit(repo.dir, ['diff', 'HEAD~1', 'HEAD'])).toContain('+29');
    } finally {
      delete process.env.GIT_DIR;
      delete process.env.GIT_EXTERNAL_DIFF;
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('feeds stdin and streams stdout', async () => {
    const chunks: string[] = [];
    await streamGit(repo.dir, ['log', '--format=%s'], (t) => chunks.push(t));
    expect(chunks.join('').trim().split('\n')).toHaveLength(30);
    expect((await readGit(repo.dir, ['check-mailmap', '--stdin'], { stdin: 'X <x@mail.test>\n' })).trim()).toBe('X <x@mail.test>');
  });

  it('turns failures into GitError, and does not look for a repository above the folder', async () => {
    const plain = mkdtempSync(join(repo.dir, 'inside-'));
    await expect(readGit(plain, ['rev-parse', 'HEAD'])).rejects.toMatchObject({ name: 'GitError', gitKind: 'not-a-repository' });
    await expect(runGit(['rev-parse', 'HEAD'], { cwd: plain })).rejects.toMatchObject({ name: 'GitCommandError' });
    // only when asked (finding a working tree's root from a folder inside it)
    expect((await runGit(['rev-parse', '--show-toplevel'], { cwd: plain, searchParents: true })).stdout.trim()).toBe(repo.git(['rev-parse', '--show-toplevel']).trim());
    const outside = mkdtempSync(join(tmpdir(), 'mc-plain-'));
    try {
      await expect(readGit(outside, ['log'])).rejects.toMatchObject({ name: 'GitError' });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('stops git when cancelled or when the consumer throws', async () => {
    const controller = new AbortController();
    const run = streamGit(repo.dir, ['log', '-p'], () => controller.abort(), { signal: controller.signal });
    await expect(run).rejects.toMatchObject({ gitKind: 'cancelled' });
    await expect(streamGit(repo.dir, ['log'], () => {
      throw new Error('consumer failed');
    })).rejects.toThrow('consumer failed');
  });
});
