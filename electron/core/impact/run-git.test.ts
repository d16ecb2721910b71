// Tests of run-git.ts against real git repositories built in temp folders (and its pure helpers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitEnv, INERT_GIT_ARGS, readGit, streamGit } from './run-git.js';
import { runPool } from './run-pool.js';
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
    expect(INERT_GIT_ARGS).toEqual(expect.arrayContaining(['core.hooksPath=/dev/null', 'core.fsmonitor=false', 'protocol.ext.allow=never']));
    expect((await readGit(repo.dir, ['config', '--get', 'core.hooksPath'])).trim()).toBe('/dev/null');
    expect((await readGit(repo.dir, ['config', '--get', 'core.fsmonitor'])).trim()).toBe('false');
    expect((await readGit(repo.dir, ['config', '--get', 'protocol.ext.allow'])).trim()).toBe('never');
    const env = gitEnv(repo.dir);
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
    expect(env.GIT_DIR).toBeUndefined();
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

describe('runPool', () => {
  it('keeps order, limits concurrency, and stops taking jobs after a failure', async () => {
    let running = 0;
    let peak = 0;
    const out = await runPool([5, 1, 3, 2, 4], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
    const started: number[] = [];
    await expect(
      runPool([1, 2, 3, 4, 5, 6], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
});
